import { Hono } from 'hono';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { LIMITS, type SessionInfo } from '../../shared/api.js';
import type { BoardEvents } from '../boards/board-events.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import type { ClientAddress } from '../http/client-address.js';
import { newId } from '../lib/ids.js';
import { findUserByEmail, insertAccount, setCity, toUser } from './auth.queries.js';
import { requireUser } from './middleware.js';
import { burnVerification, hashPassword, verifyPassword } from './passwords.js';
import { deviceLabel } from './device.js';
import { createSession, newSession, SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from './sessions.js';
import { invalidateOtherSessions, invalidateOwnSession, invalidateSession, invalidateUserSessions, listUserSessions, type SessionRow } from './sessions.queries.js';
import { reserveAll, type AuthThrottleRules } from './throttle.js';
import { clearFailures, releaseAttempt } from './throttle.queries.js';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address such as name@studio.com' }).max(254, 'must be at most 254 characters'))
  .describe('An email address such as name@studio.com, at most 254 characters (trimmed and lower-cased)');

export const SignupBody = z.object({
  email,
  password: z
    .string()
    .min(LIMITS.passwordMinLength, `must be at least ${LIMITS.passwordMinLength} characters`)
    .max(LIMITS.passwordMaxLength, `must be at most ${LIMITS.passwordMaxLength} characters`),
  name: z.string().trim().min(1, 'is required: the name teammates will see').max(LIMITS.nameMaxLength, `must be at most ${LIMITS.nameMaxLength} characters`),
  city: z.string().trim().max(LIMITS.cityMaxLength, `must be at most ${LIMITS.cityMaxLength} characters`).optional(),
});

export const ProfileBody = z.object({
  city: z.string().trim().max(LIMITS.cityMaxLength, `must be at most ${LIMITS.cityMaxLength} characters`).nullable(),
});

export const LoginBody = z.object({ email, password: z.string().max(LIMITS.passwordMaxLength, `must be at most ${LIMITS.passwordMaxLength} characters`) });

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
    // For a taken email the session is never stored: its token is the decoy cookie.
    const fresh = newSession(clock, row.id, c.req.header('user-agent'));
    const user = await insertAccount(db, row, fresh.row, emailKey);
    await handOver(c, fresh.token, fresh.session.expiresAt);
    return c.json(user ?? toUser(row), 201);
  });

  app.post('/login', async (c) => {
    const body = await readJson(c, LoginBody);
    const keys = { email: `email:${body.email}`, ip: `ip:${deps.clientAddress(c)}` };
    // Slots are taken before the password is checked, so parallel guesses cannot all slip in.
    await reserveAll(db, clock, [[keys.email, rules.loginEmail], [keys.ip, rules.loginIp]], 'Too many failed logins');
    const row = await findUserByEmail(db, body.email);
    const ok = row ? await verifyPassword(row.password_hash, body.password) : (await burnVerification(body.password), false);
    if (!row || !ok) throw new AppError('unauthorized', 'That email and password do not match an account. Check both and try again.');
    await clearFailures(db, keys.email);
    await releaseAttempt(db, keys.ip);
    const { token, session } = await createSession(db, clock, row.id, c.req.header('user-agent'));
    await handOver(c, token, session.expiresAt);
    return c.json(toUser(row));
  });

  /** Sessions end in the database and, through `sessions-ended`, on every socket and stream they hold. */
  const ended = (userId: string, sessionIds: string[]) => {
    if (sessionIds.length > 0) deps.boardEvents?.emit({ type: 'sessions-ended', userId, sessionIds });
  };
  // Cleared with the attributes it was set with, so a browser treats it as the same cookie.
  const clearCookie = (c: Context) => deleteCookie(c, SESSION_COOKIE, sessionCookieOptions(deps.publicOrigin, 0, 0));

  app.post('/logout', requireUser(deps), async (c) => {
    const session = c.get('session');
    await invalidateSession(db, session.id);
    ended(session.userId, [session.id]);
    clearCookie(c);
    return c.body(null, 204);
  });

  /** The caller's sessions (devices): this one first, then the most recently used. */
  /** The account's profile: the city teammates see next to the name ('' or null clears it). */
  app.patch('/profile', requireUser(deps), async (c) => {
    const { city } = await readJson(c, ProfileBody);
    return c.json(await setCity(deps.db, c.get('user').id, city || null));
  });

  app.get('/sessions', requireUser(deps), async (c) => {
    const current = c.get('session').id;
    const rows = await listUserSessions(db, clock.now(), c.get('user').id);
    return c.json(rows.map((r) => sessionInfo(r, current)).sort((a, b) => Number(b.current) - Number(a.current)));
  });

  /** Ends every other session of the caller (this one stays logged in). */
  app.delete('/sessions', requireUser(deps), async (c) => {
    const session = c.get('session');
    const ids = await invalidateOtherSessions(db, session.userId, session.id);
    ended(session.userId, ids);
    return c.json({ ended: ids.length });
  });

  /** Ends one session of the caller's; another user's session is "no such session", like an unknown id. */
  app.delete('/sessions/:id', requireUser(deps), async (c) => {
    const id = c.req.param('id');
    if (!SESSION_ID.test(id)) {
      throw new AppError('invalid_field', 'id must be a session id as GET /api/auth/sessions lists it (64 hex characters)', { field: 'id' });
    }
    const session = c.get('session');
    if (!(await invalidateOwnSession(db, session.userId, id))) throw new AppError('not_found', 'No such session of yours; it may have ended already');
    ended(session.userId, [id]);
    if (id === session.id) clearCookie(c);
    return c.body(null, 204);
  });

  /** Ends every session of this user (a lost laptop): the current one included, sockets too. */
  app.post('/logout-everywhere', requireUser(deps), async (c) => {
    const userId = c.get('user').id;
    ended(userId, await invalidateUserSessions(db, userId));
    clearCookie(c);
    return c.body(null, 204);
  });

  return app;
}

const SESSION_ID = /^[0-9a-f]{64}$/;

function sessionInfo(r: SessionRow, current: string): SessionInfo {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: r.id,
    device: deviceLabel(r.user_agent),
    userAgent: r.user_agent,
    createdAt: iso(r.created_at),
    lastSeenAt: iso(r.last_seen_at ?? r.created_at),
    expiresAt: iso(r.expires_at),
    current: r.id === current,
  };
}
