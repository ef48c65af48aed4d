/** What one inbox entry says and where it leads: the words of the list, kept apart from the markup. */
import type { NotificationView } from '../../../shared/api';
import { jumpHref } from '../board/jump';

/** The entry's first line, naming who did what. */
export function headline(n: NotificationView): string {
  const who = n.actor?.name ?? 'Someone';
  switch (n.kind) {
    case 'mention':
      return `${who} mentioned you`;
    case 'reply':
      return `${who} replied where you commented`;
    case 'take_succeeded':
      return 'A take on your shot is ready';
    case 'take_failed':
      return 'A take on your shot failed';
    case 'budget':
      return 'Budget warning';
    case 'note_take_succeeded':
      return `${who} answered your note`;
    case 'note_take_failed':
      return 'A take for your note failed';
    case 'guest_comment':
      // The guest's name leads the entry's text: a guest is nobody's account.
      return 'A guest reviewer commented';
  }
}

/** The board, shot, take and time it is about (the take plays from the comment's time). */
export function notificationHref(n: NotificationView): string {
  return jumpHref(n.boardId, {
    ...(n.shotId ? { shotId: n.shotId } : {}),
    ...(n.takeId ? { takeId: n.takeId } : {}),
    ...(n.atSec !== null ? { atSec: n.atSec } : {}),
    ...(n.commentId ? { commentId: n.commentId } : {}),
  });
}
