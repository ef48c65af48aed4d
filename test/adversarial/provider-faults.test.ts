/**
 * A hosted provider that misbehaves in every way it can. 429s and 500s that
 * never stop, requests that never answer, bodies that are not JSON, and finished clips that are
 * huge, endless, stalled or not videos. Retries stay within the job's attempts, nothing is paid
 * twice, the job and its take say what went wrong in words (no stack, no path, no key), and the
 * blob store keeps no partial file. The storm at the end throws all of them at once at random
 * (6 jobs; 40 with `LONG_ADVERSARIAL=1`; replay a storm with `FAULT_SEED`).
 */
import fs from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot, listTakes } from '../../shared/doc/index.js';
import { createBoard, signedUpClient, type TestClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { setServedVideo } from '../providers/fakes/core.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { jobReaches } from '../generation/helpers.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { blobFiles, LONG, startFalServer, tempFiles, type FalServer } from './helpers.js';
import { seededRandom } from '../../server/generation/animatic/random.js';

/** The database the next server runs on: set by the engine block running (a libSQL file in DATA_DIR by default). */
let engineDatabaseUrl: () => Promise<string | undefined> = async () => undefined;
let fx: MediaFixtures;
let clip: Uint8Array;
const open: FalServer[] = [];
const conns: BoardConnection[] = [];
beforeAll(async () => {
  fx = await makeMediaFixtures();
  clip = new Uint8Array(await fs.readFile(fx.clip));
  setServedVideo(clip);
}, 60_000);
afterEach(async () => {
  for (const c of conns.splice(0)) c.destroy();
  for (const s of open.splice(0)) await s.close();
});
afterAll(async () => {
  setServedVideo(null);
  await fx.cleanup();
});

type Rewrite = (url: URL, init: RequestInit | undefined, real: () => Promise<Response>) => Promise<Response> | undefined;

/**
 * A fal-backed server whose outgoing fetch can be rewritten per request (`rewrite` returns a
 * Response to replace the fake's, or undefined to pass through), plus a board with one paid shot.
 */
async function setup(opts: { rewrite?: Rewrite; maxAttempts?: number; requestTimeoutMs?: number; maxClipBytes?: number; downloadStallMs?: number } = {}) {
  let rewrite = opts.rewrite;
  const fetchVia: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const real = () => fetch(input, init);
    return (rewrite && (await rewrite(url, init, real))) ?? real();
  };
  const databaseUrl = await engineDatabaseUrl();
  const s = await startFalServer({
    ...(databaseUrl ? { databaseUrl } : {}),
    providerDeps: { fetch: fetchVia, requestTimeoutMs: opts.requestTimeoutMs ?? 300 },
    app: {
      generation: {
        maxAttempts: opts.maxAttempts ?? 5,
        ...(opts.maxClipBytes !== undefined ? { maxClipBytes: opts.maxClipBytes } : {}),
        ...(opts.downloadStallMs !== undefined ? { downloadStallMs: opts.downloadStallMs } : {}),
      },
    },
  });
  open.push(s);
  const owner = await signedUpClient(s.srv.url, { name: 'Owner' });
  const boardId = await createBoard(owner.client);
  const conn = connectBoard(s.srv.url, boardId, owner.client);
  conns.push(conn);
  await conn.synced();
  const shot = addShot(conn.doc, { title: 'Paid', prompt: 'a lighthouse at dusk', durationSec: 4, model: 'fal:veo3' });
  await waitFor(() => s.srv.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'shot stored');
  const blobsBefore = await blobFiles(s.srv.dataDir);
  return {
    ...s,
    owner: owner.client,
    boardId,
    shot,
    doc: conn.doc,
    blobsBefore,
    setRewrite: (r: Rewrite | undefined) => (rewrite = r),
    generate: async () => (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body as { jobId: string; takeId: string },
  };
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** What every failed paid job must satisfy: bounded, clear, unbilled, no partial blobs. */
async function failedCleanly(t: Setup, jobId: string, takeId: string, opts: { maxAttempts: number; error: RegExp }) {
  const job = await jobReaches(t.owner, jobId, 'failed', 30_000);
  expect(job.attempts).toBeGreaterThanOrEqual(1);
  expect(job.attempts).toBeLessThanOrEqual(opts.maxAttempts);
  expect(job.error).toMatch(opts.error);
  expectReadable(job.error);
  const take = await waitFor(() => listTakes(t.doc, t.shot).find((k) => k.id === takeId && k.status === 'failed'), 'failed take');
  expect(take.error).toBe(job.error);
  expect(take.clip).toBeUndefined();
  const costs = (await t.owner.get(`/api/boards/${t.boardId}/costs`)).body;
  expect(costs.spentMicroUsd).toBe(0);
  expect(costs.committedMicroUsd).toBe(0);
  expect(await blobFiles(t.srv.dataDir)).toEqual(t.blobsBefore);
  expect(await tempFiles(t.srv.dataDir)).toEqual([]);
  return job;
}

/** An error a producer can read: one or two sentences, no stack, no server path, no key. */
function expectReadable(message: string) {
  expect(message.length).toBeLessThan(400);
  expect(message).not.toMatch(/\n\s+at |\/tmp\/|takeboard-job-|file:|fal-test-key|Key fal/);
}

/** What every job that recovered must satisfy: succeeded after `attempts` tries, submitted once, billed once. */
async function recoveredOnce(t: Setup, jobId: string, attempts: number) {
  const job = await jobReaches(t.owner, jobId, 'succeeded', 30_000);
  expect(job.attempts).toBe(attempts);
  expect(t.fake.submissions).toHaveLength(1);
  expect((await t.owner.get(`/api/boards/${t.boardId}/costs`)).body.spentMicroUsd).toBe(1_000_000);
}

/** Answers `status` to the first `times` requests that `matches` picks, then lets them through. */
function failingFirst(times: number, matches: (url: URL) => boolean, status: number, body: string): Rewrite {
  let left = times;
  return (url) => (matches(url) && left-- > 0 ? Promise.resolve(new Response(body, { status })) : undefined);
}

const isStatus = (url: URL) => url.pathname.endsWith('/status');
const isFile = (url: URL) => url.pathname.startsWith('/files/');

/**
 * A finished clip served as chunks of `chunk` bytes for as long as it is read (or until past
 * `endAfter`), with extra `headers`; `served` counts what left, to prove the download stopped early.
 */
function streamedClip(chunk: number, headers: Record<string, string>, endAfter = Infinity) {
  const clip = {
    served: 0,
    rewrite: ((url) => {
      if (!isFile(url)) return undefined;
      const body = new ReadableStream<Uint8Array>({
        pull(ctl) {
          clip.served += chunk;
          ctl.enqueue(new Uint8Array(chunk).fill(7));
          if (clip.served > endAfter) ctl.close();
        },
      });
      return Promise.resolve(new Response(body, { headers: { 'content-type': 'video/mp4', ...headers } }));
    }) as Rewrite,
  };
  return clip;
}

// Retries, attempts and backoff live in the jobs table: every case runs on libSQL and on PostgreSQL.
describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);
  beforeAll(() => {
    engineDatabaseUrl = engine === 'postgres' ? () => dbs.url() : async () => undefined;
  });

  describe('answers that say "not now"', () => {
    it('gives up on a provider that answers 500 forever after the job’s 5 attempts, having created nothing', async () => {
      const t = await setup();
      t.fake.script({ serverErrorFirst: 1_000 });
      const g = await t.generate();
      await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 5, error: /fal: Internal Server Error/ });
      expect(t.fake.state.attempts).toBe(5);
      expect(t.fake.submissions).toHaveLength(0);
    });

    it('gives up on a provider that answers 429 forever, honouring its Retry-After in between', async () => {
      const t = await setup({ maxAttempts: 2 });
      t.fake.script({ rateLimitFirst: 1_000 });
      const started = Date.now();
      const g = await t.generate();
      await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 2, error: /Too many requests/ });
      expect(t.fake.state.attempts).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900); // Retry-After: 2
    });

    it('rides out 500s while polling and then succeeds: one submission, billed once', async () => {
      const t = await setup({ rewrite: failingFirst(3, isStatus, 502, 'upstream error') });
      const g = await t.generate();
      await recoveredOnce(t, g.jobId, 3);
    });
  });

  describe('answers that never come', () => {
    it('fails a submission that times out at once, and does not send it again (it may have been accepted)', async () => {
      const t = await setup();
      t.fake.script({ hang: true });
      const g = await t.generate();
      const job = await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 5, error: /did not answer|timed out/ });
      expect(job.error).toMatch(/not sent again|not re-sent/);
      expect(t.fake.state.log.filter((l) => l.startsWith('POST'))).toHaveLength(1);
    });

    it('retries status polls that time out, within the attempts, without submitting again', async () => {
      const t = await setup({ maxAttempts: 3 });
      t.fake.script({ pollsBeforeDone: 1_000 });
      const g = await t.generate();
      await waitFor(() => t.fake.state.log.some((l) => l.includes('/status')), 'first poll');
      t.fake.script({ hang: true });
      await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 3, error: /timed out/ });
      expect(t.fake.submissions).toHaveLength(1);
      t.fake.state.release();
    });
  });

  describe('answers that are not what they claim', () => {
    it('fails (once, not re-sent) a submission answered 200 with a body that is not JSON', async () => {
      const t = await setup();
      t.fake.script({ garbage: true });
      const g = await t.generate();
      const job = await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 5, error: /not valid JSON/ });
      expect(job.error).toMatch(/not sent again|not re-sent/);
      expect(t.fake.state.attempts).toBe(1);
    });

    it('retries garbage status answers within the attempts, then fails clearly', async () => {
      const t = await setup({ maxAttempts: 3 });
      t.setRewrite((url) => (isStatus(url) ? Promise.resolve(new Response('<html>oops</html>{', { status: 200, headers: { 'content-type': 'application/json' } })) : undefined));
      const g = await t.generate();
      await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 3, error: /not valid JSON/ });
      expect(t.fake.submissions).toHaveLength(1);
    });

    it('fails a "finished clip" that is an HTML page, in words, with nothing stored', async () => {
      const t = await setup();
      t.setRewrite((url) => (isFile(url) ? Promise.resolve(new Response('<html><body>Access denied</body></html>', { headers: { 'content-type': 'video/mp4' } })) : undefined));
      const g = await t.generate();
      await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 5, error: /^fal: the finished clip was refused: it is not a video \(the download is an HTML page\)$/ });
      expect(t.fake.submissions).toHaveLength(1);
    });
  });

  describe('downloads too big or too slow', () => {
    const cap = 64 * 1024;
    // Room for a slow machine: a status poll past the suite's 300 ms timeout would be a second
    // attempt, where these cases expect the one that meets the cap.
    const patient = 10_000;

    it('refuses a clip whose declared size is past the cap before reading it', async () => {
      const t = await setup({ maxClipBytes: cap, requestTimeoutMs: patient });
      const clip = streamedClip(65_536, { 'content-length': String(5 * 1024 ** 3) }, 64 * 1024 * 1024);
      t.setRewrite(clip.rewrite);
      const g = await t.generate();
      await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 1, error: /larger than 64 KB/ });
      expect(clip.served).toBeLessThan(1024 * 1024);
    });

    it('stops an endless clip with no declared size at the cap', async () => {
      const t = await setup({ maxClipBytes: cap, requestTimeoutMs: patient });
      const clip = streamedClip(16_384, {});
      t.setRewrite(clip.rewrite);
      const g = await t.generate();
      await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 1, error: /larger than 64 KB/ });
      expect(clip.served).toBeLessThan(4 * 1024 * 1024);
    });

    it('gives up on a download that stalls, and tries again within the attempts (no second submission)', async () => {
      const t = await setup({ downloadStallMs: 300, maxAttempts: 2 });
      t.setRewrite((url) => {
        if (!isFile(url)) return undefined;
        const body = new ReadableStream<Uint8Array>({
          start(ctl) {
            ctl.enqueue(clip.subarray(0, 1000)); // a first chunk, then nothing ever again
          },
        });
        return Promise.resolve(new Response(body, { headers: { 'content-type': 'video/mp4' } }));
      });
      const g = await t.generate();
      await failedCleanly(t, g.jobId, g.takeId, { maxAttempts: 2, error: /stalled|no data/ });
      expect(t.fake.submissions).toHaveLength(1);
    });

    it('retries a download answered 500 and then succeeds: one submission, one take, billed once', async () => {
      const t = await setup({ rewrite: failingFirst(2, isFile, 503, 'busy') });
      const g = await t.generate();
      await recoveredOnce(t, g.jobId, 2);
      await waitFor(() => listTakes(t.doc, t.shot).find((k) => k.status === 'succeeded'), 'take');
      expect(listTakes(t.doc, t.shot)).toHaveLength(1);
      expect(await tempFiles(t.srv.dataDir)).toEqual([]);
    });
  });

  describe('a storm of random faults', () => {
    const JOBS = LONG ? 40 : 6;
    const never = (init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true }));
    const garbage = () => new Response('<html>502</html>{', { status: 200, headers: { 'content-type': 'application/json' } });

    it(`${JOBS} paid jobs under random 500s, 429s, timeouts, garbage, lost answers and stalled downloads: bounded, paid once, clear`, async () => {
      const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 1e9));
      const rnd = seededRandom(seed); // replayable with FAULT_SEED
      const faults: Record<string, number> = {};
      const t = await setup({
        maxAttempts: 5,
        requestTimeoutMs: 150,
        downloadStallMs: 200,
        rewrite: (url, init, real) => {
          if (rnd() > 0.3) return undefined;
          const kind = (['500', '429', 'timeout', 'garbage', 'lost-answer', 'stall'] as const)[Math.floor(rnd() * 6)]!;
          faults[kind] = (faults[kind] ?? 0) + 1;
          if (kind === '500') return Promise.resolve(new Response('{"detail":"Internal Server Error"}', { status: 500, headers: { 'content-type': 'application/json' } }));
          if (kind === '429') return Promise.resolve(new Response('{"detail":"Too many requests"}', { status: 429, headers: { 'content-type': 'application/json' } }));
          if (kind === 'timeout') return never(init);
          if (kind === 'garbage') return Promise.resolve(garbage());
          if (kind === 'lost-answer') return real().then(async (r) => (await r.arrayBuffer(), garbage())); // done, but the answer is lost
          if (!isFile(url)) return undefined;
          return Promise.resolve(new Response(new ReadableStream({ start: (c) => c.enqueue(clip.subarray(0, 500)) }), { headers: { 'content-type': 'video/mp4' } }));
        },
      });
      const shots: { shot: string; prompt: string; jobId: string; takeId: string }[] = [];
      for (let i = 0; i < JOBS; i++) {
        const prompt = `storm job ${i}`;
        const shot = addShot(t.doc, { title: `Storm ${i}`, prompt, durationSec: 4, model: 'fal:veo3' });
        await waitFor(() => t.srv.takeboard.hub.read(t.boardId, (d) => getShot(d, shot)), 'shot stored');
        const g = (await t.owner.post(`/api/boards/${t.boardId}/shots/${shot}/generate`, {})).body;
        shots.push({ shot, prompt, jobId: g.jobId, takeId: g.takeId });
      }
      const label = `seed ${seed} (replay with FAULT_SEED=${seed})`;
      const views = await waitFor(async () => {
        const all = await Promise.all(shots.map(async (s) => (await t.owner.get(`/api/jobs/${s.jobId}`)).body));
        return all.every((j) => j.status === 'succeeded' || j.status === 'failed') ? all : null;
      }, `every storm job to end, ${label}`, 60_000);
      const costs = (await t.owner.get(`/api/boards/${t.boardId}/costs`)).body;
      const outcome: Record<string, number> = {};
      for (const [i, s] of shots.entries()) {
        const job = views[i];
        outcome[job.status] = (outcome[job.status] ?? 0) + 1;
        const sent = t.fake.submissions.filter((x) => (x.body as { prompt?: string }).prompt === s.prompt);
        expect(sent.length, `${s.prompt}: submitted ${sent.length} times, ${label}`).toBeLessThanOrEqual(1);
        expect(job.attempts, label).toBeLessThanOrEqual(5);
        const billed = costs.shots.filter((x: { shotId: string }) => x.shotId === s.shot);
        const take = await waitFor(() => listTakes(t.doc, s.shot).find((k) => k.status === job.status), `take of ${s.prompt}`);
        if (job.status === 'succeeded') {
          expect(billed, label).toEqual([{ shotId: s.shot, spentMicroUsd: 1_000_000, jobs: 1, estimateMicroUsd: 1_000_000, openJobs: 0, committedMicroUsd: 0 }]);
          expect(take.clip, label).toBeTruthy();
        } else {
          expect(billed, label).toEqual([]);
          expectReadable(job.error);
          expect(take.error).toBe(job.error);
        }
        expect(listTakes(t.doc, s.shot)).toHaveLength(1);
      }
      expect(await tempFiles(t.srv.dataDir)).toEqual([]);
      console.info(`fault storm ${label}: faults ${JSON.stringify(faults)}, outcomes ${JSON.stringify(outcome)}`);
    }, LONG ? 300_000 : 90_000);
  });
});
