import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/env.js';
import { validateApiToken } from './api-tokens.js';
import { SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from './sessions.js';

const tokenRefused = () => new AppError('forbidden', 'API tokens cannot reach this route; it is only for people signed in to the app (docs/api.md lists what tokens reach)');

/**
 * For a route inside a group that lets tokens through (for its `boardRole` routes) but which
 * itself acts on no single board: signed-in people only.
 */
export const refuseTokens: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('token')) throw tokenRefused();
  await next();
};

const BEARER = /^Bearer +(\S+)$/;
const READ_METHODS = new Set(['GET', 'HEAD']);

export interface RequireUserOptions {
  /**
   * Also accept a personal access token (`Authorization: Bearer tb_pat_…`). Only routes that act
   * on one board through `boardRole` may say so: that is where a token's grant is applied. Every
   * other route (account, tokens, board lists, invites, event streams) stays for signed-in people.
   */
  tokens?: boolean;
}

/**
 * Requires a valid session, or on routes that allow it an API token; sets `user`, and `session`
 * or `token`; refreshes the cookie when the session slid. A request carrying Authorization is
 * judged by it alone and its cookie is never read: such requests skip the Origin check
 * (http/origin.ts), so a cookie riding along must not count.
 */
export function requireUser(deps: AppDeps, opts: RequireUserOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      if (!opts.tokens) throw tokenRefused();
      // Already judged by an outer group's requireUser (/api/boards/* and a route inside it).
      if (c.get('token')) return next();
      const secret = BEARER.exec(authorization)?.[1];
      if (!secret) throw new AppError('unauthorized', 'Authorization must be "Bearer <token>"');
      const { user, grant } = await validateApiToken(deps.db, deps.clock, secret);
      if (grant.access === 'read' && !READ_METHODS.has(c.req.method)) {
        throw new AppError('forbidden', 'This API token is read-only: it can only GET; create a write token to change things');
      }
      c.set('user', user);
      c.set('token', grant);
      return next();
    }
    if (c.get('session')) return next();
    const token = getCookie(c, SESSION_COOKIE);
    const result = token ? await validateSessionToken(deps.db, deps.clock, token) : null;
    if (!result) throw new AppError('unauthorized', 'Please log in');
    if (result.renewed) {
      setCookie(c, SESSION_COOKIE, token!, sessionCookieOptions(deps.publicOrigin, result.session.expiresAt, deps.clock.now()));
    }
    c.set('user', result.user);
    c.set('session', result.session);
    await next();
  };
}
