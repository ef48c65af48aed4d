/**
 * GET /api/boards/:boardId/shots/:shotId/history: who changed what on a shot, and when (any
 * member who can read the board). Restoring an older prompt is not a route: it is an ordinary
 * edit of the shared prompt by the person restoring (editor), so it is itself in the history and
 * undoable like their typing.
 */
import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/env.js';
import { shotHistory } from './shot-changes.queries.js';

export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 500;
const MAX_ID_LENGTH = 200;

export function historyRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const boardRole = boardRoles(deps.db);
  app.get('/boards/:boardId/shots/:shotId/history', requireUser(deps, { tokens: true }), boardRole('viewer'), async (c) => {
    const boardId = c.get('board').id;
    const shotId = c.req.param('shotId');
    if (shotId.length > MAX_ID_LENGTH) throw new AppError('invalid_field', `shotId: at most ${MAX_ID_LENGTH} characters`, { field: 'shotId' });
    const limit = parseLimit(c.req.query('limit'));
    return c.json({ changes: await shotHistory(deps.db, boardId, shotId, limit) });
  });
  return app;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return HISTORY_DEFAULT_LIMIT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > HISTORY_MAX_LIMIT) {
    throw new AppError('invalid_field', `limit: a whole number from 1 to ${HISTORY_MAX_LIMIT}`, { field: 'limit' });
  }
  return n;
}
