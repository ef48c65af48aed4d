import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../http/env.js';
import { SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from './sessions.js';

/** Requires a valid session; sets `user` and `session`, and refreshes the cookie when the session slid. */
export function requireUser(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
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
