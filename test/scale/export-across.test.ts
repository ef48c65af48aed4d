import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore } from '../../server/assets/s3-blob-store.js';
import { createLogger } from '../../server/lib/log.js';
import { createRedisBus } from '../../server/scale/redis-bus.js';
import { findS3TestServer, type S3Target } from '../assets/s3-test-server.js';
import { chainedBoard, type ChainedBoard } from '../export/helpers.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { TestClient } from '../helpers/http.js';
import { startRedis } from '../helpers/redis.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

// Two instances on one database and one Redis: a sequence asked for on both is built once. On
// libSQL they share a file and a blob folder; on PostgreSQL a database and the S3 test store.
describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `takeboard-export-across-${engine}-`));
  let a: TestServer;
  let b: TestServer;
  let s3: S3Target | undefined;
  let board: ChainedBoard;
  const logs = { a: [] as string[], b: [] as string[] };

  beforeAll(async () => {
    redis = await startRedis();
    const databaseUrl = engine === 'postgres' ? await dbs.url() : undefined;
    if (engine === 'postgres') {
      const found = await findS3TestServer();
      if (!found.ok) throw new Error(found.reason);
      s3 = await found.start();
    }
    const make = (name: 'a' | 'b') =>
      startTestServer({
        dataDir,
        ...(databaseUrl ? { databaseUrl } : {}),
        app: {
          ...(s3 ? { blobs: createS3BlobStore({ ...s3, forcePathStyle: true }) } : {}),
          bus: createRedisBus(redis.url, createLogger('silent')),
          log: createLogger('info', {}, (line) => void logs[name].push(line)),
          generation: { pollMs: 20, startWorker: name === 'a' },
        },
      });
    a = await make('a');
    b = await make('b');
    await waitFor(async () => (await new TestClient(a.url).get('/api/ready')).body.redis === 'ok' && (await new TestClient(b.url).get('/api/ready')).body.redis === 'ok', 'both instances on Redis');
    board = await chainedBoard(a);
  }, 120_000);

  afterAll(async () => {
    board?.conn.destroy();
    await a?.close();
    await b?.close();
    await redis?.stop();
    await s3?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The owner's session on one instance. */
  function fetchOn(server: TestServer, url: string, init: { prefer?: boolean } = {}) {
    const headers: Record<string, string> = { cookie: board.owner.client.cookieHeader, origin: server.url };
    if (init.prefer) headers.prefer = 'respond-async';
    return fetch(server.url + url, { headers });
  }

  const built = () => [...logs.a, ...logs.b].filter((l) => JSON.parse(l).msg === 'sequence built');

  /** Polls until the URL serves the file; returns its SHA-256. */
  async function fileSha(server: TestServer, url: string): Promise<string> {
    let body: Buffer | null = null;
    await waitFor(async () => {
      const res = await fetchOn(server, url);
      if (res.status !== 200) {
        await res.arrayBuffer();
        return false;
      }
      body = Buffer.from(await res.arrayBuffer());
      return true;
    }, `${url} on ${server.url}`, 60_000);
    return crypto.createHash('sha256').update(body!).digest('hex');
  }

  it('a sequence asked for on two instances at once is built once; both serve the same file', async () => {
    const url = `/api/boards/${board.boardId}/export/sequence.mp4?trimOverlap=1`;
    const before = built().length;
    const [ra, rb] = await Promise.all([fetchOn(a, url, { prefer: true }), fetchOn(b, url, { prefer: true })]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    const [sa, sb] = [await ra.json(), await rb.json()];
    expect(sa.id).toBe(sb.id);
    const [ha, hb] = await Promise.all([fileSha(a, url), fileSha(b, url)]);
    expect(ha).toBe(hb);
    expect(built().length - before).toBe(1);
  }, 90_000);

  it('when the instance building a sequence stops renewing its lease, another takes the build over', async () => {
    const query = '?crossfade=0.5';
    const { key } = (await (await fetchOn(b, `/api/boards/${board.boardId}/export/sequence.json${query}`)).json()) as { key: string };
    // An instance that took the build and died: its lease lapses in a second, nothing else happens.
    const direct = new Redis(redis.url);
    await direct.set(`tb:lease:export:${board.boardId}:${key}`, 'a-dead-instance', 'PX', 1000);
    direct.disconnect();
    const before = built().length;
    const res = await fetchOn(b, `/api/boards/${board.boardId}/export/sequence.mp4${query}`, { prefer: true });
    expect(res.status).toBe(202);
    await res.arrayBuffer();
    await fileSha(b, `/api/boards/${board.boardId}/export/sequence.mp4${query}`);
    expect(logs.b.some((l) => JSON.parse(l).msg === 'took over a sequence build whose instance stopped renewing it')).toBe(true);
    expect(built().length - before).toBe(1);
  }, 90_000);
});
