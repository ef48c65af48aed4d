import type { Kysely } from 'kysely';
import { roleAtLeast, type Role } from '../../shared/api.js';
import type { Database } from '../db/schema.js';
import { AppError, boardNotFound } from '../errors.js';
import { getAccess } from './boards.queries.js';
import type { BoardEvents } from './board-events.js';

/**
 * The one board authorisation check. Non-members get 404 whatever they ask for (a board's
 * existence never leaks); members below the needed role get 403. An archived board is read-only:
 * anything needing more than a viewer's role is refused (409) unless the route restores, deletes
 * or copies it (`whileArchived`).
 */
export async function requireBoardRole(
  db: Kysely<Database>,
  boardId: string,
  userId: string,
  needed: Role,
  opts: { whileArchived?: boolean } = {},
): Promise<Role> {
  const access = await getAccess(db, boardId, userId);
  if (!access) throw boardNotFound();
  const { role } = access;
  if (!roleAtLeast(role, needed)) {
    throw new AppError('forbidden', `This needs the ${needed} role on this board; you are ${role === 'editor' ? 'an' : 'a'} ${role}`);
  }
  if (access.archived && needed !== 'viewer' && !opts.whileArchived) {
    throw new AppError('conflict', 'This board is archived, so it is read-only; its owner can restore it from the board menu');
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
