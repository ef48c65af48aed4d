/**
 * Headers and sessions. Every kind of response (the client page, its bundles, API JSON, errors,
 * media, exports) carries the security headers, and the page's policy allows no inline script;
 * stored files are only ever served as media or an opaque download. Session cookies are HttpOnly,
 * SameSite=Lax, and Secure when the app is reached over https. A user lists their sessions and
 * ends one or all others: no one lists or ends anyone else's, and an ended session's sockets and
 * streams close at once while the user's other devices and other users carry on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot } from '../../shared/doc/index.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { SESSION_COOKIE } from '../../server/auth/sessions.js';
import { hashToken } from '../../server/lib/ids.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, TestClient, uniqueEmail } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { upload } from './helpers.js';

let srv: TestServer;
let fx: MediaFixtures;
let clientDir: string;
beforeAll(async () => {
  fx = await makeMediaFixtures();
  // A built client in miniature: the page and one bundle, served like the real one.
  clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-headers-client-'));
  fs.mkdirSync(path.join(clientDir, 'static'));
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><html><head><script type="module" src="/static/app.js"></script></head><body></body></html>');
  fs.writeFileSync(path.join(clientDir, 'static', 'app.js'), 'export {};');
  srv = await startTestServer({ app: { clientDir } });
}, 60_000);
afterAll(async () => {
  await srv?.close();
  await fx?.cleanup();
  fs.rmSync(clientDir, { recursive: true, force: true });
});

const sessionId = (c: TestClient) => hashToken(c.cookies.get(SESSION_COOKIE)!);

/** A second browser of the same person, with its own User-Agent. */
async function loginAs(who: { email: string; password: string }, userAgent: string): Promise<TestClient> {
  const c = new TestClient(srv.url);
  const res = await c.request('POST', '/api/auth/login', { email: who.email, password: who.password }, { headers: { 'user-agent': userAgent } });
  expect(res.status).toBe(200);
  return c;
}

function expectBaseHeaders(h: Headers, label: string) {
  expect(h.get('x-content-type-options'), label).toBe('nosniff');
  expect(h.get('x-frame-options'), label).toBe('DENY');
  expect(h.get('referrer-policy'), label).toBe('strict-origin-when-cross-origin');
  expect(h.get('content-security-policy'), label).toMatch(/frame-ancestors 'none'|sandbox/);
}

describe('headers on every kind of response', () => {
  it('the client page (and every client route) has a CSP with no inline script or style, no framing, no plugins, no <base>', async () => {
    for (const p of ['/', '/boards/anything', '/invite/some-token', '/login']) {
      const res = await fetch(srv.url + p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type'), p).toMatch(/^text\/html/);
      expectBaseHeaders(res.headers, p);
      const csp = res.headers.get('content-security-policy')!;
      const directives = new Map(csp.split(/;\s*/).map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
      expect(directives.get('script-src'), p).toEqual(["'self'"]);
      expect(directives.get('style-src'), p).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors'), p).toEqual(["'none'"]);
      expect(directives.get('object-src'), p).toEqual(["'none'"]);
      expect(directives.get('base-uri'), p).toEqual(["'none'"]);
      expect(csp, p).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
    const bundle = await fetch(`${srv.url}/static/app.js`);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expectBaseHeaders(bundle.headers, 'bundle');
  });

  it('API JSON, 401/404/400 errors and the health check carry a policy that allows nothing', async () => {
    const me = await signedUpClient(srv.url);
    const cases: Array<[string, Promise<{ status: number; headers: Headers }>, number]> = [
      ['signed-in JSON', me.client.get('/api/me'), 200],
      ['401', new TestClient(srv.url).get('/api/me'), 401],
      ['unknown route', me.client.get('/api/no-such-route'), 404],
      ['bad body', me.client.post('/api/boards', { title: '' }), 400],
      ['health', fetch(`${srv.url}/api/health`), 200],
    ];
    for (const [label, reply, status] of cases) {
      const res = await reply;
      expect(res.status, label).toBe(status);
      expectBaseHeaders(res.headers, label);
      expect(res.headers.get('content-security-policy'), label).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it('media is served as what it was sniffed as, sandboxed; a stored row of a scriptable type goes out only as an opaque download', async () => {
    const me = await signedUpClient(srv.url);
    const boardId = await createBoard(me.client);
    const png = await upload(me.client, boardId, fs.readFileSync(fx.png), 'still.png');
    expect(png.status).toBe(201);
    const res = await fetch(`${srv.url}/api/assets/${png.body.id}`, { headers: { cookie: me.client.cookieHeader } });
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
    expectBaseHeaders(res.headers, 'asset');
    await res.arrayBuffer();
    // Rows written before today's checks, or by a bug: HTML, SVG, XML, an empty type.
    for (const mime of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml; charset=utf-8', '']) {
      await srv.database.db.updateTable('assets').set({ mime }).where('id', '=', png.body.id).execute();
      const bad = await fetch(`${srv.url}/api/assets/${png.body.id}`, { headers: { cookie: me.client.cookieHeader } });
      expect(bad.status, mime).toBe(200);
      expect(bad.headers.get('content-type'), mime).toBe('application/octet-stream');
      expect(bad.headers.get('content-disposition'), mime).toMatch(/^attachment;/);
      expectBaseHeaders(bad.headers, mime);
      await bad.arrayBuffer();
    }
  });

  it('exports carry the headers; the printable shot list keeps its own script-free policy', async () => {
    const me = await signedUpClient(srv.url);
    const boardId = await createBoard(me.client);
    for (const file of ['shots.csv', 'sequence.edl', 'timeline.otio', 'sequence.fcpxml', 'sequence.json', 'shots.html']) {
      const res = await me.client.get(`/api/boards/${boardId}/export/${file}`);
      expect(res.status, file).toBe(200);
      expectBaseHeaders(res.headers, file);
      expect(res.headers.get('content-disposition'), file).toMatch(/^attachment;/);
    }
    const html = await me.client.get(`/api/boards/${boardId}/export/shots.html`);
    expect(html.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data: /);
  });
});

describe('session cookies', () => {
  const attrs = (setCookie: string) => setCookie.split(';').map((a) => a.trim().toLowerCase());

  it('are HttpOnly and SameSite=Lax over http, without Secure (the browser would drop it)', async () => {
    const c = new TestClient(srv.url);
    const res = await c.post('/api/auth/signup', { email: uniqueEmail('plain'), password: 'correct horse battery', name: 'Plain' });
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith(`${SESSION_COOKIE}=`))!;
    expect(attrs(cookie)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(attrs(cookie)).not.toContain('secure');
    // Logging out clears it with the same attributes.
    const out = await c.post('/api/auth/logout');
    const cleared = out.headers.getSetCookie().find((l) => l.startsWith(`${SESSION_COOKIE}=`))!;
    expect(attrs(cleared)).toEqual(expect.arrayContaining(['max-age=0', 'httponly', 'samesite=lax', 'path=/']));
  });

  it('are Secure as well when PUBLIC_ORIGIN is https, on signup, login and logout', async () => {
    const origin = 'https://takeboard.example';
    const https = await startTestServer({ app: { publicOrigin: origin } });
    try {
      const c = new TestClient(https.url, origin);
      const email = uniqueEmail('secure');
      const signup = await c.post('/api/auth/signup', { email, password: 'correct horse battery', name: 'Secure' });
      const login = await c.post('/api/auth/login', { email, password: 'correct horse battery' });
      const logout = await c.post('/api/auth/logout');
      for (const [label, res] of [['signup', signup], ['login', login], ['logout', logout]] as const) {
        const cookie = res.headers.getSetCookie().find((l) => l.startsWith(`${SESSION_COOKIE}=`))!;
        expect(attrs(cookie), label).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure', 'path=/']));
      }
    } finally {
      await https.close();
    }
  });
});

describe('listing and ending sessions', () => {
  it('lists the caller’s sessions only: device, created, last seen, which one is this', async () => {
    const ana = await signedUpClient(srv.url, { name: 'Ana' });
    const bob = await signedUpClient(srv.url, { name: 'Bob' });
    await loginAs(ana, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1');
    // A tab and a kilobyte of padding: stored as one bounded line.
    await loginAs(ana, `Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\t${'x'.repeat(1000)}`);
    const list = await ana.client.get('/api/auth/sessions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);
    expect(list.body.filter((s: { current: boolean }) => s.current)).toEqual([expect.objectContaining({ id: sessionId(ana.client) })]);
    expect(list.body.map((s: { device: string }) => s.device).sort()).toEqual(['Firefox on Linux', 'Safari on iPhone', 'Unknown device']);
    for (const s of list.body) {
      expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'device', 'expiresAt', 'id', 'lastSeenAt', 'userAgent']);
      expect(Date.parse(s.createdAt)).toBeLessThanOrEqual(Date.parse(s.lastSeenAt));
      expect(s.userAgent ?? '').not.toMatch(/[\t\r\n]/);
      expect((s.userAgent ?? '').length).toBeLessThanOrEqual(256);
    }
    const bobs = await bob.client.get('/api/auth/sessions');
    expect(bobs.body.map((s: { id: string }) => s.id)).toEqual([sessionId(bob.client)]);
  });

  it('will not end another user’s session: the same 404 as an unknown id, and theirs still works; a malformed id is a 400 naming the field', async () => {
    const ana = await signedUpClient(srv.url, { name: 'Ana' });
    const mallory = await signedUpClient(srv.url, { name: 'Mallory' });
    const theirs = await mallory.client.request('DELETE', `/api/auth/sessions/${sessionId(ana.client)}`);
    const unknown = await mallory.client.request('DELETE', `/api/auth/sessions/${'0'.repeat(64)}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(unknown.body);
    expect((await ana.client.get('/api/me')).status).toBe(200);
    for (const bad of ['not-a-session', 'A'.repeat(64), `${'0'.repeat(63)}g`, '%00']) {
      const res = await mallory.client.request('DELETE', `/api/auth/sessions/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error, bad).toMatchObject({ code: 'invalid_field', field: 'id', message: expect.stringMatching(/64 hex/) });
    }
    // Ending "all other sessions" touches only the caller's.
    expect((await mallory.client.request('DELETE', '/api/auth/sessions')).body).toEqual({ ended: 0 });
    expect((await ana.client.get('/api/me')).status).toBe(200);
  });

  it('ending one session logs that browser out and closes its sockets and event streams; the others carry on', async () => {
    const ana = await signedUpClient(srv.url, { name: 'Ana' });
    const boardId = await createBoard(ana.client);
    const laptop = await loginAs(ana, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36');
    const onLaptop = connectBoard(srv.url, boardId, laptop);
    const onDesk = connectBoard(srv.url, boardId, ana.client);
    await Promise.all([onLaptop.synced(), onDesk.synced()]);
    const stream = await fetch(`${srv.url}/api/boards/${boardId}/events`, { headers: { cookie: laptop.cookieHeader } });
    const reader = stream.body!.getReader();
    expect(Buffer.from((await reader.read()).value!).toString()).toMatch(/event: ready/);
    let streamEnded = false;
    const drained = (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done);
      streamEnded = true;
    })();

    expect((await ana.client.request('DELETE', `/api/auth/sessions/${sessionId(laptop)}`)).status).toBe(204);
    expect((await onLaptop.closed()).code).toBe(SYNC_CLOSE.unauthorized);
    await waitFor(() => streamEnded, 'the laptop’s event stream to end', 3_000);
    await drained;
    expect((await laptop.get('/api/me')).status).toBe(401);
    // The desk is untouched: still online, still storing edits.
    expect(onDesk.closes).toEqual([]);
    const shot = addShot(onDesk.doc, { title: 'After the revoke', prompt: 'x', durationSec: 2, model: 'animatic' });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'the desk’s edit to be stored');
    expect((await ana.client.get('/api/auth/sessions')).body).toHaveLength(1);
    // Ending it twice: it is gone.
    expect((await ana.client.request('DELETE', `/api/auth/sessions/${sessionId(laptop)}`)).status).toBe(404);
    onLaptop.destroy();
    onDesk.destroy();
  });

  it('ending all other sessions keeps this one; ending this one is a logout', async () => {
    const ana = await signedUpClient(srv.url, { name: 'Ana' });
    const other = await signedUpClient(srv.url, { name: 'Other' });
    const boardId = await createBoard(ana.client);
    const otherBoard = await createBoard(other.client);
    const phone = await loginAs(ana, 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36');
    const tablet = await loginAs(ana, 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1');
    const sockets = [connectBoard(srv.url, boardId, phone), connectBoard(srv.url, boardId, tablet)];
    const bystander = connectBoard(srv.url, otherBoard, other.client);
    await Promise.all([...sockets, bystander].map((s) => s.synced()));

    const res = await ana.client.request('DELETE', '/api/auth/sessions');
    expect(res.body).toEqual({ ended: 2 });
    for (const s of sockets) expect((await s.closed()).code).toBe(SYNC_CLOSE.unauthorized);
    expect((await phone.get('/api/me')).status).toBe(401);
    expect((await tablet.get('/api/me')).status).toBe(401);
    expect((await ana.client.get('/api/auth/sessions')).body.map((s: { current: boolean }) => s.current)).toEqual([true]);
    // Another user on another board never noticed.
    expect(bystander.closes).toEqual([]);
    const shot = addShot(bystander.doc, { title: 'Unaffected', prompt: 'y', durationSec: 2, model: 'animatic' });
    await waitFor(() => srv.takeboard.hub.read(otherBoard, (d) => getShot(d, shot)), 'the bystander’s edit to be stored');

    const self = await ana.client.request('DELETE', `/api/auth/sessions/${sessionId(ana.client)}`);
    expect(self.status).toBe(204);
    expect(self.headers.getSetCookie().some((l) => l.startsWith(`${SESSION_COOKIE}=;`))).toBe(true);
    expect((await ana.client.get('/api/me')).status).toBe(401);
    for (const s of [...sockets, bystander]) s.destroy();
  });
});
