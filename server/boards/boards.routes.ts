import { Hono } from 'hono';
import { z } from 'zod';
import { LIMITS, ROLES } from '../../shared/api.js';
import { requireUser } from '../auth/middleware.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { newId } from '../lib/ids.js';
import { requireBoardRole } from './access.js';
import type { BoardEvents } from './board-events.js';
import { countOwners, createBoard, getBoard, getRole, listBoardsOf, listMembers } from './boards.queries.js';

const title = z.string().trim().min(1, 'is required').max(LIMITS.boardTitleMaxLength);
const CreateBoard = z.object({ title });
const PatchBoard = z.object({ title: title.optional() });
const PatchMember = z.object({ role: z.enum(ROLES) });

/** Boards and their members. Invites live in invites.routes.ts. */
export interface BoardRouteDeps extends AppDeps {
  boardEvents: BoardEvents;
  /** Writes the board's title (and, for a new board, its defaults) into its live document. */
  /** `previous`: the name before a rename (the document's shared title is only rewritten if it still says that). */
  describeBoard?: (boardId: string, meta: { title: string; isNew: boolean; previous?: string }) => Promise<void>;
}

export function boardRoutes(deps: BoardRouteDeps) {
  const { db, clock, boardEvents } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(deps));

  app.get('/', async (c) => c.json(await listBoardsOf(db, c.get('user').id)));

  app.post('/', async (c) => {
    const body = await readJson(c, CreateBoard);
    const id = newId();
    await createBoard(db, { id, title: body.title, ownerId: c.get('user').id, now: clock.now() });
    await deps.describeBoard?.(id, { title: body.title, isNew: true });
    return c.json({ id, title: body.title, role: 'owner' as const }, 201);
  });

  app.get('/:boardId', async (c) => {
    const board = await getBoard(db, c.req.param('boardId'), c.get('user').id);
    if (!board) throw new AppError('not_found', 'Board not found');
    return c.json(board);
  });

  app.patch('/:boardId', async (c) => {
    const boardId = c.req.param('boardId');
    await requireBoardRole(db, boardId, c.get('user').id, 'editor');
    const body = await readJson(c, PatchBoard);
    if (body.title !== undefined) {
      const previous = (await getBoard(db, boardId, c.get('user').id))?.title;
      await db.updateTable('boards').set({ title: body.title, updated_at: clock.now() }).where('id', '=', boardId).execute();
      await deps.describeBoard?.(boardId, { title: body.title, isNew: false, ...(previous !== undefined ? { previous } : {}) });
    }
    return c.json(await getBoard(db, boardId, c.get('user').id));
  });

  app.delete('/:boardId', async (c) => {
    const boardId = c.req.param('boardId');
    await requireBoardRole(db, boardId, c.get('user').id, 'owner');
    await db.deleteFrom('boards').where('id', '=', boardId).execute();
    boardEvents.emit({ type: 'board-deleted', boardId });
    return c.body(null, 204);
  });

  app.get('/:boardId/members', async (c) => {
    const boardId = c.req.param('boardId');
    await requireBoardRole(db, boardId, c.get('user').id, 'viewer');
    return c.json(await listMembers(db, boardId));
  });

  app.patch('/:boardId/members/:userId', async (c) => {
    const { boardId, userId } = c.req.param();
    await requireBoardRole(db, boardId, c.get('user').id, 'owner');
    const { role } = await readJson(c, PatchMember);
    await db.transaction().execute(async (tx) => {
      const current = await getRole(tx, boardId, userId);
      if (!current) throw new AppError('not_found', 'That person is not a member of this board');
      if (current === 'owner' && role !== 'owner' && (await countOwners(tx, boardId)) <= 1) {
        throw new AppError('conflict', 'The last owner cannot be demoted; make someone else an owner first');
      }
      await tx.updateTable('board_members').set({ role }).where('board_id', '=', boardId).where('user_id', '=', userId).execute();
    });
    boardEvents.emit({ type: 'member-role-changed', boardId, userId, role, by: changedBy(c.get('user')) });
    return c.json((await listMembers(db, boardId)).find((m) => m.userId === userId));
  });

  /** Owners remove anyone; any member may remove themselves (leave the board). */
  app.delete('/:boardId/members/:userId', async (c) => {
    const { boardId, userId } = c.req.param();
    const me = c.get('user').id;
    await requireBoardRole(db, boardId, me, userId === me ? 'viewer' : 'owner');
    await db.transaction().execute(async (tx) => {
      const current = await getRole(tx, boardId, userId);
      if (!current) throw new AppError('not_found', 'That person is not a member of this board');
      if (current === 'owner' && (await countOwners(tx, boardId)) <= 1) {
        throw new AppError('conflict', 'The last owner cannot leave the board; make someone else an owner first');
      }
      await tx.deleteFrom('board_members').where('board_id', '=', boardId).where('user_id', '=', userId).execute();
    });
    boardEvents.emit({ type: 'member-removed', boardId, userId, by: changedBy(c.get('user')) });
    return c.body(null, 204);
  });

  return app;
}

/** The person named in a membership notice. */
const changedBy = (user: { id: string; name: string }) => ({ id: user.id, name: user.name });
