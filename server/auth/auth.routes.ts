import { Hono } from 'hono';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { LIMITS } from '../../shared/api.js';
import type { BoardEvents } from '../boards/board-events.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import type { ClientAddress } from '../http/client-address.js';
import { newId, newToken } from '../lib/ids.js';
import { findUserByEmail, insertUser, toUser } from './auth.queries.js';
import { requireUser } from './middleware.js';
import { burnVerification, hashPassword, verifyPassword } from './passwords.js';
import { createSession, invalidateSession, invalidateUserSessions, SESSION_COOKIE, SESSION_TTL_MS, sessionCookieOptions, validateSessionToken } from './sessions.js';
import { clearFailures, releaseAttempt, reserveAll, touchAttempt, type AuthThrottleRules } from './throttle.js';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be a valid email address' }).max(254));

const SignupBody = z.object({
  email,
  password: z
    .string()
    .min(LIMITS.passwordMinLength, `must be at least ${LIMITS.passwordMinLength} characters`)
    .max(LIMITS.passwordMaxLength, `must be at most ${LIMITS.passwordMaxLength} characters`),
  name: z.string().trim().min(1, 'is required').max(LIMITS.nameMaxLength),
  city: z.string().trim().max(LIMITS.cityMaxLength).optional(),
});

const LoginBody = z.object({ email, password: z.string().max(LIMITS.passwordMaxLength) });

export function authRoutes(deps: AppDeps & { boardEvents?: BoardEvents; clientAddress: ClientAddress; authRules: AuthThrottleRules }) {
  const { db, clock } = deps;
  const rules = deps.authRules;
  const app = new Hono<AppEnv>();

  /** Drops the session the browser held before (never reused: no fixation) and sets `token`'s cookie. */
  async function handOver(c: Context, token: string, expiresAt: number) {
    const old = getCookie(c, SESSION_COOKIE);
    if (old) {
      const prior = await validateSessionToken(db, clock, old);
      if (prior) {
        await invalidateSession(db, prior.session.id);
        deps.boardEvents?.emit({ type: 'sessions-ended', userId: prior.user.id, sessionIds: [prior.session.id] });
      }
    }
    setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(deps.publicOrigin, expiresAt, clock.now()));
  }

  /**
   * Sign-up answers the same whether or not the email is taken: 201, a user-shaped body, a session
   * cookie, the same password hashing work. For a taken email nothing is created and the cookie is
   * a decoy, so the existing account is untouched and this answer tells nobody it exists. Without
   * mail delivery that is as neutral as it gets: using the decoy (or logging in) shows it did not
   * work, which is what a login attempt shows too, and both are throttled (README: Sign-up without mail).
   */
  app.post('/signup', async (c) => {
    const body = await readJson(c, SignupBody);
    const emailKey = `signup-email:${body.email}`;
    await reserveAll(db, clock, [[emailKey, rules.signupEmail], [`signup-ip:${deps.clientAddress(c)}`, rules.signupIp]], 'Too many sign-ups');
    const row = { id: newId(), email: body.email, name: body.name, city: body.city || null, password_hash: await hashPassword(body.password), created_at: clock.now() };
    // One synced commit either way: the new account with its session, or (email taken) the
    // attempt's throttle row rewritten, so the answer takes as long.
    const created = await db.transaction().execute(async (tx) => {
      const user = await insertUser(tx, row);
      if (!user) return void (await touchAttempt(tx, emailKey));
      return { user, ...(await createSession(tx, clock, user.id)) };
    });
    await handOver(c, created?.token ?? newToken(), created?.session.expiresAt ?? clock.now() + SESSION_TTL_MS);
    return c.json(created?.user ?? toUser(row), 201);
  });

  app.post('/login', async (c) => {
    const body = await readJson(c, LoginBody);
    const keys = { email: `email:${body.email}`, ip: `ip:${deps.clientAddress(c)}` };
    // Slots are taken before the password is checked, so parallel guesses cannot all slip in.
    await reserveAll(db, clock, [[keys.email, rules.loginEmail], [keys.ip, rules.loginIp]], 'Too many failed logins');
    const row = await findUserByEmail(db, body.email);
    const ok = row ? await verifyPassword(row.password_hash, body.password) : (await burnVerification(body.password), false);
    if (!row || !ok) throw new AppError('unauthorized', 'Email or password is incorrect');
    await clearFailures(db, keys.email);
    await releaseAttempt(db, keys.ip);
    const { token, session } = await createSession(db, clock, row.id);
    await handOver(c, token, session.expiresAt);
    return c.json(toUser(row));
  });

  app.post('/logout', requireUser(deps), async (c) => {
    const session = c.get('session');
    await invalidateSession(db, session.id);
    deps.boardEvents?.emit({ type: 'sessions-ended', userId: session.userId, sessionIds: [session.id] });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  /** Ends every session of this user (a lost laptop): the current one included, sockets too. */
  app.post('/logout-everywhere', requireUser(deps), async (c) => {
    const userId = c.get('user').id;
    const ended = await invalidateUserSessions(db, userId);
    deps.boardEvents?.emit({ type: 'sessions-ended', userId, sessionIds: ended });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return app;
}
