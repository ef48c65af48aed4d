/**
 * Sessions under attack. Extends test/integration/auth.test.ts and
 * sessions.test.ts (which cover the plain cases: a victim's own pre-login token, one tampered
 * character, logout-everywhere over HTTP, sequential lockout, idle expiry) with what an attacker
 * actually tries: planting their own live session, tokens the server never issued, live sockets
 * that outlast a logout, cookie-header tricks, parallel guessing, spraying many accounts, and
 * waiting out a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../../server/auth/sessions.js';
import { manualClock } from '../../server/lib/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, TestClient, uniqueEmail } from '../helpers/http.js';
import { connectBoard, rawSocket } from '../helpers/sync.js';
import { openEventStream } from '../helpers/sse.js';
import { waitFor } from '../helpers/wait.js';

const clock = manualClock(Date.UTC(2026, 10, 24, 9));
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ clock });
});
afterAll(async () => srv.close());

const token = (c: TestClient) => c.cookies.get(SESSION_COOKIE)!;
/** A well-formed token (32 base32 characters) the server never issued. */
const madeUp = () => Array.from({ length: 32 }, () => 'abcdefghijklmnopqrstuvwxyz234567'[Math.floor(Math.random() * 32)]).join('');

describe('fixation', () => {
  it('drops an attacker’s own live session planted in the victim’s browser, on login and on signup', async () => {
    const victim = await signedUpClient(srv.url, { name: 'Victim' });
    const attacker = await signedUpClient(srv.url, { name: 'Attacker' });
    const planted = token(attacker.client);

    const browser = new TestClient(srv.url);
    browser.cookies.set(SESSION_COOKIE, planted);
    expect((await browser.post('/api/auth/login', { email: victim.email, password: victim.password })).status).toBe(200);
    expect(token(browser)).not.toBe(planted);
    expect((await browser.get('/api/me')).body.id).toBe(victim.user.id);
    // The planted token is gone: whoever holds it rides nothing, least of all the victim's login.
    const rider = new TestClient(srv.url);
    rider.cookies.set(SESSION_COOKIE, planted);
    expect((await rider.get('/api/me')).status).toBe(401);

    const fresh = new TestClient(srv.url);
    const attacker2 = await signedUpClient(srv.url);
    fresh.cookies.set(SESSION_COOKIE, token(attacker2.client));
    const signup = await fresh.post('/api/auth/signup', { email: uniqueEmail('newbie'), password: 'a long password', name: 'Newbie' });
    expect(signup.status).toBe(201);
    expect(token(fresh)).not.toBe(token(attacker2.client));
    expect((await attacker2.client.get('/api/me')).status).toBe(401);
  });

  it('never adopts a token the client made up: a new one is issued and the made-up one stays worthless', async () => {
    const { email, password } = await signedUpClient(srv.url);
    const planted = madeUp();
    const browser = new TestClient(srv.url);
    browser.cookies.set(SESSION_COOKIE, planted);
    expect((await browser.get('/api/me')).status).toBe(401);
    expect((await browser.post('/api/auth/login', { email, password })).status).toBe(200);
    expect(token(browser)).not.toBe(planted);
    const rider = new TestClient(srv.url);
    rider.cookies.set(SESSION_COOKIE, planted);
    expect((await rider.get('/api/me')).status).toBe(401);
  });
});

describe('logout', () => {
  it('logging out everywhere also closes that user’s open sync sockets (the lost laptop stops receiving the board)', async () => {
    const owner = await signedUpClient(srv.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client);
    const laptop = new TestClient(srv.url);
    expect((await laptop.post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(200);
    const conn = connectBoard(srv.url, boardId, laptop);
    await conn.synced();
    expect((await owner.client.post('/api/auth/logout-everywhere')).status).toBe(204);
    const closed = await conn.closed();
    expect(closed.code).toBe(SYNC_CLOSE.unauthorized);
    conn.destroy();
    // And the old cookie cannot open a new one.
    const again = rawSocket(srv.url, boardId, laptop);
    expect((await again.waitClosed()).code).toBe(SYNC_CLOSE.unauthorized);
  });

  it('logging out everywhere ends that user’s open job event streams too', async () => {
    const owner = await signedUpClient(srv.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client);
    const laptop = new TestClient(srv.url);
    expect((await laptop.post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(200);
    const stream = await openEventStream(`${srv.url}/api/boards/${boardId}/events`, { cookie: laptop.cookieHeader });
    expect(stream.status).toBe(200);
    expect(stream.first).toMatch(/event: ready/);
    expect((await owner.client.post('/api/auth/logout-everywhere')).status).toBe(204);
    await waitFor(() => stream.ended(), 'the event stream to end', 3_000);
    await stream.drained;
  });

  it('a plain logout closes the sockets of that one session and no other', async () => {
    const owner = await signedUpClient(srv.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client);
    const phone = new TestClient(srv.url);
    expect((await phone.post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(200);
    const onPhone = connectBoard(srv.url, boardId, phone);
    const onDesk = connectBoard(srv.url, boardId, owner.client);
    await Promise.all([onPhone.synced(), onDesk.synced()]);
    expect((await phone.post('/api/auth/logout')).status).toBe(204);
    expect((await onPhone.closed()).code).toBe(SYNC_CLOSE.unauthorized);
    expect(onDesk.closes).toEqual([]);
    expect((await owner.client.get('/api/me')).status).toBe(200);
    onPhone.destroy();
    onDesk.destroy();
  });
});

describe('expiry', () => {
  it('an expired session opens no socket and is not revived by use', async () => {
    const owner = await signedUpClient(srv.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client);
    clock.advance(SESSION_TTL_MS + 1);
    expect((await owner.client.get('/api/me')).status).toBe(401);
    const sock = rawSocket(srv.url, boardId, owner.client);
    expect((await sock.waitClosed()).code).toBe(SYNC_CLOSE.unauthorized);
    expect(sock.messages).toEqual([]);
    // Going back in time (a clock step) does not resurrect it: the row was deleted on first sight.
    clock.advance(-(SESSION_TTL_MS + 1));
    expect((await owner.client.get('/api/me')).status).toBe(401);
  });
});

describe('tampered cookies', () => {
  it('answers 401 (never 500, never someone else) to every mangled session cookie', async () => {
    const { client } = await signedUpClient(srv.url);
    const good = token(client);
    const variants = [
      good.toUpperCase(),
      good.slice(0, 31),
      good + 'a',
      `"${good}x"`,
      ` ${good.slice(1)}`,
      good.replace(/./, '1'), // 1 is not in the base32 alphabet
      encodeURIComponent(good.slice(0, 16)) + '%00' + good.slice(17),
      'a'.repeat(4000),
      '%E0%A4%A',
      '../../etc/passwd',
      "' OR 1=1 --",
      madeUp(),
    ];
    for (const v of variants) {
      const res = await fetch(`${srv.url}/api/me`, { headers: { cookie: `${SESSION_COOKIE}=${v}` } });
      expect(res.status, v).toBe(401);
    }
    // Two cookies of the same name: whichever the server reads, no 500 and no other user.
    for (const header of [`${SESSION_COOKIE}=${madeUp()}; ${SESSION_COOKIE}=${good}`, `${SESSION_COOKIE}=${good}; ${SESSION_COOKIE}=garbage`]) {
      const res = await fetch(`${srv.url}/api/me`, { headers: { cookie: header } });
      expect([200, 401]).toContain(res.status);
      if (res.status === 200) expect((await res.json()).id).toBe((await client.get('/api/me')).body.id);
    }
    // A cookie header far past what anyone sends: refused at the door, not a crash.
    const huge = await fetch(`${srv.url}/api/me`, { headers: { cookie: `${SESSION_COOKIE}=${good}; pad=${'x'.repeat(60_000)}` } }).catch(() => null);
    if (huge) expect([200, 400, 401, 431]).toContain(huge.status);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('refuses a mangled cookie on the sync socket with 4401 before sending any document byte', async () => {
    const owner = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client);
    const forger = new TestClient(srv.url);
    forger.cookies.set(SESSION_COOKIE, token(owner.client).toUpperCase());
    const sock = rawSocket(srv.url, boardId, forger);
    expect((await sock.waitClosed()).code).toBe(SYNC_CLOSE.unauthorized);
    expect(sock.messages).toEqual([]);
  });
});

describe('password guessing', () => {
  it('lets a burst of 40 parallel guesses at one account evaluate at most the 5 allowed', async () => {
    const { email, password } = await signedUpClient(srv.url);
    const attacker = new TestClient(srv.url);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => attacker.post('/api/auth/login', { email, password: `guess number ${i}` })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // Locked means locked: the right password gets the same 429 as a wrong one (no oracle).
    const right = await attacker.post('/api/auth/login', { email, password });
    const wrong = await attacker.post('/api/auth/login', { email, password: 'still guessing' });
    expect(right.status).toBe(429);
    expect(wrong.status).toBe(429);
    expect(right.body).toEqual(wrong.body);
  });

  it('slows one address spraying one password over many accounts (429 after 30 failures)', async () => {
    const own = await startTestServer();
    try {
      const sprayer = new TestClient(own.url);
      const statuses: number[] = [];
      for (let i = 0; i < 34; i++) statuses.push((await sprayer.post('/api/auth/login', { email: uniqueEmail(`spray${i}`), password: 'Summer2026!!' })).status);
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('keeps a lockout across a restart of the server', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-adv-lockout-'));
    const first = await startTestServer({ clock, dataDir });
    const { email, password } = await signedUpClient(first.url);
    const c = new TestClient(first.url);
    for (let i = 0; i < 5; i++) await c.post('/api/auth/login', { email, password: `wrong ${i} wrong` });
    expect((await c.post('/api/auth/login', { email, password })).status).toBe(429);
    await first.close();
    const second = await startTestServer({ clock, dataDir });
    try {
      const again = new TestClient(second.url);
      expect((await again.post('/api/auth/login', { email, password })).status).toBe(429);
      clock.advance(15 * 60_000 + 1);
      expect((await again.post('/api/auth/login', { email, password })).status).toBe(200);
    } finally {
      await second.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
