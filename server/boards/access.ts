import type { Kysely } from 'kysely';
import { roleAtLeast, type Role } from '../../shared/api.js';
import type { Database } from '../db/schema.js';
import { AppError, boardNotFound } from '../errors.js';
import { getRole } from './boards.queries.js';
import type { BoardEvents } from './board-events.js';

/**
 * The one board authorisation check. Non-members get 404 whatever they ask for (a board's
 * existence never leaks); members below the needed role get 403.
 */
export async function requireBoardRole(db: Kysely<Database>, boardId: string, userId: string, needed: Role): Promise<Role> {
  const role = await getRole(db, boardId, userId);
  if (!role) throw boardNotFound();
  if (!roleAtLeast(role, needed)) {
    throw new AppError('forbidden', `This needs the ${needed} role on this board; you are ${role === 'editor' ? 'an' : 'a'} ${role}`);
  }
  return role;
}

/**
 * Calls `onLost` when a member's access to a board ends while something of theirs stays open
 * (an SSE stream): their session was logged out, they were removed, or the board was deleted.
 */
export function watchAccess(events: BoardEvents | undefined, who: { boardId: string; userId: string; sessionId: string }, onLost: () => void): () => void {
  if (!events) return () => {};
  return events.on((e) => {
    const lost =
      (e.type === 'sessions-ended' && e.sessionIds.includes(who.sessionId)) ||
      (e.type === 'member-removed' && e.boardId === who.boardId && e.userId === who.userId) ||
      (e.type === 'board-deleted' && e.boardId === who.boardId);
    if (lost) onLost();
  });
}
