import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence: a state-changing request must come from our own origin. Browsers always send
 * Origin on cross-site and on same-origin non-GET fetches, so a missing Origin is refused too.
 * A request with `Authorization: Bearer` is let through: it carries its credential itself
 * (nothing ambient for another site to ride on, and no other site can set that header without
 * a CORS preflight we never grant), and `requireUser` then ignores any cookie it has.
 */
export function requireSameOrigin(publicOrigin: string): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method) && !c.req.header('authorization')?.startsWith('Bearer ') && c.req.header('origin') !== publicOrigin) {
      throw new AppError('origin_forbidden', 'This request must come from the Takeboard app itself (Origin check failed)');
    }
    await next();
  };
}
