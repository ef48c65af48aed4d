/**
 * Personal access tokens across scopes, on the real app over a real libSQL file: what a read and
 * a write token may do on the boards they name and on others, that a token never acts above its
 * owner's current role, revoked and expired tokens (401, said plainly), that tokens never reach
 * account routes, the limits, and that the secret is not at rest in the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { addShot, getShot } from '../../shared/doc/index.js';
import type { ApiTokenCreated, ApiTokenInfo } from '../../shared/api.js';
import { manualClock } from '../../server/lib/clock.js';
import { hashToken } from '../../server/lib/ids.js';
import { defaultTestEngine } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, joinWithRole, signedUpClient, type TestClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

const DAY = 24 * 60 * 60 * 1000;
/** What a token may reach (docs/api.md, "API tokens"): routes behind `boardRole`. */
const TOKEN_ROUTES = [
  'GET /api/boards/:boardId',
  'PATCH /api/boards/:boardId',
  'DELETE /api/boards/:boardId',
  'POST /api/boards/:boardId/duplicate',
  'GET /api/boards/:boardId/members',
  'PATCH /api/boards/:boardId/members/:userId',
  'DELETE /api/boards/:boardId/members/:userId',
  'POST /api/boards/:boardId/assets',
  'GET /api/boards/:boardId/assets',
  'GET /api/assets/:assetId',
  'GET /api/assets/:assetId/poster',
  'POST /api/boards/:boardId/shots/:shotId/generate',
  'POST /api/boards/:boardId/shots/:shotId/generate-batch',
  'POST /api/boards/:boardId/shots/:shotId/generate-chain-batch',
  'GET /api/boards/:boardId/shots/:shotId/estimate',
  'GET /api/boards/:boardId/seams',
  'POST /api/boards/:boardId/shots/:shotId/keep-anyway',
  'POST /api/boards/:boardId/comments/:commentId/regenerate',
  'GET /api/boards/:boardId/shots/:shotId/history',
  'POST /api/boards/:boardId/timeline-import',
  'POST /api/boards/:boardId/timeline-import/accept',
  'GET /api/boards/:boardId/jobs',
  'GET /api/jobs/:jobId',
  'POST /api/jobs/:jobId/cancel',
  'GET /api/boards/:boardId/costs',
  'GET /api/boards/:boardId/costs.csv',
];
/** Routes that need no login at all: a token there is no credential. */
const NO_LOGIN_ROUTES = ['GET /api/health', 'GET /api/ready', 'GET /api/openapi.json', 'POST /api/auth/signup', 'POST /api/auth/login', 'GET /api/invites/:token', 'POST /api/webhooks/:providerId/:jobId', 'GET /api/guest/links/:secret', 'POST /api/guest/session'];
const clock = manualClock();
let srv: TestServer;
let owner: Awaited<ReturnType<typeof signedUpClient>>;
let boardA: string;
let boardB: string;
let shotA: string;
let shotB: string;

/** A script: the token in Authorization, no cookie and no Origin (nothing a browser would add). */
async function bearer(secret: string, method: string, path: string, body?: unknown) {
  const res = await fetch(srv.url + path, {
    method,
    headers: { authorization: `Bearer ${secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
}

async function createToken(client: TestClient, fields: Record<string, unknown>): Promise<ApiTokenCreated> {
  const res = await client.post('/api/auth/tokens', fields);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function boardWithShot(client: TestClient, title: string): Promise<[string, string]> {
  const boardId = await createBoard(client, title);
  const conn = connectBoard(srv.url, boardId, client);
  await conn.synced();
  const shotId = addShot(conn.doc, { title: 'Opening', prompt: 'a quiet street', durationSec: 2, model: 'animatic' });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)), 'shot stored');
  conn.destroy();
  return [boardId, shotId];
}

beforeAll(async () => {
  // Jobs stay queued (no worker): what a token may ask is under test, not renders.
  srv = await startTestServer({ clock, app: { generation: { startWorker: false }, authRules: { tokenCreate: { maxFailures: 25, windowMs: 60 * 60_000 } } } });
  owner = await signedUpClient(srv.url, { name: 'Owner' });
  [boardA, shotA] = await boardWithShot(owner.client, 'Board A');
  [boardB, shotB] = await boardWithShot(owner.client, 'Board B');
});
afterAll(() => srv?.close());

describe('API tokens across scopes', () => {
  it('a read token reads its board and changes nothing; a write token generates; neither reaches another board', async () => {
    const read = await createToken(owner.client, { name: 'Dashboard', boards: [boardA], access: 'read' });
    const write = await createToken(owner.client, { name: 'Render farm', boards: [boardA], access: 'write', expiresInDays: 30 });
    expect(read.secret).toMatch(/^tb_pat_[a-z2-7]{32}$/);
    expect(read.token).toMatchObject({ name: 'Dashboard', access: 'read', boards: [{ id: boardA, title: 'Board A' }], expiresAt: null, lastUsedAt: null });

    expect((await bearer(read.secret, 'GET', `/api/boards/${boardA}/jobs`)).status).toBe(200);
    const refused = await bearer(read.secret, 'POST', `/api/boards/${boardA}/shots/${shotA}/generate`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/read-only/);
    // No Origin header, and still accepted: a bearer request carries no ambient credential.
    const made = await bearer(write.secret, 'POST', `/api/boards/${boardA}/shots/${shotA}/generate`, {});
    expect(made.status, JSON.stringify(made.body)).toBe(202);
    expect((await bearer(read.secret, 'GET', `/api/jobs/${made.body.jobId}`)).status).toBe(200);

    // Board B is the owner's too, but not the token's: the non-member's 404, for reads and writes.
    expect((await bearer(read.secret, 'GET', `/api/boards/${boardB}/jobs`)).status).toBe(404);
    expect((await bearer(write.secret, 'POST', `/api/boards/${boardB}/shots/${shotB}/generate`, {})).status).toBe(404);
    const onB = await bearer(write.secret, 'GET', `/api/boards/${boardB}/jobs`);
    expect(onB).toEqual(await bearer(write.secret, 'GET', '/api/boards/x9zq7m2k4p8r6t1w3y5v0nab/jobs'));

    const all = await createToken(owner.client, { name: 'Everything', boards: 'all', access: 'read' });
    expect((await bearer(all.secret, 'GET', `/api/boards/${boardB}/jobs`)).status).toBe(200);
  });

  it('a write token acts at most as its owner’s role, and stops at once when its owner is removed', async () => {
    const member = await signedUpClient(srv.url, { name: 'Viewer' });
    await joinWithRole(owner.client, member.client, boardA, 'viewer');
    const write = await createToken(member.client, { name: 'Mine', boards: [boardA], access: 'write' });
    expect((await bearer(write.secret, 'GET', `/api/boards/${boardA}/jobs`)).status).toBe(200);
    const above = await bearer(write.secret, 'POST', `/api/boards/${boardA}/shots/${shotA}/generate`, {});
    expect(above.status).toBe(403);
    expect(above.body.error.message).toMatch(/needs the editor role/);

    expect((await owner.client.delete(`/api/boards/${boardA}/members/${member.user.id}`)).status).toBe(204);
    expect((await bearer(write.secret, 'GET', `/api/boards/${boardA}/jobs`)).status).toBe(404);
    // Nor can a token be made for a board one is not a member of.
    const foreign = await member.client.post('/api/auth/tokens', { name: 'Sneaky', boards: [boardA], access: 'read' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ field: 'boards', message: expect.stringMatching(/not a board you are a member of/) });
  });

  it('a revoked token and an expired one get 401 with a plain message', async () => {
    const gone = await createToken(owner.client, { name: 'Old laptop', boards: 'all', access: 'read' });
    expect((await owner.client.delete(`/api/auth/tokens/${gone.token.id}`)).status).toBe(204);
    const revoked = await bearer(gone.secret, 'GET', `/api/boards/${boardA}/jobs`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toBe('This API token was revoked');
    expect((await owner.client.delete(`/api/auth/tokens/${gone.token.id}`)).status).toBe(404);

    const brief = await createToken(owner.client, { name: 'One day', boards: 'all', access: 'read', expiresInDays: 1 });
    expect((await bearer(brief.secret, 'GET', `/api/boards/${boardA}/jobs`)).status).toBe(200);
    clock.advance(DAY + 1);
    const expired = await bearer(brief.secret, 'GET', `/api/boards/${boardA}/jobs`);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/^This API token expired on \d{4}-/);
    const listed = (await owner.client.get<ApiTokenInfo[]>('/api/auth/tokens')).body.find((t) => t.id === brief.token.id);
    expect(listed?.expired).toBe(true);

    const unknown = await bearer('tb_pat_' + 'a'.repeat(32), 'GET', `/api/boards/${boardA}/jobs`);
    expect(unknown.status).toBe(401);
    expect((await bearer('not-a-token', 'GET', `/api/boards/${boardA}/jobs`)).body.error.message).toMatch(/not a Takeboard API token/);
  });

  it('a token never reaches account routes: it cannot make, list or revoke tokens, and a cookie beside it does not count', async () => {
    const write = await createToken(owner.client, { name: 'Script', boards: 'all', access: 'write' });
    for (const [method, route, body] of [
      ['POST', '/api/auth/tokens', { name: 'Child', boards: 'all', access: 'write' }],
      ['GET', '/api/auth/tokens', undefined],
      ['DELETE', `/api/auth/tokens/${write.token.id}`, undefined],
      ['PATCH', '/api/auth/profile', { city: 'Elsewhere' }],
      ['GET', '/api/auth/sessions', undefined],
      ['GET', '/api/me', undefined],
      ['GET', '/api/boards', undefined],
      ['POST', '/api/boards', { title: 'By script' }],
    ] as const) {
      const res = await bearer(write.secret, method, route, body);
      expect(res.status, `${method} ${route}`).toBe(403);
    }
    // With the owner's cookie as well (and no Origin): judged by the token alone, still refused.
    const both = await fetch(`${srv.url}/api/auth/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${write.secret}`, cookie: owner.client.cookieHeader, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Child', boards: 'all', access: 'write' }),
    });
    expect(both.status).toBe(403);
    const names = (await owner.client.get<ApiTokenInfo[]>('/api/auth/tokens')).body.map((t) => t.name);
    expect(names).not.toContain('Child');
    // Nor the sync socket: it reads only the session cookie (no live edits or reads by token).
    const socket = new WebSocket(`${srv.url.replace(/^http/, 'ws')}/sync/${boardA}`, { headers: { origin: srv.url, authorization: `Bearer ${write.secret}` } });
    const messages: unknown[] = [];
    socket.on('message', (m) => messages.push(m));
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(SYNC_CLOSE.unauthorized);
    expect(messages).toEqual([]);
    // Cookie requests still need the app's Origin.
    const noOrigin = await fetch(`${srv.url}/api/auth/tokens`, { method: 'POST', headers: { cookie: owner.client.cookieHeader, 'content-type': 'application/json' }, body: '{}' });
    expect(noOrigin.status).toBe(403);
  });

  it('reaches only the routes of one board, job or asset: every other route of the app refuses a token (403)', async () => {
    const write = await createToken(owner.client, { name: 'Prober', boards: 'all', access: 'write' });
    const routes = [...new Set(srv.takeboard.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`))];
    // A new route is refused to tokens unless it is listed here on purpose (and in docs/api.md).
    expect(TOKEN_ROUTES.filter((k) => !routes.includes(k)), 'listed but not served').toEqual([]);
    for (const key of routes) {
      if (TOKEN_ROUTES.includes(key) || NO_LOGIN_ROUTES.includes(key)) continue;
      const [method, pattern] = key.split(' ') as [string, string];
      const route = pattern.replace(':boardId', boardA).replace(/:[A-Za-z]+/g, 'x9zq7m2k4p8r6t1w3y5v0nab');
      const res = await bearer(write.secret, method, route, method === 'GET' ? undefined : {});
      // A guest review's routes read only the guest cookie: a token is no guest.
      if (pattern.startsWith('/api/guest/')) {
        expect(res.status, key).toBe(401);
        continue;
      }
      expect(res.status, key).toBe(403);
      expect(res.body.error.message, key).toMatch(/API tokens cannot reach this route/);
    }
  });

  it('lists tokens without secrets, with when each was last used', async () => {
    const t = await createToken(owner.client, { name: 'Listed', boards: [boardB], access: 'read', expiresInDays: 7 });
    await bearer(t.secret, 'GET', `/api/boards/${boardB}/jobs`);
    const list = await owner.client.get<ApiTokenInfo[]>('/api/auth/tokens');
    expect(JSON.stringify(list.body)).not.toContain('tb_pat_');
    const listed = list.body.find((x) => x.id === t.token.id)!;
    expect(listed).toMatchObject({ name: 'Listed', access: 'read', boards: [{ id: boardB, title: 'Board B' }], expired: false });
    expect(listed.lastUsedAt).toBe(new Date(clock.now()).toISOString());
    expect(Date.parse(listed.expiresAt!) - clock.now()).toBe(7 * DAY);
  });

  it('refuses bad input naming the field and the allowed values', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: '', boards: 'all', access: 'read' }, 'name', /required/],
      [{ name: 'x', boards: 'all', access: 'admin' }, 'access', /read, write/],
      [{ name: 'x', boards: [], access: 'read' }, 'boards', /at least one board/],
      [{ name: 'x', boards: 'some', access: 'read' }, 'boards', /"all" or a list/],
      [{ name: 'x', boards: 'all', access: 'read', expiresInDays: 0 }, 'expiresInDays', /1 to 365/],
      [{ name: 'x', boards: 'all', access: 'read', expiresInDays: 2.5 }, 'expiresInDays', /1 to 365/],
    ];
    for (const [body, field, message] of cases) {
      const res = await owner.client.post('/api/auth/tokens', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('holds at most 20 active tokens per person, and throttles creating them', async () => {
    const busy = await signedUpClient(srv.url, { name: 'Busy' });
    const made: ApiTokenCreated[] = [];
    for (let i = 0; i < 20; i++) made.push(await createToken(busy.client, { name: `Token ${i}`, boards: 'all', access: 'read' }));
    const full = await busy.client.post('/api/auth/tokens', { name: 'One more', boards: 'all', access: 'read' });
    expect(full.status).toBe(409);
    expect(full.body.error.message).toMatch(/20 active API tokens/);
    for (const t of made.slice(0, 6)) expect((await busy.client.delete(`/api/auth/tokens/${t.token.id}`)).status).toBe(204);
    // This test's server allows 25 creations an hour: 20 made, 5 more pass, the next is throttled.
    for (let i = 0; i < 5; i++) await createToken(busy.client, { name: `Again ${i}`, boards: 'all', access: 'read' });
    const throttled = await busy.client.post('/api/auth/tokens', { name: 'Too fast', boards: 'all', access: 'read' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBeTruthy();
  });

  it('keeps only the hash at rest: the secret is nowhere in the database files', async () => {
    const t = await createToken(owner.client, { name: 'At rest', boards: 'all', access: 'write' });
    // The libSQL file and its WAL byte for byte; on PostgreSQL, every column of the table.
    const files = fs.readdirSync(srv.dataDir).filter((f) => f.startsWith('takeboard.db'));
    if (defaultTestEngine() === 'libsql') expect(files.length).toBeGreaterThan(0);
    const stored = defaultTestEngine() === 'libsql' ? [] : [Buffer.from(JSON.stringify(await srv.database.db.selectFrom('api_tokens').selectAll().execute()))];
    const bytes = Buffer.concat([...files.map((f) => fs.readFileSync(path.join(srv.dataDir, f))), ...stored]);
    expect(bytes.includes(Buffer.from(hashToken(t.secret)))).toBe(true);
    expect(bytes.includes(Buffer.from(t.secret))).toBe(false);
    expect(bytes.includes(Buffer.from(t.secret.slice('tb_pat_'.length)))).toBe(false);
  });
});
