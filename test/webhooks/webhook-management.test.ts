/**
 * Managing an outgoing webhook after it exists: editing its URL and events (checked as at
 * creation), rotating its signing secret (both secrets sign during the grace window, then only the
 * new one) and resending a finished delivery by hand (same webhook-id and body). A real server on a
 * manual clock (the grace window passes without waiting), a real receiver on loopback allowed
 * through WEBHOOK_ALLOW_HOSTS, events made by approving a shot in the board document.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot, setShotFields, statusPatch } from '../../shared/doc/index.js';
import { WEBHOOK_SECRET_GRACE_MS, type WebhookDeliveryView, type WebhookEndpointCreated, type WebhookEndpointView, type WebhookPayload } from '../../shared/webhooks.js';
import { manualClock } from '../../server/lib/clock.js';
import { createBoard, joinWithRole, signedUpClient, type TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { verifyWebhook } from './verify-signature.js';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver that records every request and answers `answer.status`. */
async function startReceiver() {
  const got: Received[] = [];
  const answer = { status: 200 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end(answer.status === 200 ? 'thanks' : 'receiver down');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { got, answer, port, url: `http://127.0.0.1:${port}/hooks`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const clock = manualClock();
let srv: TestServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const conns: BoardConnection[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  // No retries: a failed first attempt ends the delivery as failed, ready to be resent by hand.
  srv = await startTestServer({ clock, app: { webhooks: { allowHosts: [`127.0.0.1:${receiver.port}`], retryDelaysMs: [], pollMs: 200 } } });
}, 60_000);
afterEach(() => {
  for (const c of conns.splice(0)) c.destroy();
});
afterAll(async () => {
  await srv.close();
  await receiver.close();
});

async function hookedBoard() {
  const owner = await signedUpClient(srv.url, { name: 'Olga' });
  const editor = await signedUpClient(srv.url, { name: 'Eli' });
  const viewer = await signedUpClient(srv.url, { name: 'Vic' });
  const boardId = await createBoard(owner.client, 'Hooked board');
  await joinWithRole(owner.client, editor.client, boardId, 'editor');
  await joinWithRole(owner.client, viewer.client, boardId, 'viewer');
  const conn = connectBoard(srv.url, boardId, owner.client);
  conns.push(conn);
  await conn.synced();
  const shotId = addShot(conn.doc, { title: 'Alley', prompt: 'rain', durationSec: 1, model: 'animatic' });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)), 'shot stored');
  const created = await owner.client.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks`, { url: receiver.url, events: ['shot.approved'] });
  expect(created.status).toBe(201);
  const ofBoard = () => receiver.got.filter((g) => (JSON.parse(g.body) as WebhookPayload).data.boardId === boardId);
  /** Approves the shot (after taking it back to review) and waits for that delivery to arrive. */
  const approve = async () => {
    const before = ofBoard().length;
    setShotFields(conn.doc, shotId, statusPatch('review', owner.user.id));
    setShotFields(conn.doc, shotId, statusPatch('approved', owner.user.id));
    return waitFor(() => ofBoard()[before], 'shot.approved delivered');
  };
  const endpoint = async () => (await owner.client.get<WebhookEndpointView[]>(`/api/boards/${boardId}/webhooks`)).body[0]!;
  return { owner: owner.client, editor: editor.client, viewer: viewer.client, boardId, hook: created.body, approve, ofBoard, endpoint };
}

const deliveries = async (c: TestClient, boardId: string, endpointId: string) => (await c.get<WebhookDeliveryView[]>(`/api/boards/${boardId}/webhooks/${endpointId}/deliveries`)).body;

describe('managing outgoing webhooks', () => {
  it('rotates the secret: both secrets sign during the grace window, only the new one after it', async () => {
    const { owner, boardId, hook, approve, endpoint } = await hookedBoard();
    const before = await approve();
    expect(String(before.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifyWebhook(hook.secret, before)).toBe(true);

    const rotated = await owner.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks/${hook.id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(rotated.body.previousSecretUntil).toBe(clock.now() + WEBHOOK_SECRET_GRACE_MS);
    // The list says until when the old secret signs, never either secret.
    const listed = await endpoint();
    expect(listed.previousSecretUntil).toBe(clock.now() + WEBHOOK_SECRET_GRACE_MS);
    expect(JSON.stringify(listed)).not.toContain('whsec_');

    const during = await approve();
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhook(rotated.body.secret, during)).toBe(true);
    expect(verifyWebhook(hook.secret, during)).toBe(true);

    clock.advance(WEBHOOK_SECRET_GRACE_MS + 1000);
    const after = await approve();
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifyWebhook(rotated.body.secret, after)).toBe(true);
    expect(verifyWebhook(hook.secret, after)).toBe(false);
    expect((await endpoint()).previousSecretUntil).toBeNull();
  });

  it('edits URL and events with the creation checks: a loopback URL is refused naming the rule, a good one takes the next delivery', async () => {
    const { owner, boardId, hook, approve, endpoint } = await hookedBoard();
    const path = `/api/boards/${boardId}/webhooks/${hook.id}`;
    for (const [url, why] of [
      ['http://127.0.0.1:9/x', 'a loopback address'],
      ['https://10.1.2.3/x', 'a private address'],
      ['http://localhost:8080/x', 'an internal host name'],
    ] as const) {
      const res = await owner.patch(path, { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message, url).toContain(why);
      expect(res.body.error.message, url).toContain('WEBHOOK_ALLOW_HOSTS');
      expect(res.body.error.field, url).toBe('url');
    }
    for (const [body, says] of [
      [{}, 'give url, events or both'],
      [{ events: ['take.exploded'] }, 'take.succeeded, take.failed, shot.approved, budget.warning, export.ready'],
      [{ events: [] }, 'at least one'],
      [{ url: 'ftp://hooks.example.com/x' }, 'https://'],
    ] as const) {
      const res = await owner.patch(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toContain(says);
    }
    // Nothing refused changed the endpoint.
    expect(await endpoint()).toMatchObject({ url: receiver.url, events: ['shot.approved'] });

    const edited = await owner.patch<WebhookEndpointView>(path, { url: `${receiver.url}/v2`, events: ['shot.approved', 'export.ready'] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: hook.id, url: `${receiver.url}/v2`, events: ['shot.approved', 'export.ready'] });
    expect(await endpoint()).toEqual(edited.body);
    expect((await approve()).path).toBe('/hooks/v2');
    // Events alone: the URL stays.
    const eventsOnly = await owner.patch<WebhookEndpointView>(path, { events: ['take.failed'] });
    expect(eventsOnly.body).toMatchObject({ url: `${receiver.url}/v2`, events: ['take.failed'] });
    expect((await owner.patch(`/api/boards/${boardId}/webhooks/nope`, { events: ['take.failed'] })).status).toBe(404);
  });

  it('resends a failed delivery by hand with the same webhook-id and body, logging the new attempts', async () => {
    const { owner, boardId, hook, approve, ofBoard } = await hookedBoard();
    receiver.answer.status = 503;
    let first: Received;
    try {
      first = await approve();
    } finally {
      receiver.answer.status = 200;
    }
    const failed = await waitFor(async () => {
      const d = await deliveries(owner, boardId, hook.id);
      return d[0]?.status === 'failed' ? d[0] : null;
    }, 'the delivery failed');
    expect(failed.id).toBe(first.headers['webhook-id']);

    const res = await owner.post(`/api/boards/${boardId}/webhooks/${hook.id}/deliveries/${failed.id}/resend`, {});
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: failed.id, status: 'pending' });
    const again = await waitFor(() => ofBoard()[1], 'the resent delivery');
    expect(again.headers['webhook-id']).toBe(failed.id);
    expect(again.body).toBe(first.body);
    expect(verifyWebhook(hook.secret, again)).toBe(true);
    const done = await waitFor(async () => {
      const d = await deliveries(owner, boardId, hook.id);
      return d[0]?.status === 'succeeded' ? d : null;
    }, 'the resent delivery logged as succeeded');
    expect(done).toHaveLength(1);
    expect(done[0]!.attempts.map((a) => a.statusCode)).toEqual([503, 200]);

    // A succeeded delivery may be resent too; made-up ids are 404.
    expect((await owner.post(`/api/boards/${boardId}/webhooks/${hook.id}/deliveries/${failed.id}/resend`, {})).status).toBe(202);
    await waitFor(() => ofBoard()[2], 'the second resend');
    expect(ofBoard().map((r) => r.headers['webhook-id'])).toEqual([failed.id, failed.id, failed.id]);
    expect((await owner.post(`/api/boards/${boardId}/webhooks/${hook.id}/deliveries/msg_nope/resend`, {})).status).toBe(404);
  });

  it('refuses editors and viewers: no edit, rotation or resend', async () => {
    const { owner, editor, viewer, boardId, hook, approve, endpoint } = await hookedBoard();
    const sent = await approve();
    const id = String(sent.headers['webhook-id']);
    await waitFor(async () => (await deliveries(owner, boardId, hook.id))[0]?.status === 'succeeded', 'delivered');
    for (const c of [editor, viewer]) {
      expect((await c.patch(`/api/boards/${boardId}/webhooks/${hook.id}`, { url: 'https://hooks.example.com/stolen' })).status).toBe(403);
      expect((await c.post(`/api/boards/${boardId}/webhooks/${hook.id}/rotate-secret`, {})).status).toBe(403);
      expect((await c.post(`/api/boards/${boardId}/webhooks/${hook.id}/deliveries/${id}/resend`, {})).status).toBe(403);
    }
    expect(await endpoint()).toMatchObject({ url: receiver.url, previousSecretUntil: null });
    expect((await deliveries(owner, boardId, hook.id))[0]!.status).toBe('succeeded');
  });
});
