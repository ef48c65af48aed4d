/**
 * Chain batches on a real server (temp DATA_DIR, real libSQL file, y-websocket clients, ffmpeg):
 * N takes of every shot of a chain, take k of a shot continuing take k of its upstream shot, queued
 * waiting and made only once that take has finished; the total checked against the budget before
 * anything is queued (all or nothing); a failed upstream take cancels what waits on it, with why.
 */
import { describe, expect, it } from 'vitest';
import { addShot, getShot, listTakes, setMeta } from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { animaticBreakingOnTitle, falProviders, generationFixtures, jobReaches } from './helpers.js';

const { servers, cleanups, boardWith } = generationFixtures();

/** Three chained shots A <- B <- C, stored on the server. */
async function chainOfThree(srv: TestServer, doc: BoardConnection['doc'], boardId: string, model: string, first = 'A') {
  const a = addShot(doc, { title: first, prompt: 'a door opens', durationSec: 4, model });
  const b = addShot(doc, { title: 'B', prompt: 'she walks in', durationSec: 4, model, continuesFrom: a });
  const c = addShot(doc, { title: 'C', prompt: 'she sits down', durationSec: 4, model, continuesFrom: b });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, c)?.continuesFrom === b), 'the chain stored on the server');
  return { a, b, c };
}

describe('chain batch', () => {
  it('refuses a batch over the budget with nothing queued, then queues all takes in order, each continuing its upstream take', async () => {
    const { fake, providers } = await falProviders(cleanups);
    const srv = await startTestServer({ app: { providers, generation: { pollMs: 20, retryBaseMs: 20, startWorker: false } } });
    servers.push(srv);
    const { owner, boardId, doc } = await boardWith(srv);
    setMeta(doc, { budgetMicroUsd: 5_500_000 });
    const { a, b, c } = await chainOfThree(srv, doc, boardId, 'fal:veo3');
    const url = `/api/boards/${boardId}/shots/${a}/generate-chain-batch`;

    // 2 takes of 3 shots at $1.00 (4 s x $0.25) = $6.00 > $5.50: refused, nothing queued, no take written.
    const over = await owner.client.post(url, { count: 2 });
    expect(over.status).toBe(402);
    expect(over.body.error.message).toMatch(/These 6 takes \(2 of each of 3 shots\) are estimated at \$6\.00 but only \$5\.50 of the \$5\.50 budget is left/);
    expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toHaveLength(0);
    expect([a, b, c].flatMap((s) => listTakes(doc, s))).toHaveLength(0);

    const bad = await owner.client.post(url, { count: 2, model: 'fal:veo3' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('model: not taken by a chain batch (each shot keeps its own model and seeds); send count (1-8), idempotencyKey or confirmUnpriced');
    expect((await owner.client.post(url, { count: 9 })).body.error.message).toMatch(/^count: /);

    setMeta(doc, { budgetMicroUsd: 6_000_000 });
    const ok = await waitFor(async () => {
      const r = await owner.client.post(url, { count: 2, idempotencyKey: 'chain-1' });
      return r.status === 202 ? r : null;
    }, 'the raised budget to reach the server');
    expect(ok.body).toMatchObject({ count: 2, totalMicroUsd: 6_000_000 });
    expect(ok.body.shots.map((s: { shotId: string }) => s.shotId)).toEqual([a, b, c]);
    const jobsOf = (i: number) => ok.body.shots[i].takes.map((t: { jobId: string }) => t.jobId) as string[];
    // A retried request answers the same jobs and queues nothing more.
    const again = await owner.client.post(url, { count: 2, idempotencyKey: 'chain-1' });
    expect(again.body.shots.flatMap((s: { takes: { jobId: string }[] }) => s.takes.map((t) => t.jobId))).toEqual([...jobsOf(0), ...jobsOf(1), ...jobsOf(2)]);
    expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toHaveLength(6);
    expect((await owner.client.get(`/api/boards/${boardId}/costs`)).body).toMatchObject({ committedMicroUsd: 6_000_000 });
    await waitFor(() => [a, b, c].every((s) => listTakes(doc, s).length === 2), 'two queued takes on each shot');
    // Before anything runs: take k downstream waits for take k upstream, and its take shows no tail yet.
    for (let k = 0; k < 2; k++) {
      const waiting = (await owner.client.get(`/api/jobs/${jobsOf(1)[k]}`)).body;
      expect(waiting.resolved.waitsFor).toMatchObject({ jobId: jobsOf(0)[k], takeId: ok.body.shots[0].takes[k].takeId, chain: { fromShotId: a } });
      expect(waiting.resolved.chain).toBeUndefined();
    }
    expect(listTakes(doc, b).every((t) => t.fromTail === undefined && t.sent?.tail === undefined)).toBe(true);

    srv.takeboard.worker.start();
    for (const id of [...jobsOf(0), ...jobsOf(1), ...jobsOf(2)]) await jobReaches(owner.client, id, 'succeeded', 90_000);
    const job = async (id: string) => (await owner.client.get(`/api/jobs/${id}`)).body;
    for (const [up, down] of [[0, 1], [1, 2]] as const) {
      for (let k = 0; k < 2; k++) {
        const u = await job(jobsOf(up)[k]!);
        const d = await job(jobsOf(down)[k]!);
        // Take k continues take k of its upstream shot: its tail, attached as the model takes it, and made after it.
        expect(d.resolved.chain).toMatchObject({ fromShotId: u.shotId, takeId: u.takeId, tailAssetId: u.result.tailAssetId, tailFrameAssetId: u.result.tailFrameAssetId, attachedAs: 'start_frame' });
        expect(d.request.firstFrame).toEqual({ assetId: u.result.tailFrameAssetId });
        expect(d.resolved.waitsFor).toBeUndefined();
        expect(Date.parse(d.startedAt)).toBeGreaterThanOrEqual(Date.parse(u.finishedAt));
      }
    }
    // The takes say what they were made from (the chain's freshness reads it).
    const takeB = await waitFor(() => listTakes(doc, b).find((t) => t.jobId === jobsOf(1)[0] && t.fromTail), 'take B1 written with its tail');
    expect(takeB.fromTake).toBe(ok.body.shots[0].takes[0].takeId);
    expect(fake.submissions).toHaveLength(6);
  }, 180_000);

  it('cancels the takes waiting on an upstream take that failed, saying why; refuses a chain with a shot that cannot be made, naming it', async () => {
    const srv = await startTestServer({ app: { generation: { renderLocal: animaticBreakingOnTitle() } } });
    servers.push(srv);
    const { owner, boardId, doc } = await boardWith(srv);
    const { a } = await chainOfThree(srv, doc, boardId, 'animatic', 'Breaks');
    const res = await owner.client.post(`/api/boards/${boardId}/shots/${a}/generate-chain-batch`, { count: 1 });
    expect(res.status).toBe(202);
    const [first, second, third] = res.body.shots.map((s: { takes: { jobId: string }[] }) => s.takes[0]!.jobId);
    await jobReaches(owner.client, first, 'failed');
    for (const id of [second, third]) {
      const j = await jobReaches(owner.client, id, 'canceled');
      expect(j.error).toBe('not made: the take it continues ' + (id === second ? 'failed' : 'was canceled'));
      // Its take says so too, for everyone.
      await waitFor(() => listTakes(doc, j.shotId).find((t) => t.id === j.takeId && t.status === 'canceled' && t.error === j.error), 'the canceled take with its reason');
    }

    // A shot down the chain that cannot be made stops the whole batch, named; nothing is queued.
    const x = addShot(doc, { title: 'X', prompt: 'a quiet room', durationSec: 2, model: 'animatic' });
    const y = addShot(doc, { title: 'Y', prompt: 'the lamp flickers', durationSec: 5, model: 'ark:dreamina-seedance-2-0-260128', continuesFrom: x });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, y)?.continuesFrom === x), 'the second chain stored');
    const before = (await owner.client.get(`/api/boards/${boardId}/jobs`)).body.length;
    const refused = await owner.client.post(`/api/boards/${boardId}/shots/${x}/generate-chain-batch`, { count: 2 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^Shot "Y": Model "ark:dreamina-seedance-2-0-260128" is not available here/);
    expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toHaveLength(before);
  }, 120_000);
});
