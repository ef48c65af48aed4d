/**
 * "Keep anyway": an editor accepts a stale chained take as it is. The server writes the record
 * (`staleAccepted`, which clients may not write) with the acting user, judged and written in one
 * change of the board document, so what is accepted is exactly what was stale at that moment.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { chainStates, setStaleAccepted, type ShotChain, type StaleAccepted } from '../../shared/doc/index.js';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import type { GenerationDeps } from './deps.js';

/** What the client saw when it asked; a mismatch means the chain moved on under it. */
export const KeepBody = z.object({
  takeId: z.string().min(1).max(200).optional(),
  upstreamTakeId: z.string().min(1).max(200).optional(),
});

/** POST /api/boards/:boardId/shots/:shotId/keep-anyway (editor). */
export function keepAnywayRoutes(deps: GenerationDeps) {
  const app = new Hono<AppEnv>();
  const boardRole = boardRoles(deps.db);
  app.post('/boards/:boardId/shots/:shotId/keep-anyway', requireUser(deps, { tokens: true }), boardRole('editor'), async (c) => {
    const boardId = c.get('board').id;
    const shotId = c.req.param('shotId');
    const by = c.get('user').id;
    const seen = await readJson(c, KeepBody);
    // Judged inside the change (which must not throw: it is the document's transaction).
    let outcome: StaleAccepted | AppError = new AppError('not_found', 'Shot not found');
    await deps.hub.change(boardId, (doc) => {
      outcome = judge(chainStates(doc).get(shotId), seen, by, new Date(deps.clock.now()).toISOString());
      if (!(outcome instanceof AppError)) setStaleAccepted(doc, shotId, outcome);
    });
    const done: StaleAccepted | AppError = outcome; // re-typed: TS cannot see the closure's assignment
    if (done instanceof AppError) throw done;
    return c.json({ staleAccepted: done });
  });
  return app;
}

function judge(chain: ShotChain | undefined, seen: z.infer<typeof KeepBody>, by: string, at: string): StaleAccepted | AppError {
  if (!chain) return new AppError('not_found', 'Shot not found');
  const conflict = (why: string) => new AppError('conflict', why);
  if (chain.state !== 'stale') {
    const words: Record<Exclude<ShotChain['state'], 'stale'>, string> = {
      unchained: 'it continues from no shot',
      'no-take': 'it has no selected take',
      fresh: 'its selected take already continues the current tail',
      accepted: 'it is already kept anyway',
      'upstream-stale': 'a shot further up its chain is the stale one: keep or regenerate that one',
    };
    return conflict(`This shot is not stale (${words[chain.state]}): nothing to keep anyway`);
  }
  if (seen.takeId !== undefined && seen.takeId !== chain.takeId) {
    return conflict('The shot has another selected take now; look again before keeping it');
  }
  if (seen.upstreamTakeId !== undefined && seen.upstreamTakeId !== chain.upstream?.takeId) {
    return conflict('The shot it continues from has another selected take now; look again before keeping it');
  }
  return { take: chain.takeId!, tail: chain.upstream?.tail ?? null, by, at };
}
