import { Hono, type HonoRequest } from 'hono';
import { z } from 'zod';
import { LIMITS, ROLES } from '../../shared/api.js';
import { refuseTokens, requireUser } from '../auth/middleware.js';
import type { StorageGuard } from '../assets/storage-guard.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson, readQuery } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { newId } from '../lib/ids.js';
import { boardRoles } from './access.js';
import type { BoardEvents } from './board-events.js';
import { templateAssets, type BoardTemplate } from '../../shared/doc/index.js';
import { assetBytes, copyAssets, createBoard, deleteBoard, getBoard, listBoardsOf, listMembers, removeMember, renameBoard, setArchived, setMemberRole, type MemberChange } from './boards.queries.js';

const title = z
  .string({ error: 'a board name (text)' })
  .trim()
  .min(1, 'is required: a board name of 1 to ' + LIMITS.boardTitleMaxLength + ' characters')
  .max(LIMITS.boardTitleMaxLength, `at most ${LIMITS.boardTitleMaxLength} characters`);
export const CreateBoard = z.object({ title });
export const PatchBoard = z
  .object({ title: title.optional(), archived: z.boolean({ error: 'true (archive) or false (restore)' }).optional() })
  .refine((b) => b.title !== undefined || b.archived !== undefined, 'Send a new title, archived (true or false), or both');
export const DuplicateBoard = z.object({ title });
/** `?archived=include` lists archived boards too; the default leaves them out. */
const LIST_ARCHIVED = ['exclude', 'include'] as const;
export const ListBoardsQuery = z.object({ archived: z.enum(LIST_ARCHIVED, { message: `one of ${LIST_ARCHIVED.join(', ')}` }).default('exclude') });
export const PatchMember = z.object({ role: z.enum(ROLES) });

/** Boards and their members. Invites live in invites.routes.ts. */
export interface BoardRouteDeps extends AppDeps {
  boardEvents: BoardEvents;
  /** Writes the board's title (and, for a new board, its defaults) into its live document. */
  /** `previous`: the name before a rename (the document's shared title is only rewritten if it still says that). */
  describeBoard?: (boardId: string, meta: { title: string; isNew: boolean; previous?: string }) => Promise<void>;
  /** Quotas: a template's copied assets count toward the person duplicating it. */
  storage?: StorageGuard;
  /** Reads a board's document as a template / writes one into a new board's document (Duplicate as template). */
  templates?: {
    read(boardId: string): Promise<BoardTemplate>;
    write(boardId: string, template: BoardTemplate, title: string, assets: ReadonlyMap<string, string>): Promise<void>;
  };
}

export function boardRoutes(deps: BoardRouteDeps) {
  const { db, clock, boardEvents } = deps;
  const app = new Hono<AppEnv>();
  const boardRole = boardRoles(db);
  // Also matches every path under /api/boards/:boardId/ that other groups serve: tokens pass here
  // and are judged by `boardRole` or refused by those groups' own `requireUser`.
  app.use('*', requireUser(deps, { tokens: true }));

  app.get('/', refuseTokens, async (c) => {
    const { archived } = readQuery(c, ListBoardsQuery);
    return c.json(await listBoardsOf(db, c.get('user').id, { archived: archived === 'include' }));
  });

  app.post('/', refuseTokens, async (c) => {
    const body = await readJson(c, CreateBoard);
    const id = newId();
    await createBoard(db, { id, title: body.title, ownerId: c.get('user').id, now: clock.now() });
    await deps.describeBoard?.(id, { title: body.title, isNew: true });
    return c.json({ id, title: body.title, role: 'owner' as const }, 201);
  });

  app.get('/:boardId', boardRole('viewer'), async (c) => c.json(await getBoard(db, c.get('board').id, c.get('user').id)));

  /**
   * Owners rename, archive and restore. An archived board is read-only, so a rename needs it
   * restored first (or in the same request: `{ archived: false, title }`).
   */
  app.patch('/:boardId', boardRole('owner', { whileArchived: true }), async (c) => {
    const boardId = c.get('board').id;
    const me = c.get('user').id;
    const body = await readJson(c, PatchBoard);
    const before = (await getBoard(db, boardId, me))!;
    const renaming = body.title !== undefined && body.title !== before.title;
    if (renaming && (body.archived ?? before.archivedAt !== null)) {
      throw new AppError('conflict', 'This board is archived, so it is read-only; restore it to rename it', { field: 'title' });
    }
    if (body.archived !== undefined && body.archived !== (before.archivedAt !== null)) {
      await setArchived(db, boardId, body.archived ? clock.now() : null, clock.now());
      boardEvents.emit({ type: 'board-archived', boardId, archived: body.archived });
    }
    if (renaming) {
      await renameBoard(db, boardId, body.title!, clock.now());
      await deps.describeBoard?.(boardId, { title: body.title!, isNew: false, previous: before.title });
    }
    return c.json(await getBoard(db, boardId, me));
  });

  /** Deleting cannot be undone: owners only, archived or not (the client asks for the board's name first). */
  app.delete('/:boardId', boardRole('owner', { whileArchived: true }), async (c) => {
    const boardId = c.get('board').id;
    await deleteBoard(db, boardId);
    boardEvents.emit({ type: 'board-deleted', boardId });
    return c.body(null, 204);
  });

  /**
   * Duplicate as template: any member who can read the board (archived too) gets a new board of
   * their own with its settings, references and shots, without takes, comments or approvals.
   * The assets those point at are copied onto the new board (assets belong to one board).
   */
  app.post('/:boardId/duplicate', boardRole('viewer'), async (c) => {
    const boardId = c.get('board').id;
    const me = c.get('user').id;
    const body = await readJson(c, DuplicateBoard);
    if (!deps.templates) throw new AppError('internal', 'Duplicating boards is not wired on this server');
    const template = await deps.templates.read(boardId);
    const id = newId();
    const now = clock.now();
    // The copy's asset rows count toward the caller's quota (they share the stored bytes, but a row is what quotas count).
    await deps.storage?.assertRoom({ userId: me, boardId: id }, await assetBytes(db, boardId, templateAssets(template)));
    await createBoard(db, { id, title: body.title, ownerId: me, now });
    try {
      const assets = await copyAssets(db, boardId, id, templateAssets(template), me, now);
      await deps.templates.write(id, template, body.title, assets);
    } catch (err) {
      await deleteBoard(db, id); // no half-made copy is left in anyone's list
      throw err;
    }
    return c.json({ id, title: body.title, role: 'owner' as const }, 201);
  });

  app.get('/:boardId/members', boardRole('viewer'), async (c) => c.json(await listMembers(db, c.get('board').id)));

  app.patch('/:boardId/members/:userId', boardRole('owner'), async (c) => {
    const boardId = c.get('board').id;
    const userId = c.req.param('userId');
    const { role } = await readJson(c, PatchMember);
    refuseUnless(await setMemberRole(db, boardId, userId, role), 'The last owner cannot be demoted; make someone else an owner first');
    boardEvents.emit({ type: 'member-role-changed', boardId, userId, role, by: changedBy(c.get('user')) });
    return c.json((await listMembers(db, boardId)).find((m) => m.userId === userId));
  });

  /** Owners remove anyone; any member may remove themselves (leave the board). */
  app.delete('/:boardId/members/:userId', boardRole(leavingOrRemoving), async (c) => {
    const boardId = c.get('board').id;
    const userId = c.req.param('userId');
    refuseUnless(await removeMember(db, boardId, userId), 'The last owner cannot leave the board; make someone else an owner first');
    boardEvents.emit({ type: 'member-removed', boardId, userId, by: changedBy(c.get('user')) });
    return c.body(null, 204);
  });

  return app;
}

/** Leaving a board (removing yourself) needs only membership; removing someone else needs an owner. */
const leavingOrRemoving = (req: HonoRequest, me: string) => (req.param('userId') === me ? 'viewer' : 'owner');

/** Turns a refused membership change into its answer; `lastOwner` says what the last owner cannot do. */
function refuseUnless(outcome: MemberChange, lastOwner: string): void {
  if (outcome === 'not-member') throw new AppError('not_found', 'That person is not a member of this board');
  if (outcome === 'last-owner') throw new AppError('conflict', lastOwner);
}

/** The person named in a membership notice. */
const changedBy = (user: { id: string; name: string }) => ({ id: user.id, name: user.name });
