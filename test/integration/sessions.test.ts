import { afterAll, beforeAll, expect, it } from 'vitest';
import { manualClock } from '../../server/lib/clock.js';
import { SESSION_TTL_MS } from '../../server/auth/sessions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signedUpClient } from '../helpers/http.js';

const clock = manualClock(Date.UTC(2026, 10, 24));
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ clock });
});
afterAll(async () => srv.close());

const DAY = 24 * 60 * 60 * 1000;

it('expires an unused session after its lifetime', async () => {
  const { client } = await signedUpClient(srv.url);
  clock.advance(SESSION_TTL_MS - DAY);
  // still valid one day before the end (and this use renews it, so start a fresh user below)
  expect((await client.get('/api/me')).status).toBe(200);
  const idle = await signedUpClient(srv.url);
  clock.advance(SESSION_TTL_MS + 1);
  expect((await idle.client.get('/api/me')).status).toBe(401);
});

it('slides the expiry forward while the session is used', async () => {
  const { client } = await signedUpClient(srv.url);
  // Use it every 20 days for 100 days: far past one lifetime, never logged out.
  for (let i = 0; i < 5; i++) {
    clock.advance(20 * DAY);
    const res = await client.get('/api/me');
    expect(res.status).toBe(200);
  }
  // The renewal re-issued the cookie with a fresh Max-Age.
  clock.advance(20 * DAY);
  const res = await client.get('/api/me');
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('takeboard_session='));
  expect(cookie).toMatch(/Max-Age=2592000;/);
});
