/**
 * Outgoing webhooks end to end: a real server, a real receiver on loopback (allowed explicitly
 * through the operator's WEBHOOK_ALLOW_HOSTS setting, as `webhooks.allowHosts`), real takes
 * rendered by the animatic. The receiver checks every signature as the Standard Webhooks spec
 * says, from the secret shown once at creation, and fails the first attempt of each delivery.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot, setShotFields, statusPatch } from '../../shared/doc/index.js';
import type { WebhookDeliveryView, WebhookEndpointCreated, WebhookEndpointView, WebhookPayload } from '../../shared/webhooks.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { verifyWebhook } from './verify-signature.js';
import { animaticBreakingOnTitle, jobReaches } from '../generation/helpers.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver that answers 500 to the first attempt of every webhook-id and 200 after. */
async function startReceiver() {
  const got: Received[] = [];
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const answered = seen.has(id) ? 200 : 500;
      seen.add(id);
      got.push({ headers: req.headers, body, answered });
      res.writeHead(answered, { 'content-type': 'text/plain' });
      res.end(answered === 500 ? 'receiver hiccup, try again' : 'thanks');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { got, port, url: `http://127.0.0.1:${port}/hooks`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let srv: TestServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const conns: BoardConnection[] = [];
/** hooks.example.test resolves to loopback: only a name, not allowed, checked at delivery. */
const resolve = async (host: string) => (host === 'hooks.example.test' ? [{ address: '127.0.0.1', family: 4 as const }] : []);

beforeAll(async () => {
  receiver = await startReceiver();
  srv = await startTestServer({
    app: {
      webhooks: { allowHosts: [`127.0.0.1:${receiver.port}`], retryDelaysMs: [100, 100, 100, 100], pollMs: 200, resolve },
      // A shot titled "Breaks" fails to render.
      generation: { renderLocal: animaticBreakingOnTitle() },
    },
  });
}, 60_000);
afterEach(() => {
  for (const c of conns.splice(0)) c.destroy();
});
afterAll(async () => {
  await srv.close();
  await receiver.close();
});

async function boardWithShot(title: string) {
  const owner = await signedUpClient(srv.url, { name: 'Olga' });
  const editor = await signedUpClient(srv.url, { name: 'Eli' });
  const boardId = await createBoard(owner.client, 'Hooked board');
  await joinWithRole(owner.client, editor.client, boardId, 'editor');
  const conn = connectBoard(srv.url, boardId, owner.client);
  conns.push(conn);
  await conn.synced();
  const shotId = addShot(conn.doc, { title, prompt: 'rain', durationSec: 1, model: 'animatic' });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)), 'shot stored');
  return { owner: owner.client, ownerId: owner.user.id, editor: editor.client, boardId, shotId, conn };
}

const deliveries = async (c: Awaited<ReturnType<typeof boardWithShot>>['owner'], boardId: string, endpointId: string) =>
  (await c.get<WebhookDeliveryView[]>(`/api/boards/${boardId}/webhooks/${endpointId}/deliveries`)).body;

describe('outgoing webhooks', () => {
  it('signs a finished take per Standard Webhooks, retries after a 500 with the same id, and logs both answers', async () => {
    const { owner, editor, boardId, shotId } = await boardWithShot('Alley');
    const created = await owner.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks`, { url: receiver.url, events: ['take.succeeded', 'take.failed'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // The secret is shown once: the list never carries it.
    const list = await owner.get<WebhookEndpointView[]>(`/api/boards/${boardId}/webhooks`);
    expect(list.body).toEqual([{ id: created.body.id, url: receiver.url, events: ['take.succeeded', 'take.failed'], createdAt: expect.any(Number), previousSecretUntil: null }]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    // Owners only: an editor cannot read or add endpoints.
    expect((await editor.get(`/api/boards/${boardId}/webhooks`)).status).toBe(403);
    expect((await editor.post(`/api/boards/${boardId}/webhooks`, { url: receiver.url, events: ['take.failed'] })).status).toBe(403);

    const job = await owner.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
    await jobReaches(owner, job.body.jobId, 'succeeded');
    const mine = () => receiver.got.filter((r) => (JSON.parse(r.body) as WebhookPayload).data.boardId === boardId);
    await waitFor(() => mine().length >= 2, 'a failed attempt and its retry');
    const [first, second] = mine();
    expect(first!.answered).toBe(500);
    expect(second!.answered).toBe(200);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(String(first!.headers['webhook-id'])).toMatch(/^msg_/);
    expect(second!.body).toBe(first!.body);
    for (const r of [first!, second!]) {
      expect(verifyWebhook(created.body.secret, r)).toBe(true);
      expect(r.headers['content-type']).toBe('application/json');
    }
    // A tampered body or another secret does not verify.
    expect(verifyWebhook(created.body.secret, { ...second!, body: second!.body.replace('take.succeeded', 'take.failed') })).toBe(false);
    const other = await owner.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks`, { url: receiver.url, events: ['export.ready'] });
    expect(verifyWebhook(other.body.secret, second!)).toBe(false);
    const payload = JSON.parse(second!.body) as WebhookPayload;
    expect(payload).toEqual({ type: 'take.succeeded', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), data: { boardId, shotId, takeId: job.body.takeId, jobId: job.body.jobId, model: 'animatic' } });

    const log = await waitFor(async () => {
      const d = await deliveries(owner, boardId, created.body.id);
      return d[0]?.status === 'succeeded' ? d : null;
    }, 'the delivery logged as succeeded');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: first!.headers['webhook-id'], event: 'take.succeeded', nextAttemptAt: null });
    expect(log[0]!.attempts).toEqual([
      { at: expect.any(Number), statusCode: 500, error: null, bodyExcerpt: 'receiver hiccup, try again', durationMs: expect.any(Number) },
      { at: expect.any(Number), statusCode: 200, error: null, bodyExcerpt: 'thanks', durationMs: expect.any(Number) },
    ]);
    // The endpoint subscribed to exports only got nothing.
    expect(await deliveries(owner, boardId, other.body.id)).toEqual([]);
  });

  it('sends take.failed with the reason', async () => {
    const { owner, boardId, shotId } = await boardWithShot('Breaks');
    const created = await owner.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks`, { url: receiver.url, events: ['take.failed'] });
    const job = await owner.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
    await jobReaches(owner, job.body.jobId, 'failed');
    const r = await waitFor(() => receiver.got.find((g) => (JSON.parse(g.body) as WebhookPayload).data.boardId === boardId), 'take.failed delivered');
    expect(verifyWebhook(created.body.secret, r)).toBe(true);
    expect(JSON.parse(r.body)).toMatchObject({ type: 'take.failed', data: { shotId, takeId: job.body.takeId, error: expect.stringContaining('the renderer broke') } });
  });

  it('refuses private, loopback and link-local URLs the operator did not allow, when saved and when a name resolves inside', async () => {
    const { owner, boardId, shotId } = await boardWithShot('Alley');
    const refused = [
      ['http://127.0.0.1:9/x', 'a loopback address'],
      [`http://127.0.0.1:${receiver.port + 1}/x`, 'a loopback address'],
      ['https://10.1.2.3/x', 'a private address'],
      ['https://169.254.169.254/latest', 'a cloud metadata address'],
      ['https://[fe80::1]/x', 'a link-local address'],
      ['https://2130706433/x', 'a loopback address'],
      ['http://localhost:8080/x', 'an internal host name'],
    ] as const;
    for (const [url, why] of refused) {
      const res = await owner.post(`/api/boards/${boardId}/webhooks`, { url, events: ['take.succeeded'] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message, url).toContain(why);
      expect(res.body.error.message, url).toContain('WEBHOOK_ALLOW_HOSTS');
      expect(res.body.error.field).toBe('url');
    }
    for (const [body, says] of [
      [{ url: 'ftp://hooks.example.com/x', events: ['take.succeeded'] }, 'https://'],
      [{ url: 'https://user:pw@hooks.example.com/x', events: ['take.succeeded'] }, 'user name or password'],
      [{ url: 'https://hooks.example.com/x', events: ['take.exploded'] }, 'take.succeeded, take.failed, shot.approved, budget.warning, export.ready'],
      [{ url: 'https://hooks.example.com/x', events: [] }, 'at least one'],
    ] as const) {
      const res = await owner.post(`/api/boards/${boardId}/webhooks`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(says);
    }
    // A name is checked where it leads, on every attempt: nothing of this board reaches the receiver
    // (the receiver is shared, and earlier tests' retries may still arrive).
    const ofThisBoard = () => receiver.got.filter((g) => (JSON.parse(g.body) as Partial<WebhookPayload>).data?.boardId === boardId).length;
    const sneaky = await owner.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks`, { url: `http://hooks.example.test:${receiver.port}/hooks`, events: ['take.succeeded'] });
    expect(sneaky.status).toBe(201);
    const job = await owner.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
    await jobReaches(owner, job.body.jobId, 'succeeded');
    const log = await waitFor(async () => {
      const d = await deliveries(owner, boardId, sneaky.body.id);
      return d[0]?.status === 'failed' ? d : null;
    }, 'the delivery given up after its attempts');
    expect(log[0]!.attempts).toHaveLength(5);
    for (const a of log[0]!.attempts) {
      expect(a.statusCode).toBeNull();
      expect(a.error).toContain('resolves to 127.0.0.1, a loopback address');
    }
    expect(ofThisBoard()).toBe(0);
  });

  it('sends shot.approved when an approval is stored and export.ready when a sequence is built', async () => {
    const { owner, ownerId, boardId, shotId, conn } = await boardWithShot('Alley');
    const created = await owner.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks`, { url: receiver.url, events: ['shot.approved', 'export.ready'] });
    const got = (type: string) => receiver.got.find((g) => {
      const p = JSON.parse(g.body) as WebhookPayload;
      return p.data.boardId === boardId && p.type === type;
    });
    setShotFields(conn.doc, shotId, statusPatch('approved', ownerId));
    const approved = await waitFor(() => got('shot.approved'), 'shot.approved delivered');
    expect(verifyWebhook(created.body.secret, approved)).toBe(true);
    expect(JSON.parse(approved.body).data).toEqual({ boardId, shotId, approvedBy: ownerId });
    // The sequence (one slate: no take yet) is built on request; its webhook names the file.
    const seq = await fetch(`${srv.url}/api/boards/${boardId}/export/sequence.mp4`, { headers: { cookie: owner.cookieHeader } });
    expect(seq.status).toBe(200);
    await seq.arrayBuffer();
    const ready = await waitFor(() => got('export.ready'), 'export.ready delivered', 30_000);
    const data = JSON.parse(ready.body).data;
    expect(data).toMatchObject({ boardId, format: 'sequence.mp4', assetId: expect.any(String), download: `/api/assets/${data.assetId}` });
    expect((await fetch(`${srv.url}${data.download}`, { headers: { cookie: owner.cookieHeader } })).headers.get('content-type')).toBe('video/mp4');
  }, 60_000);

  it('keeps a pending delivery across a restart: the next server sends it with the same id', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-hooks-'));
    const down = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(503).end('down for maintenance')));
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const port = (down.address() as AddressInfo).port;
    const hooks = { allowHosts: [`127.0.0.1:${port}`], retryDelaysMs: [500, 500, 500, 500], pollMs: 200 };
    const first = await startTestServer({ dataDir, app: { webhooks: hooks } });
    let second: TestServer | undefined;
    try {
      const olga = await signedUpClient(first.url, { name: 'Olga' });
      const owner = olga.client;
      const boardId = await createBoard(owner, 'Restarted');
      const conn = connectBoard(first.url, boardId, owner);
      conns.push(conn);
      await conn.synced();
      const shotId = addShot(conn.doc, { title: 'Alley', prompt: 'rain', durationSec: 1, model: 'animatic' });
      await waitFor(() => first.takeboard.hub.read(boardId, (d) => getShot(d, shotId)), 'shot stored');
      const hook = await owner.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks`, { url: `http://127.0.0.1:${port}/in`, events: ['take.succeeded'] });
      const job = await owner.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
      await jobReaches(owner, job.body.jobId, 'succeeded');
      const pending = await waitFor(async () => {
        const d = await deliveries(owner, boardId, hook.body.id);
        return d[0]?.attempts.length ? d[0] : null;
      }, 'a first attempt answered 503');
      expect(pending).toMatchObject({ status: 'pending', attempts: [{ statusCode: 503, bodyExcerpt: 'down for maintenance' }] });
      conn.destroy();
      await first.close();
      // The receiver comes back while no server runs; the next server picks the row up.
      const ids: string[] = [];
      down.removeAllListeners('request');
      down.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => req.resume().on('end', () => {
        ids.push(String(req.headers['webhook-id']));
        res.writeHead(204).end();
      }));
      second = await startTestServer({ dataDir, app: { webhooks: hooks } });
      const again = new TestClient(second.url);
      expect((await again.post('/api/auth/login', { email: olga.email, password: olga.password })).status).toBe(200);
      const done = await waitFor(async () => {
        const d = await deliveries(again, boardId, hook.body.id);
        return d[0]?.status === 'succeeded' ? d[0] : null;
      }, 'the delivery sent by the restarted server');
      expect(done.attempts.map((a) => a.statusCode)).toEqual([503, 204]);
      expect(ids).toEqual([pending.id]);
    } finally {
      await second?.close();
      await new Promise<void>((r) => down.close(() => r()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('deletes an endpoint with its log; unknown endpoints are 404', async () => {
    const { owner, boardId } = await boardWithShot('Alley');
    const created = await owner.post<WebhookEndpointCreated>(`/api/boards/${boardId}/webhooks`, { url: receiver.url, events: ['budget.warning'] });
    expect((await owner.delete(`/api/boards/${boardId}/webhooks/${created.body.id}`)).status).toBe(204);
    expect((await owner.get(`/api/boards/${boardId}/webhooks`)).body).toEqual([]);
    expect((await owner.delete(`/api/boards/${boardId}/webhooks/${created.body.id}`)).status).toBe(404);
    expect((await owner.get(`/api/boards/${boardId}/webhooks/${created.body.id}/deliveries`)).status).toBe(404);
  });
});
