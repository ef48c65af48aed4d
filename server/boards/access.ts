import type { HonoRequest, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import { roleAtLeast, type Role } from '../../shared/api.js';
import type { Database } from '../db/schema.js';
import { AppError, boardNotFound } from '../errors.js';
import type { AppEnv } from '../http/env.js';
import { getAccess } from './boards.queries.js';
import type { BoardEvents } from './board-events.js';

/** The board a request acts on and the caller's role there, set by `boardRole`. */
export interface BoardAccess {
  id: string;
  role: Role;
}

/** The context of a route behind `boardRole`: `c.get('board')` is typed there and only there. */
export interface BoardEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { board: BoardAccess };
}

/** The least role a route needs: fixed, or read from the request (leaving a board needs less than removing someone). */
export type NeededRole = Role | ((req: HonoRequest, userId: string) => Role);

export interface BoardRoleOptions {
  /** Owners restore, delete and copy archived boards; every other write is refused while archived. */
  whileArchived?: boolean;
  /**
   * Where the board comes from when the path names something of it instead (a job): its board
   * id, or undefined when that thing does not exist. Such routes answer `notFound` to
   * non-members, worded for what the path names, so an id's existence never leaks.
   */
  boardOf?: (req: HonoRequest) => Promise<string | undefined>;
  notFound?: () => AppError;
}

/**
 * The one board authorisation check, as middleware: `const boardRole = boardRoles(db)` once per
 * route group, then `boardRole('editor')` on each route. Resolves the board (`:boardId` in the
 * path, or `boardOf`), needs a signed-in user (`requireUser` runs first), and sets
 * `c.get('board')`. Non-members get 404 whatever they ask for (a board's existence never leaks);
 * members below the needed role get 403. An archived board is read-only: anything needing more
 * than a viewer's role is refused (409) unless the route restores, deletes or copies it.
 * An API token (`c.get('token')`) outside its boards gets the non-member's 404; a read token
 * acts as a viewer at most (403 above that).
 */
export function boardRoles(db: Kysely<Database>) {
  return function boardRole(needed: NeededRole, opts: BoardRoleOptions = {}): MiddlewareHandler<BoardEnv> {
    const notFound = opts.notFound ?? boardNotFound;
    return async (c, next) => {
      const boardId = opts.boardOf ? await opts.boardOf(c.req) : c.req.param('boardId');
      if (boardId === undefined) throw notFound();
      const userId = c.get('user').id;
      const role = typeof needed === 'function' ? needed(c.req, userId) : needed;
      const grant = c.get('token');
      if (grant && grant.boards !== null && !grant.boards.includes(boardId)) throw notFound();
      if (grant?.access === 'read' && role !== 'viewer') throw new AppError('forbidden', `This API token is read-only; this needs the ${role} role`);
      const actual = await judge(db, boardId, userId, role, opts.whileArchived ?? false, notFound);
      // A token acts as its owner's current role, a read token as a viewer at most.
      c.set('board', { id: boardId, role: grant?.access === 'read' ? 'viewer' : actual });
      await next();
    };
  };
}

async function judge(db: Kysely<Database>, boardId: string, userId: string, needed: Role, whileArchived: boolean, notFound: () => AppError): Promise<Role> {
  const access = await getAccess(db, boardId, userId);
  if (!access) throw notFound();
  const { role } = access;
  if (!roleAtLeast(role, needed)) {
    throw new AppError('forbidden', `This needs the ${needed} role on this board; you are ${role === 'editor' ? 'an' : 'a'} ${role}`);
  }
  if (access.archived && needed !== 'viewer' && !whileArchived) {
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
