/**
 * GET /api/boards/:boardId/seams: every chained cut of the board as its selected takes pair them
 * now, each with its seam score, `not-scored` with why, or `pending` (queued by this read, scored
 * in the background). Any member who can read the board. Regenerating the downstream shot is the
 * ordinary generate route (editors), so it is priced and budget-checked like any take.
 */
import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from '../http/env.js';
import type { SeamScorer } from './seam-scorer.js';

export function seamRoutes(deps: AppDeps, scorer: SeamScorer) {
  const app = new Hono<AppEnv>();
  const boardRole = boardRoles(deps.db);
  app.get('/boards/:boardId/seams', requireUser(deps, { tokens: true }), boardRole('viewer'), async (c) => c.json(await scorer.list(c.get('board').id)));
  return app;
}
