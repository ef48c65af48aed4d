import { Hono } from 'hono';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { LIMITS, type SessionInfo } from '../../shared/api.js';
import type { BoardEvents } from '../boards/board-events.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { newId } from '../lib/ids.js';
import { findUserByEmail, insertUser, toUser } from './auth.queries.js';
import { requireUser } from './middleware.js';
import { burnVerification, hashPassword, verifyPassword } from './passwords.js';
import { deviceLabel } from './device.js';
import {
  createSession,
  invalidateOtherSessions,
  invalidateOwnSession,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  SESSION_COOKIE,
  sessionCookieOptions,
  validateSessionToken,
  type SessionRow,
} from './sessions.js';
import { clearFailures, LOGIN_RULES, releaseAttempt, reserveAttempt } from './throttle.js';

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

export function authRoutes(deps: AppDeps & { boardEvents?: BoardEvents }) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();

  async function startSession(c: Context, userId: string) {
    // A token the browser held before login is dropped, never reused: no session fixation.
    const old = getCookie(c, SESSION_COOKIE);
    if (old) {
      const prior = await validateSessionToken(db, clock, old);
      if (prior) {
        await invalidateSession(db, prior.session.id);
        deps.boardEvents?.emit({ type: 'sessions-ended', userId: prior.user.id, sessionIds: [prior.session.id] });
      }
    }
    const { token, session } = await createSession(db, clock, userId, c.req.header('user-agent'));
    setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(deps.publicOrigin, session.expiresAt, clock.now()));
  }

  app.post('/signup', async (c) => {
    const body = await readJson(c, SignupBody);
    const user = await insertUser(db, {
      id: newId(),
      email: body.email,
      name: body.name,
      city: body.city || null,
      password_hash: await hashPassword(body.password),
      created_at: clock.now(),
    });
    if (!user) throw new AppError('conflict', 'An account with this email already exists', { field: 'email' });
    await startSession(c, user.id);
    return c.json(user, 201);
  });

  app.post('/login', async (c) => {
    const body = await readJson(c, LoginBody);
    const keys = { email: `email:${body.email}`, ip: `ip:${clientAddress(c)}` };
    // Slots are taken before the password is checked, so parallel guesses cannot all slip in.
    const byEmail = await reserveAttempt(db, clock, keys.email, LOGIN_RULES.email);
    const byIp = byEmail.ok ? await reserveAttempt(db, clock, keys.ip, LOGIN_RULES.ip) : null;
    if (!byEmail.ok || !byIp?.ok) {
      if (byEmail.ok) await releaseAttempt(db, keys.email);
      const waitMs = !byEmail.ok ? byEmail.waitMs : byIp && !byIp.ok ? byIp.waitMs : 1000;
      const seconds = Math.ceil(waitMs / 1000);
      throw new AppError('rate_limited', `Too many failed logins. Try again in ${Math.ceil(seconds / 60)} minute(s).`, {
        headers: { 'Retry-After': String(seconds) },
      });
    }
    const row = await findUserByEmail(db, body.email);
    const ok = row ? await verifyPassword(row.password_hash, body.password) : (await burnVerification(body.password), false);
    if (!row || !ok) throw new AppError('unauthorized', 'Email or password is incorrect');
    await clearFailures(db, keys.email);
    await releaseAttempt(db, keys.ip);
    await startSession(c, row.id);
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
  app.get('/sessions', requireUser(deps), async (c) => {
    const current = c.get('session').id;
    const rows = await listUserSessions(db, clock, c.get('user').id);
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

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
