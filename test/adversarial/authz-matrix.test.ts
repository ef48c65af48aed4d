/**
 * The authorisation matrix. Every HTTP route the app has (read from the app
 * itself, so a new route fails this test until it is classified here) and the sync socket, tried
 * as anonymous, a guest of a review link (no account), stranger, viewer, commenter, editor and
 * owner; then with ids that belong to another board.
 * No one gets more than their role, nothing answers 500, and a stranger cannot tell a real id
 * from a made-up one: the answers are byte for byte the same.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, addShot, getShot, listComments, roots, upsertTake } from '../../shared/doc/index.js';
import { roleAtLeast, type Role } from '../../shared/api.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { SESSION_COOKIE } from '../../server/auth/sessions.js';
import { hashToken } from '../../server/lib/ids.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';
import { connectBoard, rawSocket } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { upload } from './helpers.js';

/** 'guest': only someone who opened a review link of the board and typed a name (a guest session). */
type Need = 'public' | 'user' | 'guest' | Role;
type Actor = 'anonymous' | 'guest' | 'stranger' | 'viewer' | 'commenter' | 'editor' | 'owner';
const ACTORS: Actor[] = ['anonymous', 'guest', 'stranger', 'viewer', 'commenter', 'editor', 'owner'];

interface Spec {
  need: Need;
  /** JSON body, built per call (fresh emails, fresh targets). */
  body?: (w: World, actor: Actor) => unknown;
  upload?: boolean;
  /** Server-Sent Events: read the head only. */
  sse?: boolean;
  /** Logs the caller out or replaces their session: run it on a session of its own. */
  ownSession?: boolean;
  /** Path parameters other than the defaults (the board under test and its ids); `client` is the caller. */
  params?: (w: World, actor: Actor, client: TestClient) => Record<string, string> | Promise<Record<string, string>>;
  /** Changes the world for everyone after it: run these last, in this order. */
  last?: number;
}

/** Every route of the app, classified. A route missing here fails the test. */
const SPECS: Record<string, Spec> = {
  'GET /api/health': { need: 'public' },
  'GET /api/ready': { need: 'public' },
  // The API document describes routes, never data: public, as such documents usually are.
  'GET /api/openapi.json': { need: 'public' },
  'POST /api/auth/signup': { need: 'public', ownSession: true, body: (w) => ({ email: w.freshEmail(), password: 'a long password', name: 'New' }) },
  'POST /api/auth/login': { need: 'public', ownSession: true, body: (w) => ({ email: w.spare.email, password: w.spare.password }) },
  'POST /api/auth/logout': { need: 'user', ownSession: true },
  'POST /api/auth/logout-everywhere': { need: 'user', ownSession: true, last: 3 },
  'GET /api/auth/sessions': { need: 'user' },
  // Ends the caller's other sessions, the actors' own among them: with the other world-enders.
  'DELETE /api/auth/sessions': { need: 'user', ownSession: true, last: 3 },
  'DELETE /api/auth/sessions/:id': {
    need: 'user',
    ownSession: true,
    params: (_w, _actor, client) => ({ id: client.cookies.has(SESSION_COOKIE) ? hashToken(client.cookies.get(SESSION_COOKIE)!) : '0'.repeat(64) }),
  },
  'GET /api/me': { need: 'user' },
  // API tokens are the caller's own (signed-in people only; a token reaching these is tested in test/auth/api-tokens.test.ts).
  'GET /api/auth/tokens': { need: 'user' },
  'POST /api/auth/tokens': { need: 'user', body: () => ({ name: 'Matrix script', boards: 'all', access: 'read' }) },
  'DELETE /api/auth/tokens/:id': {
    need: 'user',
    // A token of the caller's own to revoke (the anonymous caller cannot make one: any well-formed id).
    params: async (_w, _actor, client) => {
      const made = await client.post('/api/auth/tokens', { name: 'To revoke', boards: 'all', access: 'read' });
      return { id: made.status === 201 ? (made.body.token.id as string) : 'a'.repeat(24) };
    },
  },
  'PATCH /api/auth/profile': { need: 'user', body: () => ({ city: 'Matrix City' }) },
  // The inbox is the caller's own; an empty list of ids is refused as bad input (400), not as access.
  'GET /api/notifications': { need: 'user' },
  'POST /api/notifications/read': { need: 'user', body: () => ({ ids: [] }) },
  'POST /api/notifications/read-all': { need: 'user' },
  'GET /api/notifications/events': { need: 'user', sse: true },
  'GET /api/models': { need: 'user' },
  'GET /api/boards': { need: 'user' },
  'POST /api/boards': { need: 'user', body: () => ({ title: 'Another board' }) },
  'GET /api/boards/:boardId': { need: 'viewer' },
  'PATCH /api/boards/:boardId': { need: 'owner', body: () => ({ title: 'Renamed board' }) },
  'POST /api/boards/:boardId/duplicate': { need: 'viewer', body: () => ({ title: 'Copy of the board' }) },
  'DELETE /api/boards/:boardId': { need: 'owner', last: 2 },
  'GET /api/boards/:boardId/members': { need: 'viewer' },
  'PATCH /api/boards/:boardId/members/:userId': { need: 'owner', body: () => ({ role: 'viewer' }) },
  'DELETE /api/boards/:boardId/members/:userId': { need: 'owner', last: 1 },
  'POST /api/boards/:boardId/invites': { need: 'owner', body: () => ({ role: 'viewer' }) },
  'GET /api/boards/:boardId/invites': { need: 'owner' },
  'DELETE /api/boards/:boardId/invites/:inviteId': { need: 'owner', params: (w) => ({ inviteId: w.a.revocable }) },
  'GET /api/invites/:token': { need: 'public' },
  'POST /api/invites/:token/accept': { need: 'user', params: (w) => ({ token: w.throwawayInvite() }) },
  'POST /api/boards/:boardId/assets': { need: 'editor', upload: true },
  'GET /api/boards/:boardId/assets': { need: 'viewer' },
  'GET /api/assets/:assetId': { need: 'viewer' },
  'GET /api/assets/:assetId/poster': { need: 'viewer' },
  'POST /api/boards/:boardId/shots/:shotId/generate': { need: 'editor', body: () => ({}) },
  'POST /api/boards/:boardId/shots/:shotId/generate-batch': { need: 'editor', body: () => ({ count: 2 }) },
  'POST /api/boards/:boardId/shots/:shotId/generate-chain-batch': { need: 'editor', body: () => ({ count: 1 }) },
  'GET /api/boards/:boardId/shots/:shotId/estimate': { need: 'viewer' },
  'GET /api/boards/:boardId/seams': { need: 'viewer' },
  // Outgoing webhooks are the owner's: their URLs and delivery log say where the board's events go.
  'GET /api/boards/:boardId/webhooks': { need: 'owner' },
  'POST /api/boards/:boardId/webhooks': { need: 'owner', body: () => ({ url: 'https://hooks.invalid/matrix', events: ['export.ready'] }) },
  'DELETE /api/boards/:boardId/webhooks/:endpointId': { need: 'owner', params: (w) => ({ endpointId: w.a.spareWebhookId }) },
  'GET /api/boards/:boardId/webhooks/:endpointId/deliveries': { need: 'owner' },
  'PATCH /api/boards/:boardId/webhooks/:endpointId': { need: 'owner', body: () => ({ events: ['export.ready', 'take.failed'] }) },
  'POST /api/boards/:boardId/webhooks/:endpointId/rotate-secret': { need: 'owner' },
  // The owner's resend queues the failed delivery again; no one else reaches it.
  'POST /api/boards/:boardId/webhooks/:endpointId/deliveries/:deliveryId/resend': { need: 'owner' },
  // The matrix shot is not chained: members with the role get a 409 ("not stale"), not a 2xx.
  'POST /api/boards/:boardId/shots/:shotId/keep-anyway': { need: 'editor', body: () => ({}) },
  // A file that is no timeline of the board: members with the role get a 400 naming the line, not a 2xx.
  'POST /api/boards/:boardId/timeline-import': { need: 'editor', body: () => ({ file: 'TITLE: matrix\n' }) },
  'POST /api/boards/:boardId/timeline-import/accept': { need: 'editor', body: () => ({ file: 'TITLE: matrix\n', accept: 'all' }) },
  // Regenerate from note queues a take: editors, as Generate (a commenter wrote the note but does not spend).
  'POST /api/boards/:boardId/comments/:commentId/regenerate': { need: 'editor', body: () => ({}) },
  'GET /api/boards/:boardId/shots/:shotId/history': { need: 'viewer' },
  'GET /api/boards/:boardId/jobs': { need: 'viewer' },
  'GET /api/jobs/:jobId': { need: 'viewer' },
  'POST /api/jobs/:jobId/cancel': { need: 'editor' },
  'GET /api/boards/:boardId/costs': { need: 'viewer' },
  'GET /api/boards/:boardId/costs.csv': { need: 'viewer' },
  'GET /api/boards/:boardId/events': { need: 'viewer', sse: true },
  // Provider callbacks are public by nature and answer 204 whatever they are sent.
  'POST /api/webhooks/:providerId/:jobId': { need: 'public', params: () => ({ providerId: 'fal' }) },
  // Guest review links: the owner's to make, list and revoke; opening one is public (the secret is the key).
  'GET /api/boards/:boardId/review-links': { need: 'owner' },
  'POST /api/boards/:boardId/review-links': { need: 'owner', body: () => ({ expiresInHours: 24 }) },
  'DELETE /api/boards/:boardId/review-links/:linkId': { need: 'owner', params: (w) => ({ linkId: w.a.spareReviewLinkId }) },
  'GET /api/guest/links/:secret': { need: 'public' },
  'POST /api/guest/session': { need: 'public', body: (_w, actor) => ({ secret: w.a.reviewSecret, name: `Matrix ${actor}` }) },
  // What a guest session reaches: nobody else, members included (their session is not a guest's).
  'GET /api/guest/board': { need: 'guest' },
  'GET /api/guest/assets/:assetId': { need: 'guest', params: (w) => ({ assetId: w.a.guestClip }) },
  'GET /api/guest/assets/:assetId/poster': { need: 'guest', params: (w) => ({ assetId: w.a.guestClip }) },
  'POST /api/guest/comments': { need: 'guest', body: (w) => ({ shotId: w.a.shotId, takeId: w.a.guestTake, atSec: 0, text: 'matrix guest note' }) },
};
/** Exports, whatever files they grow: members read them. */
const EXPORT_PREFIX = 'GET /api/boards/:boardId/export/';
const exportSpec = (key: string): Spec => ({ need: 'viewer', sse: key.endsWith('/events') });

interface Member {
  client: TestClient;
  user: { id: string };
  email: string;
  password: string;
}
interface BoardIds {
  boardId: string;
  assetId: string;
  shotId: string;
  jobId: string;
  inviteId: string;
  inviteToken: string;
  revocable: string;
  target: string;
  webhookId: string;
  /** A failed delivery of `webhookId` (written as the dispatcher writes one). */
  deliveryId: string;
  /** An endpoint the owner deletes. */
  spareWebhookId: string;
  /** A review link's secret (the world's guest joined through it) and a spare link the owner revokes. */
  reviewSecret: string;
  spareReviewLinkId: string;
  /** A finished take (written as the server writes one) and its clip: what a guest may watch. */
  guestTake: string;
  guestClip: string;
  /** A comment on the shot (regenerate from note). */
  commentId: string;
}
interface World {
  a: BoardIds;
  /** The stranger's own board: the source of "ids from other boards". */
  b: BoardIds;
  actors: Record<Exclude<Actor, 'anonymous' | 'guest'>, Member>;
  /** A browser with no account that joined board A's review link. */
  guest: TestClient;
  spare: Member;
  freshEmail(): string;
  throwawayInvite(): string;
}

const B_SHOT_TITLE = 'The other board’s secret shot';
let srv: TestServer;
let fx: MediaFixtures;
let w: World;
const throwawayTokens: string[] = [];
let emails = 0;

async function boardOf(owner: Member, shotTitle = 'Matrix shot'): Promise<BoardIds> {
  const boardId = await createBoard(owner.client, 'Matrix board');
  const assetId = (await upload(owner.client, boardId, fs.readFileSync(fx.png), 'frame.png')).body.id;
  const conn = connectBoard(srv.url, boardId, owner.client);
  await conn.synced();
  const shotId = addShot(conn.doc, { title: shotTitle, prompt: 'a quiet street', durationSec: 2, model: 'animatic', mode: 'image', startFrame: assetId });
  const commentId = addComment(conn.doc, { shotId, author: owner.user.id, text: 'Warmer light' });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)?.startFrame === assetId && listComments(d).some((c) => c.id === commentId)), 'shot stored');
  const gen = await owner.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
  expect(gen.status).toBe(202);
  const inv = (await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'viewer' })).body;
  const revocable = (await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'editor' })).body.id;
  const target = await signedUpClient(srv.url, { name: 'Target' });
  await joinWithRole(owner.client, target.client, boardId, 'viewer');
  const hook = async () => (await owner.client.post(`/api/boards/${boardId}/webhooks`, { url: 'https://hooks.invalid/matrix', events: ['export.ready'] })).body.id as string;
  const [webhookId, spareWebhookId] = [await hook(), await hook()];
  const deliveryId = `msg_matrix_${shotTitle.length}`;
  await srv.database.db
    .insertInto('webhook_deliveries')
    .values({ id: deliveryId, endpoint_id: webhookId, board_id: boardId, event: 'export.ready', body: '{}', status: 'failed', attempts: 5, next_attempt_at: 0, created_at: Date.now() })
    .execute();
  const link = async () => (await owner.client.post(`/api/boards/${boardId}/review-links`, { expiresInHours: 24 })).body as { id: string; secret: string };
  const [review, spareReview] = [await link(), await link()];
  // No worker runs here: a finished take is written as the take mirror writes one, its clip the uploaded still.
  const guestTake = `take-matrix-${shotTitle.length}`;
  await srv.takeboard.hub.change(boardId, (d) =>
    upsertTake(d, shotId, guestTake, { jobId: 'job-matrix', model: 'animatic', durationSec: 2, createdBy: owner.user.id, status: 'succeeded', clip: assetId }),
  );
  conn.destroy();
  return {
    boardId, assetId, shotId, jobId: gen.body.jobId, inviteId: inv.id, inviteToken: inv.token, revocable, target: target.user.id, webhookId, deliveryId, spareWebhookId,
    reviewSecret: review.secret, spareReviewLinkId: spareReview.id, guestTake, guestClip: assetId, commentId,
  };
}

beforeAll(async () => {
  fx = await makeMediaFixtures();
  // Jobs stay queued (no worker): cancel and the job views are what is under test, not renders.
  srv = await startTestServer({ app: { generation: { startWorker: false } } });
  const member = async (name: string): Promise<Member> => {
    const m = await signedUpClient(srv.url, { name });
    return { client: m.client, user: m.user, email: m.email, password: m.password };
  };
  const [owner, editor, commenter, viewer, stranger, spare, host] = await Promise.all(['Owner', 'Editor', 'Commenter', 'Viewer', 'Stranger', 'Spare', 'Host'].map(member));
  const a = await boardOf(owner!);
  await joinWithRole(owner!.client, editor!.client, a.boardId, 'editor');
  await joinWithRole(owner!.client, commenter!.client, a.boardId, 'commenter');
  await joinWithRole(owner!.client, viewer!.client, a.boardId, 'viewer');
  const b = await boardOf(stranger!, B_SHOT_TITLE);
  const throwaway = await createBoard(host!.client, 'Invites to give away');
  for (let i = 0; i < 40; i++) throwawayTokens.push((await host!.client.post(`/api/boards/${throwaway}/invites`, { role: 'viewer' })).body.token);
  const guest = new TestClient(srv.url);
  expect((await guest.post('/api/guest/session', { secret: a.reviewSecret, name: 'Matrix guest' })).status).toBe(201);
  w = {
    a,
    b,
    guest,
    actors: { owner: owner!, editor: editor!, commenter: commenter!, viewer: viewer!, stranger: stranger! },
    spare: spare!,
    freshEmail: () => `matrix-${process.pid}-${Date.now()}-${++emails}@example.test`,
    throwawayInvite: () => throwawayTokens.pop()!,
  };
}, 120_000);
afterAll(async () => {
  await srv?.close();
  await fx?.cleanup();
});

// ---- calling a route ----------------------------------------------------------------------

interface Answer {
  status: number;
  body: string;
  type: string;
}

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(params[name]!);
  });
}

function defaults(ids: BoardIds): Record<string, string> {
  return {
    boardId: ids.boardId, assetId: ids.assetId, shotId: ids.shotId, jobId: ids.jobId, inviteId: ids.inviteId, token: ids.inviteToken, userId: ids.target, providerId: 'fal', endpointId: ids.webhookId, deliveryId: ids.deliveryId,
    linkId: ids.spareReviewLinkId, secret: ids.reviewSecret, commentId: ids.commentId,
  };
}

/** A client for `actor`: their own, or (for routes that end sessions) a fresh login of theirs. */
async function clientFor(actor: Actor, spec: Spec): Promise<TestClient> {
  if (actor === 'anonymous') return new TestClient(srv.url);
  if (actor === 'guest') return w.guest;
  const m = w.actors[actor];
  if (!spec.ownSession) return m.client;
  const c = new TestClient(srv.url);
  const res = await c.post('/api/auth/login', { email: m.email, password: m.password });
  expect(res.status).toBe(200);
  return c;
}

async function call(client: TestClient, method: string, path: string, spec: Spec, actor: Actor): Promise<Answer> {
  const headers: Record<string, string> = { origin: srv.origin };
  if (client.cookies.size > 0) headers.cookie = client.cookieHeader;
  if (spec.upload) {
    const res = await upload(client, path.split('/')[3]!, fs.readFileSync(fx.webp), 'matrix.webp');
    return { status: res.status, body: JSON.stringify(res.body), type: res.headers.get('content-type') ?? '' };
  }
  const body = spec.body?.(w, actor);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const ctl = new AbortController();
  const res = await fetch(srv.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: ctl.signal, redirect: 'manual' });
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    ctl.abort();
    return { status: res.status, body: '<stream>', type };
  }
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body: type.includes('json') || type.startsWith('text/') ? buf.toString('utf8') : `<${buf.length} bytes>`, type };
}

function allowed(need: Need, actor: Actor): boolean {
  if (need === 'public') return true;
  // A guest session reaches the guest routes and nothing else; nobody else reaches those.
  if (need === 'guest' || actor === 'guest') return need === 'guest' && actor === 'guest';
  if (actor === 'anonymous') return false;
  if (need === 'user') return true;
  if (actor === 'stranger') return false;
  return roleAtLeast(actor, need);
}

/** The app's own list of routes (middleware and catch-alls left out). */
function appRoutes(): string[] {
  const keys = srv.takeboard.app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
    .map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)];
}

function specOf(key: string): Spec | undefined {
  return SPECS[key] ?? (key.startsWith(EXPORT_PREFIX) ? exportSpec(key) : undefined);
}

describe('ids from other boards, and made-up ones', () => {
  const MADE_UP = 'x9zq7m2k4p8r6t1w3y5v0nab';

  /** The same route with a real id a caller must not see, and with a made-up one: same answer. */
  async function sameAnswer(client: TestClient, method: string, pattern: string, real: Record<string, string>, madeUp: Record<string, string>, body?: unknown) {
    const spec: Spec = { need: 'public', ...(body !== undefined ? { body: () => body } : {}) };
    const a = await call(client, method, fill(pattern, real), spec, 'stranger');
    const b = await call(client, method, fill(pattern, madeUp), spec, 'stranger');
    const label = `${method} ${pattern}: real ${a.status} ${a.body} vs made-up ${b.status} ${b.body}`;
    expect(a.status, label).toBe(404);
    expect(a, label).toEqual(b);
  }

  it('a stranger cannot tell a real board, asset, job or member from a made-up one', async () => {
    const stranger = w.actors.stranger.client;
    const real = defaults(w.a);
    const fake = { ...real, boardId: MADE_UP, assetId: MADE_UP, jobId: MADE_UP, inviteId: MADE_UP, userId: MADE_UP, shotId: MADE_UP, endpointId: MADE_UP, commentId: MADE_UP };
    for (const key of appRoutes()) {
      const spec = specOf(key)!;
      const [method, pattern] = key.split(' ') as [string, string];
      // Guest routes know no board from their path (the guest session names it): tested in test/review-links/.
      if (spec.need === 'public' || spec.need === 'user' || spec.need === 'guest' || spec.upload) continue;
      const body = spec.body?.(w, 'stranger');
      await sameAnswer(stranger, method, pattern, real, fake, body);
    }
    const up = await upload(stranger, w.a.boardId, fs.readFileSync(fx.webp), 'x.webp');
    const upFake = await upload(stranger, MADE_UP, fs.readFileSync(fx.webp), 'x.webp');
    expect(up.status).toBe(404);
    expect(up.body).toEqual(upFake.body);
  }, 60_000);

  it('a member of one board reaches nothing of another through its own board’s routes', async () => {
    const owner = w.actors.owner.client;
    const a = w.a.boardId;
    const b = w.b;
    // B's ids in A's paths: not found, and nothing of B changes.
    expect((await owner.delete(`/api/boards/${a}/invites/${b.inviteId}`)).status).toBe(404);
    expect((await owner.delete(`/api/boards/${a}/webhooks/${b.webhookId}`)).status).toBe(404);
    expect((await owner.get(`/api/boards/${a}/webhooks/${b.webhookId}/deliveries`)).status).toBe(404);
    expect((await owner.patch(`/api/boards/${a}/webhooks/${b.webhookId}`, { events: ['take.failed'] })).status).toBe(404);
    expect((await owner.post(`/api/boards/${a}/webhooks/${b.webhookId}/rotate-secret`, {})).status).toBe(404);
    expect((await owner.post(`/api/boards/${a}/webhooks/${b.webhookId}/deliveries/${b.deliveryId}/resend`, {})).status).toBe(404);
    expect((await owner.post(`/api/boards/${a}/webhooks/${w.a.webhookId}/deliveries/${b.deliveryId}/resend`, {})).status).toBe(404);
    expect((await owner.patch(`/api/boards/${a}/members/${w.actors.stranger.user.id}`, { role: 'viewer' })).status).toBe(404);
    expect((await owner.delete(`/api/boards/${a}/members/${w.actors.stranger.user.id}`)).status).toBe(404);
    const gen = await owner.post(`/api/boards/${a}/shots/${b.shotId}/generate`, {});
    expect(gen.status).toBe(404);
    // B's invite still works for its own board; B's stranger is still its owner.
    expect((await new TestClient(srv.url).get(`/api/invites/${b.inviteToken}`)).status).toBe(200);
    expect((await w.actors.stranger.client.get(`/api/boards/${b.boardId}`)).body.role).toBe('owner');
    // B's asset, job and poster by id: the same 404 as a made-up id.
    for (const pattern of ['/api/assets/:id', '/api/assets/:id/poster', '/api/jobs/:id']) {
      const id = pattern.startsWith('/api/jobs') ? b.jobId : b.assetId;
      const real = await call(owner, 'GET', pattern.replace(':id', id), { need: 'public' }, 'owner');
      const made = await call(owner, 'GET', pattern.replace(':id', MADE_UP), { need: 'public' }, 'owner');
      expect(real.status).toBe(404);
      expect(real).toEqual(made);
    }
    const cancel = await owner.post(`/api/jobs/${b.jobId}/cancel`);
    expect(cancel.status).toBe(404);
    expect((await w.actors.stranger.client.get(`/api/jobs/${b.jobId}`)).body.status).toBe('queued');
  });

  it('a shot cannot borrow another board’s asset (refused on the socket), shot or take (refused at generate, absent from exports)', async () => {
    const editor = w.actors.editor.client;
    const boardId = w.a.boardId;
    // Pointing a frame at another board's asset is refused as the update arrives: that socket
    // closes (4422) and nothing of it is stored.
    const thief = connectBoard(srv.url, boardId, editor);
    await thief.synced();
    const borrowsFrame = addShot(thief.doc, { title: 'Borrowing a frame', prompt: 'x', durationSec: 2, model: 'animatic', mode: 'image', startFrame: w.b.assetId });
    const closed = await thief.closed();
    expect(closed.code).toBe(SYNC_CLOSE.schemaViolation);
    expect(closed.reason).toMatch(/not an asset of this board/);
    thief.destroy();
    const conn = connectBoard(srv.url, boardId, editor);
    await conn.synced();
    // Hand-written links to the other board's shot and take (the typed helpers would refuse them).
    const borrowsShot = addShot(conn.doc, { title: 'Continuing elsewhere', prompt: 'x', durationSec: 2, model: 'animatic' });
    (roots(conn.doc).shots.get(borrowsShot) as Y.Map<unknown>).set('continuesFrom', w.b.shotId);
    const bTake = (await w.actors.stranger.client.get(`/api/jobs/${w.b.jobId}`)).body.takeId as string;
    const selects = addShot(conn.doc, { title: 'Selecting elsewhere', prompt: 'x', durationSec: 2, model: 'animatic' });
    (roots(conn.doc).shots.get(selects) as Y.Map<unknown>).set('selectedTake', bTake);
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, selects)?.selectedTake === bTake && getShot(d, borrowsShot)), 'shots stored');
    expect(await srv.takeboard.hub.read(boardId, (d) => getShot(d, borrowsFrame))).toBeUndefined();
    const before = (await editor.get(`/api/boards/${boardId}/jobs`)).body.length;
    expect((await editor.post(`/api/boards/${boardId}/shots/${borrowsFrame}/generate`, {})).status).toBe(404);
    const chained = await editor.post(`/api/boards/${boardId}/shots/${borrowsShot}/generate`, {});
    expect(chained.status).toBe(400);
    expect(chained.body.error.message).toMatch(/no longer exists/);
    expect((await editor.get(`/api/boards/${boardId}/jobs`)).body.length).toBe(before);
    for (const file of ['sequence.json', 'timeline.otio', 'shots.csv', 'shots.html']) {
      const res = await editor.get(`/api/boards/${boardId}/export/${file}`);
      expect(res.status, file).toBeLessThan(500);
      // The ids written by hand are this board's own data and may be echoed back; nothing of the
      // other board may come with them: not its shot's title, not its job.
      const text = JSON.stringify(res.body);
      for (const foreign of [w.b.jobId, B_SHOT_TITLE]) expect(text, file).not.toContain(foreign);
    }
    conn.destroy();
  });
});

describe('the sync socket', () => {
  it('refuses anonymous (4401) and strangers (4404, as for a made-up board) before sending a byte', async () => {
    const anon = rawSocket(srv.url, w.b.boardId, null);
    expect((await anon.waitClosed()).code).toBe(SYNC_CLOSE.unauthorized);
    const real = rawSocket(srv.url, w.a.boardId, w.actors.stranger.client);
    const made = rawSocket(srv.url, 'x9zq7m2k4p8r6t1w3y5v0nab', w.actors.stranger.client);
    const [r, m] = await Promise.all([real.waitClosed(), made.waitClosed()]);
    expect(r).toEqual(m);
    expect(r.code).toBe(SYNC_CLOSE.notFound);
    for (const s of [anon, real, made]) expect(s.messages).toEqual([]);
  });

  it('lets viewers read but not write; commenters comment but do not edit shots; editors and owners write', async () => {
    const boardId = w.b.boardId; // the stranger's board, untouched by the destructive routes above
    const owner = w.actors.stranger.client;
    const viewer = await signedUpClient(srv.url, { name: 'Reader' });
    const commenter = await signedUpClient(srv.url, { name: 'Reviewer' });
    const editor = await signedUpClient(srv.url, { name: 'Writer' });
    await joinWithRole(owner, viewer.client, boardId, 'viewer');
    await joinWithRole(owner, commenter.client, boardId, 'commenter');
    await joinWithRole(owner, editor.client, boardId, 'editor');
    const watch = connectBoard(srv.url, boardId, owner);
    const asViewer = connectBoard(srv.url, boardId, viewer.client);
    const asCommenter = connectBoard(srv.url, boardId, commenter.client);
    const asEditor = connectBoard(srv.url, boardId, editor.client);
    await Promise.all([watch.synced(), asViewer.synced(), asCommenter.synced(), asEditor.synced()]);
    expect(getShot(asViewer.doc, w.b.shotId)).toBeTruthy(); // reads everything
    const sneaky = addShot(asViewer.doc, { title: 'Viewer edit', prompt: 'x', durationSec: 2, model: 'animatic' });
    const alsoSneaky = addShot(asCommenter.doc, { title: 'Commenter edit', prompt: 'x', durationSec: 2, model: 'animatic' });
    const honest = addShot(asEditor.doc, { title: 'Editor edit', prompt: 'y', durationSec: 2, model: 'animatic' });
    await waitFor(() => getShot(watch.doc, honest), 'the editor’s shot to reach the owner');
    await waitFor(() => asCommenter.denied.length > 0, 'the commenter to be told');
    expect(getShot(watch.doc, sneaky)).toBeUndefined();
    expect(getShot(watch.doc, alsoSneaky)).toBeUndefined();
    for (const id of [sneaky, alsoSneaky]) expect(await srv.takeboard.hub.read(boardId, (d) => getShot(d, id))).toBeUndefined();
    // A fresh commenter socket comments.
    asCommenter.destroy();
    const reviewing = connectBoard(srv.url, boardId, commenter.client);
    await reviewing.synced();
    addComment(reviewing.doc, { shotId: w.b.shotId, author: commenter.user.id, text: 'lovely' });
    await waitFor(() => listComments(watch.doc).some((c) => c.author === commenter.user.id), 'the comment to reach the owner');
    for (const c of [watch, asViewer, reviewing, asEditor]) c.destroy();
  });
});

// ---- the matrix (last: its owner deletes the board and logs everyone out) ---------------------------------------------------------------------------

describe('authorisation matrix', () => {
  const results: string[] = [];

  it('knows every route the app serves, and every route it lists is served', () => {
    const routes = appRoutes();
    const unclassified = routes.filter((k) => !specOf(k));
    expect(unclassified, 'classify these routes in SPECS').toEqual([]);
    const stale = Object.keys(SPECS).filter((k) => !routes.includes(k));
    expect(stale, 'routes in SPECS the app no longer has').toEqual([]);
  });

  it('agrees with the API document (/api/openapi.json) on who may call each route', async () => {
    const doc = (await (await fetch(`${srv.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { security: object[]; 'x-takeboard-role'?: Role }>> };
    for (const key of appRoutes()) {
      const [method, pattern] = key.split(' ') as [string, string];
      const op = doc.paths[pattern.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      const documented = !op ? 'undocumented' : op.security.length === 0 ? 'public' : op.security.some((s) => 'guestLink' in s) ? 'guest' : (op['x-takeboard-role'] ?? 'user');
      expect(documented, key).toBe(specOf(key)!.need);
    }
  });

  it('gives every actor exactly its role on every route: 401 anonymous, 401 a guest outside the guest routes (and anyone but a guest on them), 404 stranger, 403 below the role, never 500', async () => {
    const routes = appRoutes().sort((x, y) => (specOf(x)!.last ?? 0) - (specOf(y)!.last ?? 0));
    for (const key of routes) {
      const spec = specOf(key)!;
      const [method, pattern] = key.split(' ') as [string, string];
      for (const actor of ACTORS) {
        const client = await clientFor(actor, spec);
        const path = fill(pattern, { ...defaults(w.a), ...(await spec.params?.(w, actor, client)) });
        const ans = await call(client, method, path, spec, actor);
        const label = `${key} as ${actor}: ${ans.status} ${ans.body.slice(0, 160)}`;
        results.push(label);
        expect(ans.status, label).toBeLessThan(500);
        if (allowed(spec.need, actor)) {
          expect([401, 403, 404], label).not.toContain(ans.status);
        } else if (actor === 'anonymous' || actor === 'guest' || spec.need === 'guest') {
          expect(ans.status, label).toBe(401);
        } else if (actor === 'stranger') {
          expect(ans.status, label).toBe(404);
        } else {
          expect(ans.status, label).toBe(403);
        }
        if (ans.status >= 400) expect(JSON.parse(ans.body).error, label).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
    }
    expect(results.length).toBeGreaterThanOrEqual(Object.keys(SPECS).length * ACTORS.length);
    if (process.env.MATRIX_PRINT === '1') console.info(results.join('\n'));
    console.info(`authz matrix: ${routes.length} routes x ${ACTORS.length} actors = ${results.length} calls`);
  }, 120_000);
});
