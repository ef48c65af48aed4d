/**
 * The board role middleware on its own, over the real database: it finds the board (from the
 * path, or from what the path names), lets through members with at least the role a route names
 * and puts the board and the caller's own role on the context; everyone else is answered before
 * the route runs (404 for non-members, worded for what the path names; 403 below the role; 409 on
 * an archived board unless the route works on archived boards). The route-by-route answers are
 * in test/adversarial/authz-matrix.test.ts.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireUser } from '../../server/auth/middleware.js';
import { boardRoles } from '../../server/boards/access.js';
import { AppError } from '../../server/errors.js';
import type { AppEnv } from '../../server/http/env.js';
import { errorHandler } from '../../server/http/errors.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { createBoard, joinWithRole, signedUpClient, type TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let owner: TestClient;
let viewer: TestClient;
let stranger: TestClient;
let viewerId: string;
let boardId: string;
let archivedId: string;
/** Routes of the probe app that ran their handler (a refused request must never reach it). */
const ran: string[] = [];

/** A probe app over the test server's database: each route answers with what the middleware put on the context. */
function probeApp() {
  const deps = { db: srv.database.db, clock: systemClock, log: createLogger('silent'), publicOrigin: srv.origin };
  const boardRole = boardRoles(deps.db);
  const app = new Hono<AppEnv>();
  app.onError(errorHandler(deps.log));
  app.use('*', requireUser(deps));
  app.get('/boards/:boardId/read', boardRole('viewer'), (c) => (ran.push('read'), c.json(c.get('board'))));
  app.get('/boards/:boardId/edit', boardRole('editor'), (c) => (ran.push('edit'), c.json(c.get('board'))));
  app.get('/boards/:boardId/restore', boardRole('owner', { whileArchived: true }), (c) => (ran.push('restore'), c.json(c.get('board'))));
  app.get('/boards/:boardId/people/:userId', boardRole((req, me) => (req.param('userId') === me ? 'viewer' : 'owner')), (c) => c.json(c.get('board')));
  // The path names a "thing" whose board is looked up: `things/<boardId>` exists, anything else does not.
  const thingRole = boardRole('viewer', {
    boardOf: async (req) => (req.param('thingId')!.startsWith('on-') ? req.param('thingId')!.slice(3) : undefined),
    notFound: () => new AppError('not_found', 'Thing not found'),
  });
  app.get('/things/:thingId', thingRole, (c) => (ran.push('thing'), c.json(c.get('board'))));
  return app;
}

async function ask(client: TestClient, path: string) {
  const res = await probeApp().request(path, { headers: client.cookies.size > 0 ? { cookie: client.cookieHeader } : {} });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  srv = await startTestServer({ app: { generation: { startWorker: false } } });
  const [o, v, s] = await Promise.all(['Owner', 'Viewer', 'Stranger'].map((name) => signedUpClient(srv.url, { name })));
  owner = o!.client;
  viewer = v!.client;
  viewerId = v!.user.id;
  stranger = s!.client;
  boardId = await createBoard(owner, 'Probe board');
  archivedId = await createBoard(owner, 'Archived probe board');
  await joinWithRole(owner, viewer, boardId, 'viewer');
  expect((await owner.patch(`/api/boards/${archivedId}`, { archived: true })).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await srv?.close();
});

describe('boardRole', () => {
  it('puts the board from the path and the caller’s own role (not the least one asked) on the context', async () => {
    expect(await ask(owner, `/boards/${boardId}/read`)).toEqual({ status: 200, body: { id: boardId, role: 'owner' } });
    expect(await ask(viewer, `/boards/${boardId}/read`)).toEqual({ status: 200, body: { id: boardId, role: 'viewer' } });
    expect(await ask(owner, `/boards/${boardId}/edit`)).toEqual({ status: 200, body: { id: boardId, role: 'owner' } });
  });

  it('answers below the role with 403 naming the role needed and the one held, before the route runs', async () => {
    ran.length = 0;
    expect(await ask(viewer, `/boards/${boardId}/edit`)).toEqual({
      status: 403,
      body: { error: { code: 'forbidden', message: 'This needs the editor role on this board; you are a viewer' } },
    });
    expect(ran).toEqual([]);
  });

  it('answers a stranger exactly as for a board that does not exist', async () => {
    ran.length = 0;
    const real = await ask(stranger, `/boards/${boardId}/read`);
    const madeUp = await ask(stranger, '/boards/no-such-board/read');
    expect(real).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Board not found' } } });
    expect(madeUp).toEqual(real);
    expect(ran).toEqual([]);
  });

  it('refuses writes on an archived board (409) unless the route works on archived boards; reads pass', async () => {
    expect(await ask(owner, `/boards/${archivedId}/edit`)).toEqual({
      status: 409,
      body: { error: { code: 'conflict', message: 'This board is archived, so it is read-only; its owner can restore it from the board menu' } },
    });
    expect(await ask(owner, `/boards/${archivedId}/restore`)).toEqual({ status: 200, body: { id: archivedId, role: 'owner' } });
    expect((await ask(owner, `/boards/${archivedId}/read`)).status).toBe(200);
  });

  it('reads the role a route needs from the request when the route says so', async () => {
    expect((await ask(viewer, `/boards/${boardId}/people/${viewerId}`)).status).toBe(200);
    expect((await ask(viewer, `/boards/${boardId}/people/someone-else`)).status).toBe(403);
  });

  it('finds the board through what the path names, and answers non-members as for a made-up id of that thing', async () => {
    expect(await ask(viewer, `/things/on-${boardId}`)).toEqual({ status: 200, body: { id: boardId, role: 'viewer' } });
    ran.length = 0;
    const notFound = { status: 404, body: { error: { code: 'not_found', message: 'Thing not found' } } };
    expect(await ask(stranger, `/things/on-${boardId}`)).toEqual(notFound);
    expect(await ask(viewer, '/things/missing')).toEqual(notFound);
    expect(ran).toEqual([]);
  });

  it('needs a session first (401), whatever the board', async () => {
    const anonymous = { cookies: new Map(), cookieHeader: '' } as unknown as TestClient;
    expect((await ask(anonymous, `/boards/${boardId}/read`)).status).toBe(401);
  });
});
