import { createMedia } from '../../server/assets/media.js';
import { animaticRenderer } from '../../server/generation/local-animatic.js';
import type { LocalRenderer } from '../../server/generation/worker.js';
import { createBoard, joinWithRole, signedUpClient, type TestClient } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import fs from 'node:fs/promises';
import { afterAll, afterEach } from 'vitest';
import { createProviders } from '../../server/generation/providers/registry.js';
import { makeMediaFixtures } from '../assets/media-fixtures.js';
import { allowFakes, setServedVideo } from '../providers/fakes/core.js';
import { startFalFake } from '../providers/fakes/fal.js';

/**
 * What a generation test file opens: servers and board connections closed after each test,
 * cleanups run after the file, and `boardWith`: an owner's new board, synced over y-websocket.
 * Call at the top of the file (it registers the hooks).
 */
export function generationFixtures() {
  const servers: TestServer[] = [];
  const conns: BoardConnection[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of conns.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.close();
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
  });
  async function boardWith(srv: TestServer) {
    const owner = await signedUpClient(srv.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client);
    const conn = connectBoard(srv.url, boardId, owner.client);
    conns.push(conn);
    await conn.synced();
    return { owner, boardId, doc: conn.doc };
  }
  return { servers, conns, cleanups, boardWith };
}

/**
 * The fal.ai fake serving a real clip, and providers that reach it with Veo 3 priced at $0.25 a
 * second; all closed with the file's `cleanups`.
 */
export async function falProviders(cleanups: (() => Promise<void>)[]) {
  const fake = await startFalFake();
  cleanups.push(() => fake.close());
  const fx = await makeMediaFixtures();
  cleanups.push(() => fx.cleanup());
  setServedVideo(new Uint8Array(await fs.readFile(fx.clip)));
  cleanups.push(async () => setServedVideo(null));
  const providers = createProviders({ FAL_KEY: fake.key, FAL_BASE_URL: fake.baseUrl }, { prices: { 'fal:veo3': { microUsdPerSecond: 250_000, asOf: 'test' } }, ...allowFakes(fake) });
  return { fake, providers };
}

/** A board with an owner ("Producer") and an editor ("Artist"), both synced over y-websocket; connections go into `conns` for cleanup. */
export async function boardWithTwoMembers(srv: TestServer, conns: BoardConnection[]) {
  const owner = await signedUpClient(srv.url, { name: 'Producer' });
  const editor = await signedUpClient(srv.url, { name: 'Artist' });
  const boardId = await createBoard(owner.client);
  await joinWithRole(owner.client, editor.client, boardId, 'editor');
  const a = connectBoard(srv.url, boardId, owner.client);
  const b = connectBoard(srv.url, boardId, editor.client);
  conns.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  return { owner, editor, boardId, a, b };
}

/** Polls a job over the API until it reaches `status` (or any final one, which then fails the wait). */
export async function jobReaches(client: TestClient, jobId: string, status: string, timeoutMs = 60_000) {
  if (!jobId) throw new Error('no job id: the enqueue failed');
  const job = await waitFor(async () => {
    const j = (await client.get(`/api/jobs/${jobId}`)).body;
    return j.status === status || ['succeeded', 'failed', 'canceled'].includes(j.status) ? j : null;
  }, `job ${jobId} to be ${status}`, timeoutMs);
  if (job.status !== status) throw new Error(`job ${jobId} ended ${job.status} instead of ${status}: ${job.error}`);
  return job;
}

/** The real animatic, except that a shot titled "Breaks" fails to render (not retried: a plain error is permanent). */
export function animaticBreakingOnTitle(title = 'Breaks'): LocalRenderer {
  const animatic = animaticRenderer(createMedia());
  return async (job, out, signal) => {
    if (job.title === title) throw new Error('the renderer broke');
    await animatic(job, out, signal);
  };
}
