import { describe, expect, it } from 'vitest';
import { addShot, getShot, listTakes, setMeta } from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinWithRole, signedUpClient } from '../helpers/http.js';
import { waitFor } from '../helpers/wait.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { falProviders, generationFixtures, jobReaches } from './helpers.js';

const { servers, cleanups, boardWith } = generationFixtures();

/** Waits until the server has stored the shot (a local edit is in flight until then). */
async function stored(srv: TestServer, boardId: string, shotId: string) {
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)), 'shot stored on the server');
}

/** The queue's fairness, cancels, budget cap, single run and retries, on libSQL and on PostgreSQL (where jobs, leases and the ledger live). */
describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);
  /** Where a test server keeps its data: a libSQL file in its DATA_DIR (the default), or a fresh PostgreSQL database. */
  const database = async () => (engine === 'postgres' ? { databaseUrl: await dbs.url() } : {});
  describe('queue', () => {
    it('shares workers fairly: a teammate’s one job is not starved by another’s queue', async () => {
      const srv = await startTestServer({ ...(await database()), app: { generation: { startWorker: false, limits: { total: 2, perProvider: { default: 2 }, perBoard: 2 } } } });
      servers.push(srv);
      const { owner, boardId, doc } = await boardWith(srv);
      const mate = await signedUpClient(srv.url, { name: 'Mate' });
      await joinWithRole(owner.client, mate.client, boardId, 'editor');
      const shot = addShot(doc, { title: 'Busy', prompt: 'x', durationSec: 1, model: 'animatic' });
      await stored(srv, boardId, shot);
      const mine: string[] = [];
      for (let i = 0; i < 4; i++) mine.push((await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body.jobId);
      const theirs = (await mate.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body.jobId;
      srv.takeboard.worker.start();
      for (const id of [...mine, theirs]) await jobReaches(owner.client, id, 'succeeded', 120_000);
      const started = async (id: string) => Date.parse((await owner.client.get(`/api/jobs/${id}`)).body.startedAt);
      const mateStart = await started(theirs);
      // The teammate's job starts with the first pair, before the owner's second, third and fourth.
      for (const id of mine.slice(1)) expect(mateStart).toBeLessThanOrEqual(await started(id));
    }, 180_000);

    it('cancels a queued job and a running one; their takes say so', async () => {
      const srv = await startTestServer({ ...(await database()), app: { generation: { startWorker: false } } });
      servers.push(srv);
      const { owner, boardId, doc } = await boardWith(srv);
      const shot = addShot(doc, { title: 'Long', prompt: 'x', durationSec: 20, model: 'animatic' });
      await stored(srv, boardId, shot);
      const queued = (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body;
      const c1 = await owner.client.post(`/api/jobs/${queued.jobId}/cancel`);
      expect(c1.status).toBe(200);
      expect(c1.body.status).toBe('canceled');
      await waitFor(() => listTakes(doc, shot).find((t) => t.id === queued.takeId)?.status === 'canceled', 'queued take canceled');
      expect((await owner.client.post(`/api/jobs/${queued.jobId}/cancel`)).status).toBe(409);

      const running = (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body;
      srv.takeboard.worker.start();
      await jobReaches(owner.client, running.jobId, 'running');
      const c2 = await owner.client.post(`/api/jobs/${running.jobId}/cancel`);
      expect(c2.status).toBe(202);
      await jobReaches(owner.client, running.jobId, 'canceled');
      await waitFor(() => listTakes(doc, shot).find((t) => t.id === running.takeId)?.status === 'canceled', 'running take canceled');
      expect((await owner.client.get(`/api/boards/${boardId}/costs`)).body.spentMicroUsd).toBe(0);
    }, 60_000);
  });

  describe('hosted providers through the queue (local fake of fal.ai)', () => {
    async function falServer(opts: { startWorker?: boolean } = {}) {
      const { fake, providers } = await falProviders(cleanups);
      const srv = await startTestServer({ ...(await database()), app: { providers, generation: { pollMs: 20, retryBaseMs: 20, startWorker: opts.startWorker ?? true } } });
      servers.push(srv);
      return { srv, fake };
    }

    it('keeps the budget as a hard cap under 20 concurrent enqueues (402 with the numbers)', async () => {
      const { srv } = await falServer({ startWorker: false });
      const { owner, boardId, doc } = await boardWith(srv);
      setMeta(doc, { budgetMicroUsd: 3_500_000 });
      const shot = addShot(doc, { title: 'Paid', prompt: 'a paid shot', durationSec: 4, model: 'fal:veo3' });
      await stored(srv, boardId, shot);
      const results = await Promise.all(Array.from({ length: 20 }, () => owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})));
      const ok = results.filter((r) => r.status === 202);
      const refused = results.filter((r) => r.status === 402);
      expect(ok).toHaveLength(3);
      expect(refused).toHaveLength(17);
      expect(ok[0]!.body.estimateMicroUsd).toBe(1_000_000);
      expect(refused[0]!.body.error.code).toBe('over_budget');
      expect(refused[0]!.body.error.message).toMatch(/\$1\.00 .*\$0\.50 of the \$3\.50 budget/);
      const costs = (await owner.client.get(`/api/boards/${boardId}/costs`)).body;
      expect(costs).toMatchObject({ budgetMicroUsd: 3_500_000, spentMicroUsd: 0, committedMicroUsd: 3_000_000 });
    });

    it('queues several takes of a shot at once with their own seeds, all or none under one budget check', async () => {
      const { srv, fake } = await falServer({ startWorker: false });
      const { owner, boardId, doc } = await boardWith(srv);
      setMeta(doc, { budgetMicroUsd: 3_500_000 });
      const shot = addShot(doc, { title: 'Paid', prompt: 'a paid shot', durationSec: 4, model: 'fal:veo3' });
      await stored(srv, boardId, shot);
      const url = `/api/boards/${boardId}/shots/${shot}/generate-batch`;

      // Four at $1.00 do not fit a $3.50 budget: nothing is queued, and the message gives the total.
      const over = await owner.client.post(url, { count: 4 });
      expect(over.status).toBe(402);
      expect(over.body.error.message).toMatch(/These 4 takes are estimated at \$4\.00 but only \$3\.50 of the \$3\.50 budget is left/);
      expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toHaveLength(0);

      for (const count of [0, 9, 1.5, '3']) {
        const bad = await owner.client.post(url, { count });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(/count/);
      }

      const three = await owner.client.post(url, { count: 3, seed: 41, idempotencyKey: 'batch-1' });
      expect(three.status).toBe(202);
      expect(three.body.totalMicroUsd).toBe(3_000_000);
      expect(three.body.takes.map((t: { seed: number }) => t.seed)).toEqual([41, 42, 43]);
      await waitFor(() => listTakes(doc, shot).length === 3, 'three queued takes on the shot');
      expect(new Set(listTakes(doc, shot).map((t) => t.number))).toEqual(new Set([1, 2, 3]));
      // The same key (a retried request) answers the same three jobs and queues nothing more.
      const again = await owner.client.post(url, { count: 3, seed: 41, idempotencyKey: 'batch-1' });
      expect(again.body.takes.map((t: { jobId: string }) => t.jobId)).toEqual(three.body.takes.map((t: { jobId: string }) => t.jobId));
      expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toHaveLength(3);

      srv.takeboard.worker.start();
      for (const t of three.body.takes) await jobReaches(owner.client, t.jobId, 'succeeded', 60_000);
      expect(fake.submissions.map((sub) => (sub.body as { seed?: number }).seed).sort()).toEqual([41, 42, 43]);
    }, 120_000);

    it('runs a paid job once: one submission, one take, billed once', async () => {
      const { srv, fake } = await falServer();
      const { owner, boardId, doc } = await boardWith(srv);
      const shot = addShot(doc, { title: 'Paid', prompt: 'a paid shot', durationSec: 4, model: 'fal:veo3' });
      await stored(srv, boardId, shot);
      const g = (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body;
      const job = await jobReaches(owner.client, g.jobId, 'succeeded', 60_000);
      expect(fake.submissions).toHaveLength(1);
      expect(job).toMatchObject({ provider: 'fal', costMicroUsd: 1_000_000, providerJobId: expect.any(String) });
      await waitFor(() => listTakes(doc, shot).find((t) => t.status === 'succeeded'), 'take');
      expect(listTakes(doc, shot)).toHaveLength(1);
      const costs = (await owner.client.get(`/api/boards/${boardId}/costs`)).body;
      expect(costs.spentMicroUsd).toBe(1_000_000);
      expect(costs.shots).toMatchObject([{ shotId: shot, spentMicroUsd: 1_000_000, jobs: 1, estimateMicroUsd: 1_000_000, openJobs: 0 }]);
    }, 60_000);

    it('retries a 429 and then succeeds; fails at once on a safety refusal with the provider’s reason', async () => {
      const { srv, fake } = await falServer();
      const { owner, boardId, doc } = await boardWith(srv);
      const shot = addShot(doc, { title: 'Paid', prompt: 'a paid shot', durationSec: 4, model: 'fal:veo3' });
      await stored(srv, boardId, shot);
      fake.script({ rateLimitFirst: 1 });
      const g = (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body;
      const job = await jobReaches(owner.client, g.jobId, 'succeeded', 60_000);
      expect(job.attempts).toBe(1);

      fake.script({ failWith: 'safety' });
      const bad = (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body;
      const failed = await jobReaches(owner.client, bad.jobId, 'failed', 60_000);
      expect(failed.error).toMatch(/flagged|content/i);
      expect(failed.attempts).toBe(1);
      await waitFor(() => listTakes(doc, shot).find((t) => t.id === bad.takeId)?.status === 'failed', 'failed take');
    }, 60_000);
  });
});
