import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot, listTakes, selectTake, setMeta, setShotFields, shotsInOrder } from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinWithRole, signedUpClient } from '../helpers/http.js';
import type { BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { boardWithTwoMembers, jobReaches } from './helpers.js';

let srv: TestServer;
const conns: BoardConnection[] = [];
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  for (const c of conns) c.destroy();
  await srv.close();
});

const setup = () => boardWithTwoMembers(srv, conns);

async function shotReady(conn: BoardConnection, id: string) {
  await waitFor(() => getShot(conn.doc, id), 'shot to be stored');
}

describe('generation with the animatic', () => {
  it('two chained shots: both takes succeed for everyone, the second job holds the first take’s tail', async () => {
    const { owner, boardId, a, b } = await setup();
    const first = addShot(a.doc, { title: 'Alley, night', prompt: 'a courier runs through neon rain', durationSec: 3, model: 'animatic', camera: 'push-in' });
    const second = addShot(a.doc, { title: 'Rooftop', prompt: 'she climbs onto the roof', durationSec: 3, model: 'animatic', continuesFrom: first });
    await shotReady(b, second);
    await srv.takeboard.hub.flush();

    const early = await owner.client.post(`/api/boards/${boardId}/shots/${second}/generate`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/no selected take yet/);

    const g1 = await owner.client.post(`/api/boards/${boardId}/shots/${first}/generate`, { seed: 7 });
    expect(g1.status).toBe(202);
    expect(g1.body).toMatchObject({ jobId: expect.any(String), takeId: expect.any(String), estimateMicroUsd: 0 });
    // The take shows up queued for the teammate at once, then succeeds with clip, poster and tail.
    await waitFor(() => listTakes(b.doc, first).find((t) => t.id === g1.body.takeId), 'queued take on B');
    const take1 = await waitFor(() => listTakes(b.doc, first).find((t) => t.status === 'succeeded'), 'first take to succeed on B', 60_000);
    expect(take1).toMatchObject({ id: g1.body.takeId, model: 'animatic', seed: 7, clip: expect.any(String), poster: expect.any(String), tail: expect.any(String) });
    expect(take1.durationSec).toBeCloseTo(3, 1);
    const clip = await owner.client.request('GET', `/api/assets/${take1.clip}`);
    expect(clip.status).toBe(200);
    expect(clip.headers.get('content-type')).toBe('video/mp4');

    selectTake(b.doc, first, take1.id);
    await waitFor(() => getShot(a.doc, first)?.selectedTake === take1.id, 'selection on A');
    await srv.takeboard.hub.flush();
    const g2 = await owner.client.post(`/api/boards/${boardId}/shots/${second}/generate`, {});
    expect(g2.status).toBe(202);
    const job2 = (await owner.client.get(`/api/jobs/${g2.body.jobId}`)).body;
    const job1 = (await owner.client.get(`/api/jobs/${g1.body.jobId}`)).body;
    expect(job2.resolved.chain).toMatchObject({ fromShotId: first, takeId: take1.id, tailAssetId: job1.result.tailAssetId, attachedAs: 'start_frame' });
    expect(job2.request.firstFrame).toEqual({ assetId: job1.result.tailFrameAssetId });
    await waitFor(() => listTakes(b.doc, second).find((t) => t.status === 'succeeded'), 'second take to succeed on B', 60_000);
    const done = await jobReaches(owner.client, g2.body.jobId, 'succeeded');
    expect(done.costMicroUsd).toBe(0);
  }, 120_000);

  it('returns the same job for the same idempotency key', async () => {
    const { owner, boardId, a, b } = await setup();
    const shot = addShot(a.doc, { title: 'Once', prompt: 'x', durationSec: 1, model: 'animatic' });
    await shotReady(b, shot);
    const r1 = await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, { idempotencyKey: 'click-1' });
    const r2 = await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, { idempotencyKey: 'click-1' });
    expect(r2.status).toBe(202);
    expect(r2.body).toEqual(r1.body);
    const jobs = (await owner.client.get(`/api/boards/${boardId}/jobs`)).body;
    expect(jobs).toHaveLength(1);
    await jobReaches(owner.client, r1.body.jobId, 'succeeded');
    expect(listTakes(a.doc, shot).length).toBe(1);
  }, 60_000);

  it('explains per mode what is missing before anything is queued', async () => {
    const { owner, boardId, a, b } = await setup();
    const image = addShot(a.doc, { title: 'Product', mode: 'image', prompt: 'bottle', durationSec: 2, model: 'animatic' });
    const ref = addShot(a.doc, { title: 'Hero', mode: 'reference', prompt: 'hero walks', durationSec: 2, model: 'animatic' });
    const text = addShot(a.doc, { title: 'Empty', mode: 'text', durationSec: 2, model: 'animatic' });
    const long = addShot(a.doc, { title: 'Long', mode: 'text', prompt: 'x', durationSec: 30, model: 'animatic' });
    await shotReady(b, long);
    const cases: [string, RegExp][] = [
      [image, /Image mode needs a start frame/],
      [ref, /Reference mode needs at least one reference/],
      [text, /Text mode needs a prompt/],
      [long, /seconds/],
    ];
    for (const [shotId, message] of cases) {
      const res = await owner.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
      expect(res.status, String(message)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const unknownModel = await owner.client.post(`/api/boards/${boardId}/shots/${text}/generate`, { model: 'nope:nothing' });
    expect(unknownModel.status).toBe(400);
    expect(unknownModel.body.error.message).toMatch(/not available here.*animatic/);
    expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toEqual([]);
  });

  it('refuses viewers (403), unknown shots (404) and strangers (404)', async () => {
    const { owner, boardId, a, b } = await setup();
    const viewer = await signedUpClient(srv.url);
    const stranger = await signedUpClient(srv.url);
    await joinWithRole(owner.client, viewer.client, boardId, 'viewer');
    const shot = addShot(a.doc, { title: 'S', prompt: 'x', durationSec: 1, model: 'animatic' });
    await shotReady(b, shot);
    expect((await viewer.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).status).toBe(403);
    expect((await owner.client.post(`/api/boards/${boardId}/shots/no-such-shot/generate`, {})).status).toBe(404);
    expect((await stranger.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).status).toBe(404);
    expect((await viewer.client.get(`/api/boards/${boardId}/jobs`)).status).toBe(200);
  });

  it('lists the animatic among the models, available, free', async () => {
    const { owner } = await setup();
    const models = (await owner.client.get('/api/models')).body;
    expect(models[0]).toMatchObject({ id: 'animatic', available: true, microUsdPerSecond: 0 });
    expect(models.some((m: any) => m.provider === 'fal' && m.available === false && /FAL_KEY/.test(m.reason))).toBe(true);
  });

  it('streams job progress over Server-Sent Events', async () => {
    const { owner, boardId, a, b } = await setup();
    const shot = addShot(a.doc, { title: 'Events', prompt: 'x', durationSec: 1, model: 'animatic' });
    await shotReady(b, shot);
    const ctl = new AbortController();
    const res = await fetch(`${srv.url}/api/boards/${boardId}/events`, { headers: { cookie: owner.client.cookieHeader }, signal: ctl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
        if (text.includes('"status":"succeeded"')) return;
      }
    })();
    await waitFor(() => text.includes('event: ready'), 'stream ready');
    const g = await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {});
    await read;
    ctl.abort();
    expect(text).toContain(`"jobId":"${g.body.jobId}"`);
    expect(text.indexOf('"status":"queued"')).toBeLessThan(text.indexOf('"status":"succeeded"'));
  }, 60_000);
});
