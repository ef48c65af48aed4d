/**
 * A board owner's guest review links, mounted under /api/boards/:boardId/review-links: make one
 * (its secret shown once, in the link), list them (who made each, when, until when, last used),
 * revoke one (its guests' next request gets 401). Signed-in owners only: API tokens never reach
 * these (a link is a credential of its own).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  MAX_REVIEW_LINKS,
  REVIEW_LINK_DEFAULT_HOURS,
  REVIEW_LINK_MAX_HOURS,
  REVIEW_LINK_MIN_HOURS,
  type ReviewLinkCreated,
  type ReviewLinkInfo,
} from '../../shared/review-links.js';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import type { ReviewLinksTable } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { hashToken, newId, newToken } from '../lib/ids.js';
import { activeLinksOf, countLiveLinks, insertReviewLink, revokeReviewLink } from './review-links.queries.js';

/** `POST /api/boards/:boardId/review-links`: how long the link works, in hours. */
export const CreateReviewLinkBody = z.object({
  expiresInHours: z
    .number({ error: `expiresInHours: a whole number of hours, ${REVIEW_LINK_MIN_HOURS} to ${REVIEW_LINK_MAX_HOURS}` })
    .int(`expiresInHours: a whole number of hours, ${REVIEW_LINK_MIN_HOURS} to ${REVIEW_LINK_MAX_HOURS}`)
    .min(REVIEW_LINK_MIN_HOURS, `expiresInHours: at least ${REVIEW_LINK_MIN_HOURS}`)
    .max(REVIEW_LINK_MAX_HOURS, `expiresInHours: at most ${REVIEW_LINK_MAX_HOURS} (90 days)`)
    .optional(),
});

const iso = (ms: number) => new Date(ms).toISOString();

type ListedRow = ReviewLinksTable & { creator_name: string | null; guests: number | string | bigint | null };

function toInfo(r: ListedRow, now: number): ReviewLinkInfo {
  return {
    id: r.id,
    createdBy: r.created_by === null ? null : { id: r.created_by, name: r.creator_name ?? '' },
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
    guests: Number(r.guests ?? 0),
    expired: now >= r.expires_at,
  };
}

/** The page a guest opens: the secret is the last path segment. */
export const reviewUrl = (publicOrigin: string, secret: string) => `${publicOrigin}/review/${secret}`;

export function reviewLinkRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const owner = boardRoles(db)('owner');
  app.use('*', requireUser(deps));

  app.get('/', owner, async (c) => {
    const now = clock.now();
    return c.json((await activeLinksOf(db, c.get('board').id)).map((r) => toInfo(r, now)));
  });

  app.post('/', owner, async (c) => {
    const boardId = c.get('board').id;
    const body = await readJson(c, CreateReviewLinkBody);
    const now = clock.now();
    if ((await countLiveLinks(db, boardId, now)) >= MAX_REVIEW_LINKS) {
      throw new AppError('conflict', `A board holds at most ${MAX_REVIEW_LINKS} live review links; revoke one first`);
    }
    const secret = newToken();
    const user = c.get('user');
    const row: ReviewLinksTable = {
      id: newId(),
      board_id: boardId,
      secret_hash: hashToken(secret),
      created_by: user.id,
      created_at: now,
      expires_at: now + (body.expiresInHours ?? REVIEW_LINK_DEFAULT_HOURS) * 3_600_000,
      revoked_at: null,
      last_used_at: null,
    };
    await insertReviewLink(db, row);
    const created: ReviewLinkCreated = { ...toInfo({ ...row, creator_name: user.name, guests: 0 }, now), secret, url: reviewUrl(deps.publicOrigin, secret) };
    return c.json(created, 201);
  });

  app.delete('/:linkId', owner, async (c) => {
    if (!(await revokeReviewLink(db, c.get('board').id, c.req.param('linkId'), clock.now()))) throw new AppError('not_found', 'Review link not found or already revoked');
    return c.body(null, 204);
  });

  return app;
}
