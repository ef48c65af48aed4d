import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageAuth } from 'y-websocket';
import { addShot, getPromptText, getShot, listTakes } from '../../shared/doc/index.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { createLogger } from '../../server/lib/log.js';
import { createRedisBus } from '../../server/scale/redis-bus.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createS3BlobStore } from '../../server/assets/s3-blob-store.js';
import { findS3TestServer, type S3Target } from '../assets/s3-test-server.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { startRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { startChildServer } from '../helpers/child-server.js';
import { startFalFake } from '../providers/fakes/fal.js';
import { allowFakes, setServedVideo } from '../providers/fakes/core.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { jobReaches } from '../generation/helpers.js';

describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);

  let redis: Awaited<ReturnType<typeof startRedis>>;
  let fx: MediaFixtures;
  let fake: Awaited<ReturnType<typeof startFalFake>>;
  // Both instances share blobs under one DATA_DIR and one database: a libSQL file in it, or PostgreSQL.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `takeboard-two-${engine}-`));
  let a: TestServer;
  let b: TestServer;
  let s3: S3Target | undefined;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    fx = await makeMediaFixtures();
    fake = await startFalFake();
    setServedVideo(new Uint8Array(await fsp.readFile(fx.clip)));
    databaseUrl = engine === 'postgres' ? await dbs.url() : undefined;
    // On PostgreSQL the instances also share an S3-compatible store (the suite's S3 test server), as a team scaling out would run them.
    if (engine === 'postgres') {
      const found = await findS3TestServer();
      if (!found.ok) throw new Error(found.reason);
      s3 = await found.start();
    }
    const make = (worker: boolean) =>
      startTestServer({
        dataDir,
        ...(databaseUrl ? { databaseUrl } : {}),
        app: {
          ...(s3 ? { blobs: createS3BlobStore({ ...s3, forcePathStyle: true }) } : {}),
          bus: createRedisBus(redis.url, createLogger('silent')),
          providers: createProviders({ FAL_KEY: fake.key, FAL_BASE_URL: fake.baseUrl }, { prices: { 'fal:veo3': { microUsdPerSecond: 250_000, asOf: 'test' } }, ...allowFakes(fake) }),
          generation: { pollMs: 20, retryBaseMs: 20, startWorker: worker, limits: { total: 4, perProvider: { default: 4 }, perBoard: 4 } },
        },
      });
    a = await make(true);
    b = await make(true);
    await waitFor(async () => (await new TestClient(a.url).get('/api/ready')).body.redis === 'ok' && (await new TestClient(b.url).get('/api/ready')).body.redis === 'ok', 'both instances on Redis');
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    setServedVideo(null);
    await fx?.cleanup();
    await redis?.stop();
    await s3?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A session works on both instances (same database); only the Origin differs per instance. */
  function on(server: { url: string }, client: TestClient) {
    const c = new TestClient(server.url);
    for (const [k, v] of client.cookies) c.cookies.set(k, v);
    return c;
  }

  describe('two instances over one database and Redis', () => {
    it('an instance killed with SIGKILL loses nothing it acknowledged: the others serve its upload and its stored edit', async () => {
      const owner = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      // A third instance as its own process, on the same database, Redis and blob store, to kill.
      const child = await startChildServer({
        DATA_DIR: dataDir,
        REDIS_URL: redis.url,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ...(s3 ? { ASSET_STORE: 's3', S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket, S3_REGION: s3.region, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey } : {}),
      });
      try {
        const viaChild = on(child, owner.client);
        const png = new Uint8Array(await fsp.readFile(fx.png));
        const form = new FormData();
        form.set('file', new Blob([png]), 'plate.png');
        const up = await viaChild.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
        expect(up.status).toBe(201);
        const writer = connectBoard(child.url, boardId, viaChild);
        const watcher = connectBoard(a.url, boardId, on(a, owner.client));
        await Promise.all([writer.synced(), watcher.synced()]);
        const shot = addShot(writer.doc, { title: 'stored before the kill' });
        await waitFor(() => getShot(watcher.doc, shot), 'the edit seen on A through Redis');
        await child.kill('SIGKILL');
        writer.destroy();
        watcher.destroy();

        const file = await fetch(`${b.url}/api/assets/${up.body.id}`, { headers: { cookie: owner.client.cookieHeader } });
        expect(file.status).toBe(200);
        expect(Buffer.compare(Buffer.from(await file.arrayBuffer()), Buffer.from(png))).toBe(0);
        const fresh = connectBoard(b.url, boardId, on(b, owner.client));
        await fresh.synced();
        expect(getShot(fresh.doc, shot)?.title).toBe('stored before the kill');
        fresh.destroy();
      } finally {
        await child.kill('SIGKILL');
      }
    }, 90_000);

    it('an instance killed with SIGKILL while rendering a job: another takes the job over when its lease lapses and finishes it once', async () => {
      const owner = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      const conn = connectBoard(a.url, boardId, owner.client);
      await conn.synced();
      const paid = addShot(conn.doc, { title: 'Holding the workers', prompt: 'x', durationSec: 4, model: 'fal:veo3' });
      const long = addShot(conn.doc, { title: 'Rendered by the killed instance', prompt: 'a long take', durationSec: 20, model: 'animatic' });
      await waitFor(() => a.takeboard.hub.read(boardId, (d) => getShot(d, long)), 'the shots on instance a');
      await a.takeboard.hub.flush();
      // Four paid jobs the provider keeps "running" fill A's and B's worker limit (4 at once), so
      // only the third instance, allowed more, can claim the animatic job.
      fake.reset();
      fake.script({ pollsBeforeDone: 100_000 });
      const held: string[] = [];
      for (let i = 0; i < 4; i++) held.push((await owner.client.post(`/api/boards/${boardId}/shots/${paid}/generate`, {})).body.jobId);
      await waitFor(async () => (await a.database.db.selectFrom('jobs').select('id').where('board_id', '=', boardId).where('status', '=', 'running').execute()).length === 4, 'A and B to run the four paid jobs');
      const child = await startChildServer({
        DATA_DIR: dataDir,
        REDIS_URL: redis.url,
        JOB_LEASE_SECONDS: '1',
        WORKER_CONCURRENCY: '8',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ...(s3 ? { ASSET_STORE: 's3', S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket, S3_REGION: s3.region, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey } : {}),
      });
      try {
        const g = (await on(child, owner.client).post(`/api/boards/${boardId}/shots/${long}/generate`, {})).body;
        const ours = [a.takeboard.worker.owner, b.takeboard.worker.owner];
        const claimed = await waitFor(
          async () => (await a.database.db.selectFrom('jobs').select(['status', 'lease_owner']).where('id', '=', g.jobId).where('status', '=', 'running').executeTakeFirst()) ?? null,
          'the third instance to claim the animatic job',
        );
        expect(ours).not.toContain(claimed.lease_owner);
        await child.kill('SIGKILL');
        // The provider finishes the paid jobs on their next poll: A and B have room again.
        for (const j of fake.state.jobs.values()) j.pollsBeforeDone = Math.min(j.pollsBeforeDone, j.reads);
        // Only A or B is left to finish it.
        const job = await jobReaches(owner.client, g.jobId, 'succeeded', 90_000);
        expect(job.costMicroUsd).toBe(0);
        for (const id of held) await jobReaches(owner.client, id, 'succeeded', 60_000);
        expect(fake.submissions).toHaveLength(4);
        // The finishing instance writes the take; if that write fails it is retried and, at the
        // latest, rewritten by the take-mirror sweep (every 15 s): hence more than the default wait.
        const takes = await waitFor(
          () => {
            const t = listTakes(conn.doc, long);
            return t.length > 0 && t.every((x) => x.status === 'succeeded') ? t : null;
          },
          'the take to show the finished job',
          45_000,
        );
        expect(takes.map((t) => t.id)).toEqual([g.takeId]);
        expect((await owner.client.get(`/api/assets/${takes[0]!.clip}`)).status).toBe(200);
        const ledger = await a.database.db.selectFrom('cost_ledger').select('job_id').where('board_id', '=', boardId).execute();
        // One ledger row per job: the animatic's (at no cost) written once, by whoever finished it.
        expect(ledger.map((r) => r.job_id).sort()).toEqual([...held, g.jobId].sort());
      } finally {
        await child.kill('SIGKILL');
        fake.reset();
        conn.destroy();
      }
    }, 120_000);

    it('runs every job exactly once across both workers: one submission, one take, one ledger row each', async () => {
      const owner = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      const conn = connectBoard(a.url, boardId, owner.client);
      await conn.synced();
      const shot = addShot(conn.doc, { title: 'Paid', prompt: 'x', durationSec: 4, model: 'fal:veo3' });
      await waitFor(() => a.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'the shot on instance a');
      // Committed, so instance b (which loads the board from the database) finds it too.
      await a.takeboard.hub.flush();
      const before = fake.submissions.length;
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const via = i % 2 ? owner.client : on(b, owner.client);
        const res = await via.post(`/api/boards/${boardId}/shots/${shot}/generate`, {});
        expect(res.status).toBe(202);
        ids.push(res.body.jobId);
      }
      await waitFor(async () => {
        const jobs = (await owner.client.get(`/api/boards/${boardId}/jobs`)).body as { status: string }[];
        return jobs.length === 6 && jobs.every((j) => j.status === 'succeeded');
      }, 'all jobs to succeed', 60_000);
      expect(fake.submissions.length - before).toBe(6);
      const ledger = await a.database.db.selectFrom('cost_ledger').select('job_id').where('board_id', '=', boardId).execute();
      expect(ledger.map((r) => r.job_id).sort()).toEqual([...ids].sort());
      await waitFor(() => listTakes(conn.doc, shot).filter((t) => t.status === 'succeeded').length === 6, 'six takes');
      expect(new Set(listTakes(conn.doc, shot).map((t) => t.id)).size).toBe(6);
      // Each clip, stored by whichever instance ran its job, is served by both.
      for (const take of listTakes(conn.doc, shot)) {
        for (const via of [owner.client, on(b, owner.client)]) expect((await via.get(`/api/assets/${take.clip}`)).status).toBe(200);
      }
      conn.destroy();
    }, 90_000);

    it('delivers job events to an SSE stream on the other instance', async () => {
      const owner = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      const conn = connectBoard(a.url, boardId, owner.client);
      await conn.synced();
      const shot = addShot(conn.doc, { title: 'Events', prompt: 'x', durationSec: 1, model: 'animatic' });
      await waitFor(() => a.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'the shot on instance a');
      // Committed, so instance b (which loads the board from the database) finds it too.
      await a.takeboard.hub.flush();
      const ctl = new AbortController();
      const res = await fetch(`${b.url}/api/boards/${boardId}/events`, { headers: { cookie: owner.client.cookieHeader }, signal: ctl.signal });
      const reader = res.body!.getReader();
      let text = '';
      const done = (async () => {
        for (;;) {
          const { value, done: end } = await reader.read();
          if (end) return;
          text += new TextDecoder().decode(value);
          if (text.includes('"status":"succeeded"')) return;
        }
      })();
      await waitFor(() => text.includes('event: ready'), 'stream on B');
      const g = await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {});
      await done;
      ctl.abort();
      expect(text).toContain(g.body.jobId);
      conn.destroy();
    }, 60_000);

    it('closes a removed member’s socket on the other instance', async () => {
      const owner = await signedUpClient(a.url);
      const member = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      await joinWithRole(owner.client, member.client, boardId, 'editor');
      const onB = connectBoard(b.url, boardId, on(b, member.client));
      await onB.synced();
      expect((await owner.client.delete(`/api/boards/${boardId}/members/${member.user.id}`)).status).toBe(204);
      expect((await onB.closed()).code).toBe(SYNC_CLOSE.removed);
      expect(onB.notices).toContainEqual({ type: 'removed', by: { id: owner.user.id, name: expect.any(String) } });
      onB.destroy();
    });

    it('a member demoted (or logged out) on one instance loses access on the other within a second, with Redis up and while it is down', async () => {
      const owner = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      for (const redisUp of [true, false]) {
        const member = await signedUpClient(a.url);
        await joinWithRole(owner.client, member.client, boardId, 'editor');
        const onB = connectBoard(b.url, boardId, on(b, member.client));
        await onB.synced();
        if (!redisUp) {
          await redis.stop();
          await waitFor(async () => (await new TestClient(a.url).get('/api/ready')).body.redis === 'down' && (await new TestClient(b.url).get('/api/ready')).body.redis === 'down', 'Redis down on both');
        }
        // The stock client hands the server's read-only notice to its auth handler: note when.
        let toldAt = 0;
        const auth = onB.provider.messageHandlers[messageAuth]!;
        onB.provider.messageHandlers[messageAuth] = (...args) => {
          toldAt ||= performance.now();
          const warn = console.warn;
          console.warn = () => {};
          try {
            auth(...args);
          } finally {
            console.warn = warn;
          }
        };
        const shotId = addShot(onB.doc, { title: 'typed into' });
        const typer = setInterval(() => getPromptText(onB.doc, shotId).insert(0, 'x'), 10);
        try {
          const t0 = performance.now();
          expect((await owner.client.patch(`/api/boards/${boardId}/members/${member.user.id}`, { role: 'viewer' })).status).toBe(200);
          await waitFor(() => toldAt, 'the member to be told it is read-only', 5000);
          console.log(`[two-instances] demotion on A reached the socket on B after ${(toldAt - t0).toFixed(0)} ms (Redis ${redisUp ? 'up' : 'down'})`);
          expect(toldAt - t0).toBeLessThan(1000);
          if (!redisUp) {
            // Logging out everywhere on A ends the socket on B too.
            const t1 = performance.now();
            expect((await member.client.post('/api/auth/logout-everywhere')).status).toBeLessThan(300);
            expect((await onB.closed()).code).toBe(SYNC_CLOSE.unauthorized);
            console.log(`[two-instances] logout everywhere on A closed the socket on B after ${(performance.now() - t1).toFixed(0)} ms (Redis down)`);
            expect(performance.now() - t1).toBeLessThan(1000);
          }
        } finally {
          clearInterval(typer);
          onB.destroy();
        }
      }
      await redis.start();
      await waitFor(async () => (await new TestClient(a.url).get('/api/ready')).body.redis === 'ok' && (await new TestClient(b.url).get('/api/ready')).body.redis === 'ok', 'Redis back on both', 20_000);
    }, 60_000);

    it('reports Redis down in readiness while it is stopped, and recovers by itself', async () => {
      await redis.stop();
      await waitFor(async () => (await new TestClient(a.url).get('/api/ready')).body.redis === 'down', 'down reported');
      const ready = (await new TestClient(a.url).get('/api/ready')).body;
      expect(ready.ok).toBe(true); // still serving its own clients
      expect(ready.warning).toMatch(/this instance/);
      await redis.start();
      await waitFor(async () => (await new TestClient(a.url).get('/api/ready')).body.redis === 'ok', 'recovered', 20_000);
    }, 40_000);
  });
});
