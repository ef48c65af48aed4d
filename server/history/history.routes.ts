/**
 * GET /api/boards/:boardId/shots/:shotId/history: who changed what on a shot, and when (any
 * member who can read the board). Restoring an older prompt is not a route: it is an ordinary
 * edit of the shared prompt by the person restoring (editor), so it is itself in the history and
 * undoable like their typing.
 */
import type { DocHub } from '../sync/hub.js';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { limitParam, readQuery } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { shotHistory } from './shot-changes.queries.js';

export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 500;
const MAX_ID_LENGTH = 200;

export const HistoryQuery = z.object({ limit: limitParam(HISTORY_MAX_LIMIT, HISTORY_DEFAULT_LIMIT) });

export function historyRoutes(deps: AppDeps & { hub: Pick<DocHub, 'flush'> }) {
  const app = new Hono<AppEnv>();
  const boardRole = boardRoles(deps.db);
  app.get('/boards/:boardId/shots/:shotId/history', requireUser(deps, { tokens: true }), boardRole('viewer'), async (c) => {
    const boardId = c.get('board').id;
    const shotId = c.req.param('shotId');
    if (shotId.length > MAX_ID_LENGTH) throw new AppError('invalid_field', `shotId: at most ${MAX_ID_LENGTH} characters`, { field: 'shotId' });
    const { limit } = readQuery(c, HistoryQuery);
    // History rides with the board updates: a lone instance's journal holds the latest for up to
    // a second (server/sync/journaled-storage.ts). Read after it, or a panel refreshed by the very
    // edit it should show would miss it until the next one.
    await deps.hub.flush();
    return c.json({ changes: await shotHistory(deps.db, boardId, shotId, limit) });
  });
  return app;
}
