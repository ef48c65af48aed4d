/**
 * "Regenerate from note": an editor turns a review comment into a new take of the comment's shot,
 * the comment's text added after the shot's prompt (shared/generation/review-note.ts). It is an
 * ordinary enqueue (same pricing, budget cap, storage check, idempotency), and the job carries
 * the note (`resolved.note`), so the take mirror writes the link into the take (`answers`): the
 * link lives on the server-written take record, which no client may write, and both the comment's
 * "→ take N" and the take's "answers a note" are read from it.
 */
import { Hono } from 'hono';
import { getShot, listComments } from '../../shared/doc/index.js';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import type { GenerationDeps } from './deps.js';
import { enqueueGeneration } from './enqueue.js';
import { GenerateBody } from './generation.routes.js';

/** POST …/comments/:commentId/regenerate: the same choices as Generate (model, key, seed, unpriced confirmation). */
export const RegenerateFromNoteBody = GenerateBody;

/** POST /api/boards/:boardId/comments/:commentId/regenerate (editor; API tokens with write). */
export function noteTakeRoutes(deps: GenerationDeps) {
  const app = new Hono<AppEnv>();
  const boardRole = boardRoles(deps.db);
  app.post('/boards/:boardId/comments/:commentId/regenerate', requireUser(deps, { tokens: true }), boardRole('editor'), async (c) => {
    const boardId = c.get('board').id;
    const commentId = c.req.param('commentId');
    const body = await readJson(c, RegenerateFromNoteBody);
    const found = await deps.hub.read(boardId, (doc) => {
      const comment = listComments(doc).find((x) => x.id === commentId);
      return comment ? { comment, shotExists: getShot(doc, comment.shotId) !== undefined } : undefined;
    });
    if (!found) throw new AppError('not_found', 'Comment not found');
    const { comment, shotExists } = found;
    if (comment.removedBy !== undefined) throw new AppError('conflict', 'This comment was removed; there is no note to regenerate from');
    if (!shotExists) throw new AppError('not_found', 'The shot this comment is on no longer exists');
    const res = await enqueueGeneration(deps, { boardId, shotId: comment.shotId, userId: c.get('user').id, ...body, note: { commentId, text: comment.text } });
    return c.json({ ...res, shotId: comment.shotId }, 202);
  });
  return app;
}
