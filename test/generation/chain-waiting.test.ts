/**
 * Chain-batch takes that wait for their upstream take, on a real server (temp DATA_DIR, real
 * libSQL file, y-websocket clients). The worker here claims nothing (a total limit of 0), so every
 * take stays where the test puts it; its chain sweep runs on a short timer. An upstream take that
 * ended while its step could not run, or whose job is gone, is written straight into the jobs table
 * (as a crash between the two would leave it): the sweep must move its waiting takes on without a
 * restart, cancel them with a reason a person reads on the take, and stop counting them as spend.
 */
import { describe, expect, it } from 'vitest';
import { addShot, getMeta, getShot, listTakes, setMeta } from '../../shared/doc/index.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { recordResult } from '../../server/generation/jobs.queries.js';
import { WAITING_AT } from '../../server/generation/pending-tail.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { startFalFake } from '../providers/fakes/fal.js';
import { allowFakes } from '../providers/fakes/core.js';
import { generationFixtures, jobReaches } from './helpers.js';

const { servers, cleanups, boardWith } = generationFixtures();

/** A server whose worker never claims a job, sweeping chain batches every 50 ms; fal's Veo at $0.25/s (nothing is sent). */
async function idleServer() {
  const fake = await startFalFake();
  cleanups.push(() => fake.close());
  const providers = createProviders({ FAL_KEY: fake.key, FAL_BASE_URL: fake.baseUrl }, { prices: { 'fal:veo3': { microUsdPerSecond: 250_000, asOf: 'test' } }, ...allowFakes(fake) });
  const srv = await startTestServer({ app: { providers, generation: { chainSweepMs: 50, limits: { total: 0, perProvider: { default: 0 }, perBoard: 0 } } } });
  servers.push(srv);
  return srv;
}

/** Three chained 4 s shots A <- B <- C ($1.00 a take), stored on the server. */
async function chainOfThree(srv: TestServer, doc: BoardConnection['doc'], boardId: string) {
  setMeta(doc, { budgetMicroUsd: 50_000_000 });
  const a = addShot(doc, { title: 'A', prompt: 'a door opens', durationSec: 4, model: 'fal:veo3' });
  const b = addShot(doc, { title: 'B', prompt: 'she walks in', durationSec: 4, model: 'fal:veo3', continuesFrom: a });
  const c = addShot(doc, { title: 'C', prompt: 'she sits down', durationSec: 4, model: 'fal:veo3', continuesFrom: b });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, c)?.continuesFrom === b && getMeta(d).budgetMicroUsd === 50_000_000), 'the chain stored on the server');
  return { a, b, c };
}

type Batch = { shots: { takes: { jobId: string; takeId: string }[] }[] };
const jobsOf = (body: Batch, i: number) => body.shots[i]!.takes.map((t) => t.jobId);

describe('chain-batch takes left waiting', () => {
  it('are canceled by the sweep, without a restart, when the job of the take they continue is gone; the take says why and the spend is released', async () => {
    const srv = await idleServer();
    const { owner, boardId, doc } = await boardWith(srv);
    const { a } = await chainOfThree(srv, doc, boardId);
    const res = await owner.client.post(`/api/boards/${boardId}/shots/${a}/generate-chain-batch`, { count: 2 });
    expect(res.status).toBe(202);
    const [up, down, last] = [0, 1, 2].map((i) => jobsOf(res.body, i)[0]!);
    const [, down2, last2] = [0, 1, 2].map((i) => jobsOf(res.body, i)[1]!);
    expect((await owner.client.get(`/api/boards/${boardId}/costs`)).body).toMatchObject({ committedMicroUsd: 6_000_000 });

    // The upstream job's row disappears while the worker runs (the sweep at its start has been).
    await srv.database.db.deleteFrom('jobs').where('id', '=', up!).execute();
    // And a waiting row that no longer names what it waits for (damaged data): it can never be made either.
    const row = await srv.database.db.selectFrom('jobs').select('resolved').where('id', '=', down2!).executeTakeFirstOrThrow();
    const { waitsFor: _w, ...unnamed } = JSON.parse(row.resolved) as Record<string, unknown>;
    await srv.database.db.updateTable('jobs').set({ resolved: JSON.stringify(unnamed) }).where('id', '=', down2!).execute();
    expect((await jobReaches(owner.client, down2!, 'canceled', 10_000)).error).toBe('not made: it waited for a take it does not name');
    expect((await jobReaches(owner.client, last2!, 'canceled', 10_000)).error).toBe('not made: the take it continues was canceled');
    const b = await jobReaches(owner.client, down!, 'canceled', 10_000);
    expect(b.error).toBe('not made: the take it continues no longer exists, so there is nothing to continue from');
    const c = await jobReaches(owner.client, last!, 'canceled', 10_000);
    expect(c.error).toBe('not made: the take it continues was canceled');
    // Each take says so, for everyone on the board.
    for (const j of [b, c]) {
      await waitFor(() => listTakes(doc, j.shotId).find((t) => t.id === j.takeId && t.status === 'canceled' && t.error === j.error), 'the canceled take with its reason');
    }
    // Only take 2 of A is still committed.
    expect((await owner.client.get(`/api/boards/${boardId}/costs`)).body).toMatchObject({ committedMicroUsd: 1_000_000 });
  }, 60_000);

  it('move on by the sweep, without a restart, when the take they continue ended while its step could not run', async () => {
    const srv = await idleServer();
    const { owner, boardId, doc } = await boardWith(srv);
    const { a } = await chainOfThree(srv, doc, boardId);
    const res = await owner.client.post(`/api/boards/${boardId}/shots/${a}/generate-chain-batch`, { count: 2 });
    expect(res.status).toBe(202);
    const [ups, downs, lasts] = [0, 1, 2].map((i) => jobsOf(res.body, i));
    const db = srv.database.db;
    const now = Date.now();

    // Take 1 of A failed and take 2 succeeded, but neither's chain step ran (a crash in between).
    await db.updateTable('jobs').set({ status: 'failed', error: 'the renderer broke', finished_at: now, updated_at: now }).where('id', '=', ups![0]!).execute();
    const result = { clipAssetId: 'clip-a2', posterAssetId: 'poster-a2', tailAssetId: 'tail-a2', tailFrameAssetId: 'frame-a2', durationSec: 4 };
    await recordResult(db, ups![1]!, result, now);
    await db.updateTable('jobs').set({ status: 'succeeded', finished_at: now, updated_at: now }).where('id', '=', ups![1]!).execute();

    // Take 1 of B and C: canceled, saying why. Take 2 of B: due now with A's take 2's tail; take 2 of C still waits for it.
    expect((await jobReaches(owner.client, downs![0]!, 'canceled', 10_000)).error).toBe('not made: the take it continues failed');
    expect((await jobReaches(owner.client, lasts![0]!, 'canceled', 10_000)).error).toBe('not made: the take it continues was canceled');
    const b2 = await waitFor(async () => {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', downs![1]!).executeTakeFirstOrThrow();
      return row.next_attempt_at !== WAITING_AT ? row : null;
    }, 'take 2 of B made due by the sweep', 10_000);
    expect(b2.status).toBe('queued');
    expect(JSON.parse(b2.resolved)).toMatchObject({ chain: { takeId: res.body.shots[0].takes[1].takeId, tailAssetId: 'tail-a2', tailFrameAssetId: 'frame-a2' } });
    expect(JSON.parse(b2.resolved).waitsFor).toBeUndefined();
    const c2 = (await owner.client.get(`/api/jobs/${lasts![1]}`)).body;
    expect(c2).toMatchObject({ status: 'queued', resolved: { waitsFor: { jobId: downs![1] } } });
  }, 60_000);

  it('are in no one’s way in the queue: no place, not counted ahead of later jobs; the jobs list says what each waits for and counts its finish from it', async () => {
    const srv = await idleServer();
    const { owner, boardId, doc } = await boardWith(srv);
    const { a, b } = await chainOfThree(srv, doc, boardId);
    const res = await owner.client.post(`/api/boards/${boardId}/shots/${a}/generate-chain-batch`, { count: 1 });
    expect(res.status).toBe(202);
    const [up, down, last] = [0, 1, 2].map((i) => jobsOf(res.body, i)[0]!);
    // A take of another shot queued after the batch: only A's take is ahead of it.
    const x = addShot(doc, { title: 'X', prompt: 'rain on the window', durationSec: 4, model: 'fal:veo3' });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, x) !== undefined), 'shot X stored');
    const later = (await owner.client.post(`/api/boards/${boardId}/shots/${x}/generate`, {})).body.jobId as string;

    const list = (await owner.client.get(`/api/boards/${boardId}/jobs`)).body as { id: string; status: string; queuePosition?: number; waitsFor?: unknown; eta?: { finishInSec: number; typicalSec: number } }[];
    const entry = (id: string) => list.find((j) => j.id === id)!;
    expect(entry(up!)).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(entry(up!).waitsFor).toBeUndefined();
    expect(entry(later)).toMatchObject({ status: 'queued', queuePosition: 2 });
    expect(entry(down!)).toMatchObject({ status: 'queued', waitsFor: { jobId: up, takeId: res.body.shots[0].takes[0].takeId, shotId: a } });
    expect(entry(last!)).toMatchObject({ status: 'queued', waitsFor: { jobId: down, takeId: res.body.shots[1].takes[0].takeId, shotId: b } });
    for (const id of [down!, last!]) expect(entry(id).queuePosition).toBeUndefined();
    // Each waiting take is done its own render time after the take it continues.
    const eta = (id: string) => entry(id).eta!;
    expect(eta(down!).finishInSec).toBeCloseTo(eta(up!).finishInSec + eta(down!).typicalSec, 1);
    expect(eta(last!).finishInSec).toBeCloseTo(eta(down!).finishInSec + eta(last!).typicalSec, 1);
  }, 60_000);
});
