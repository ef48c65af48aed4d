import { CompiledQuery } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openLibsql } from '../../server/db/open.js';
import { addShot, deleteShot, getShot, getTake, listTakes } from '../../shared/doc/index.js';
import { createMedia } from '../../server/assets/media.js';
import { animaticRenderer } from '../../server/generation/local-animatic.js';
import { createLogger } from '../../server/lib/log.js';
import { systemClock } from '../../server/lib/clock.js';
import { jobsWithTakeBehindQuery } from '../../server/generation/jobs.queries.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import { createPostgresStorage } from '../../server/sync/postgres-storage.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import type { AppendItem, DocStorage } from '../../server/sync/storage.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, type TestClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { jobReaches } from './helpers.js';

/**
 * The jobs table is the truth for a take's status and the board document mirrors it. Here the
 * board's real storage (libSQL) refuses a chosen number of writes, so the hub's own write of the
 * take fails the way a full or broken disk makes it fail; the mirror must log it, try again, and
 * bring the document to the job's status, or leave it to the sweep, which does.
 */

/** The real board storage (libSQL or PostgreSQL), refusing the next `n` writes of one board on request. */
function refusingStorage(real: DocStorage) {
  let board = '';
  let left = 0;
  const storage: DocStorage = {
    ...real,
    async append(items: AppendItem[]) {
      if (left > 0 && items.some((i) => i.boardId === board)) {
        left -= 1;
        throw new Error('injected: the disk refused the write');
      }
      return real.append(items);
    },
  };
  return {
    storage,
    refuse(boardId: string, n: number) {
      board = boardId;
      left = n;
    },
    get left() {
      return left;
    },
  };
}

const logs: { level: string; msg: string; jobId?: string }[] = [];
const logged = (level: string, msg: RegExp, jobId: string) => logs.filter((l) => l.level === level && msg.test(l.msg) && l.jobId === jobId);
let refusing: ReturnType<typeof refusingStorage>;
/** The animatic renders once this opens (open unless a test holds a render back). */
let renderGate: Promise<void> = Promise.resolve();
let srv: TestServer;
let owner: TestClient;
let boardId: string;
let shot: string;
const conns: BoardConnection[] = [];

// The mirror over each engine's real board storage: libSQL's and PostgreSQL's.
describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);

  beforeAll(async () => {
    const databaseUrl = engine === 'postgres' ? await dbs.url() : undefined;
    srv = await startTestServer({
      ...(databaseUrl ? { databaseUrl } : {}),
      app: (database) => {
        refusing = refusingStorage(database.engine === 'postgres' ? createPostgresStorage(database.db, systemClock) : createLibsqlStorage(database.db, systemClock));
        return {
          docStorage: refusing.storage,
          log: createLogger('info', {}, (line) => logs.push(JSON.parse(line))),
          // Three tries after a failed write, 20 ms apart and doubling; the sweep looks every 50 ms.
          generation: {
            startWorker: false,
            takeMirror: { retries: 3, retryBaseMs: 20, sweepMs: 50, sweepAfterMs: 0 },
            renderLocal: async (job, out, signal) => {
              await renderGate;
              await animaticRenderer(createMedia())(job, out, signal);
            },
          },
        };
      },
    });
    owner = (await signedUpClient(srv.url, { name: 'Producer' })).client;
    boardId = await createBoard(owner);
    const conn = connectBoard(srv.url, boardId, owner);
    conns.push(conn);
    await conn.synced();
    shot = addShot(conn.doc, { title: 'Harbour', prompt: 'gulls over the harbour at dawn', durationSec: 1, model: 'animatic' });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'shot stored');
  });
  afterAll(async () => {
    for (const c of conns.splice(0)) c.destroy();
    await srv.close();
  });

  const jobRow = (jobId: string) => srv.database.db.selectFrom('jobs').select(['status', 'doc_status']).where('id', '=', jobId).executeTakeFirstOrThrow();
  const storedTake = (takeId: string) => srv.takeboard.hub.read(boardId, (d) => getTake(d, shot, takeId));

  /** What a teammate opening the board now sees of the take. */
  async function seenByTeammate(takeId: string) {
    const conn = connectBoard(srv.url, boardId, owner);
    conns.push(conn);
    await conn.synced();
    return listTakes(conn.doc, shot).find((t) => t.id === takeId);
  }

  describe('take mirror: the document follows the jobs table after a failed write', () => {
    it('logs a failed write of the queued take, tries again and shows the take as the job is', async () => {
      refusing.refuse(boardId, 2);
      const res = await owner.post(`/api/boards/${boardId}/shots/${shot}/generate`, {});
      expect(res.status).toBe(202);
      const { jobId, takeId } = res.body as { jobId: string; takeId: string };
      expect(refusing.left).toBe(0); // both refusals were met by the take's write
      expect(logged('warn', /could not write a take into its board document; retrying/, jobId)).toHaveLength(2);
      expect(logged('info', /after a failed write/, jobId)).toHaveLength(1);
      expect(logged('error', /could not write a take/, jobId)).toHaveLength(0);
      expect(await jobRow(jobId)).toEqual({ status: 'queued', doc_status: 'queued' });
      expect(await storedTake(takeId)).toMatchObject({ jobId, status: 'queued', number: 1 });
      expect(await seenByTeammate(takeId)).toMatchObject({ status: 'queued' });

      // Canceled while its write fails once: the document ends canceled, as the job did.
      refusing.refuse(boardId, 1);
      const cancel = await owner.post(`/api/jobs/${jobId}/cancel`);
      expect(cancel.status).toBe(200);
      expect(cancel.body).toEqual({ status: 'canceled' });
      expect(await jobRow(jobId)).toEqual({ status: 'canceled', doc_status: 'canceled' });
      expect(await storedTake(takeId)).toMatchObject({ status: 'canceled' });
      expect(logged('warn', /retrying/, jobId)).toHaveLength(3);
    }, 60_000);

    it('when every try fails, logs an error, and the sweep brings the take to the job’s status once writes work', async () => {
      refusing.refuse(boardId, 1_000);
      const res = await owner.post(`/api/boards/${boardId}/shots/${shot}/generate`, {});
      expect(res.status).toBe(202); // the job is queued: the jobs table holds it
      const { jobId, takeId } = res.body as { jobId: string; takeId: string };
      expect(logged('error', /could not write a take into its board document; the sweep tries again/, jobId)).toHaveLength(1);
      expect(await storedTake(takeId)).toBeUndefined();
      // The job moves on while the document cannot follow.
      expect((await owner.post(`/api/jobs/${jobId}/cancel`)).status).toBe(200);
      expect(logged('error', /the sweep tries again/, jobId)).toHaveLength(2);
      expect(await jobRow(jobId)).toEqual({ status: 'canceled', doc_status: null });
      expect(await storedTake(takeId)).toBeUndefined();

      refusing.refuse(boardId, 0);
      srv.takeboard.worker.start(); // starts the sweep (nothing is left to render)
      await waitFor(async () => (await jobRow(jobId)).doc_status === 'canceled', 'the sweep wrote the take');
      // Written whole, as the job is now (canceled), never as it was when the writes failed (queued).
      expect(await storedTake(takeId)).toMatchObject({ jobId, status: 'canceled', number: 2 });
      expect(await seenByTeammate(takeId)).toMatchObject({ status: 'canceled' });
    }, 60_000);

    it('shows a finished take whole (clip, poster, tail, frames, length) after its write failed twice', async () => {
      let open!: () => void;
      renderGate = new Promise((resolve) => (open = resolve));
      const { jobId, takeId } = (await owner.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body as { jobId: string; takeId: string };
      await jobReaches(owner, jobId, 'running'); // the worker (started above) holds it at the gate
      await waitFor(async () => (await storedTake(takeId))?.status === 'running', 'running take');
      refusing.refuse(boardId, 2); // the next writes of the board are the finished take's
      open();
      const job = await jobReaches(owner, jobId, 'succeeded', 120_000);
      // Recorded on the row once the write is stored: then the document shows it.
      await waitFor(async () => (await jobRow(jobId)).doc_status === 'succeeded', 'finished take written');
      expect(await storedTake(takeId)).toMatchObject({ status: 'succeeded' });
      expect(refusing.left).toBe(0);
      expect(logged('warn', /retrying/, jobId)).toHaveLength(2);
      const take = (await storedTake(takeId))!;
      expect(take).toMatchObject({
        clip: job.result.clipAssetId,
        poster: job.result.posterAssetId,
        tail: job.result.tailAssetId,
        lastFrame: job.result.tailFrameAssetId,
        durationSec: Math.round(job.result.durationSec * 1000) / 1000,
        costMicroUsd: 0,
        number: 3,
      });
      expect(take.error).toBeUndefined();
      // The tail clip's first frame is on the take (and the board), not in the API's job result.
      expect(Object.keys(job.result).sort()).toEqual(['clipAssetId', 'durationSec', 'posterAssetId', 'tailAssetId', 'tailFrameAssetId']);
      const assets = (await owner.get(`/api/boards/${boardId}/assets`)).body as { id: string }[];
      expect(assets.map((a) => a.id)).toContain(take.tailStart);
      expect(await seenByTeammate(takeId)).toMatchObject({ status: 'succeeded', clip: job.result.clipAssetId });
    }, 180_000);

    it('writes nothing, and counts the take as shown, when its shot was deleted meanwhile', async () => {
      const conn = conns[0]!;
      const doomed = addShot(conn.doc, { title: 'Cut', prompt: 'a shot that is cut', durationSec: 1, model: 'animatic' });
      await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, doomed)), 'shot stored');
      let open!: () => void;
      renderGate = new Promise((resolve) => (open = resolve));
      const { jobId } = (await owner.post(`/api/boards/${boardId}/shots/${doomed}/generate`, {})).body as { jobId: string };
      await jobReaches(owner, jobId, 'running');
      deleteShot(conn.doc, doomed);
      await waitFor(async () => !(await srv.takeboard.hub.read(boardId, (d) => getShot(d, doomed))), 'shot deletion stored');
      expect((await owner.post(`/api/jobs/${jobId}/cancel`)).status).toBe(202);
      open();
      await jobReaches(owner, jobId, 'canceled');
      await waitFor(async () => (await jobRow(jobId)).doc_status === 'canceled', 'the take counted as shown');
      expect(logged('info', /the shot of a job is gone/, jobId).length).toBeGreaterThan(0);
      expect(logged('warn', /retrying/, jobId)).toEqual([]);
      expect(logged('error', /could not write a take/, jobId)).toEqual([]);
    }, 180_000);

    it.runIf(engine === 'libsql')('finds the takes behind their jobs from an index that holds only those rows', async () => {
      const { sql, parameters } = jobsWithTakeBehindQuery(Date.now(), 50).compile(srv.database.db);
      const plan = (await srv.database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${sql}`, [...parameters]))).rows.map((r) => r.detail);
      expect(plan).toEqual(['SEARCH jobs USING INDEX jobs_take_behind (updated_at<?)']);
    });
  });
});

describe('take mirror: jobs stored before it', () => {
  it('start even (their takes were written by the code that ran them), so the sweep rewrites none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-doc-status-'));
    const database = await openLibsql(`file:${path.join(dir, 'takeboard.db')}`);
    try {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      // Rows as a database from before these columns holds them (any later migration keeps them).
      expect((await migrator.migrateTo('2026_12_07_040000_shot_changes')).error).toBeUndefined();
      await database.client.execute("insert into users (id, email, name, password_hash, created_at) values ('u1', 'u1@example.test', 'Producer', 'x', 0)");
      await database.client.execute("insert into boards (id, title, created_by, created_at, updated_at) values ('b1', 'Board', 'u1', 0, 0)");
      for (const [i, status] of ['queued', 'running', 'succeeded', 'failed', 'canceled'].entries()) {
        await database.client.execute({
          sql: `insert into jobs (id, board_id, shot_id, take_id, created_by, model, provider, status, request, resolved, estimate_usd, max_attempts, next_attempt_at, created_at, updated_at)
                values (?, 'b1', 's1', ?, 'u1', 'animatic', 'animatic', ?, '{}', '{}', 0, 5, 0, ?, ?)`,
          args: [`j${i}`, `t${i}`, status, i, i],
        });
      }
      await migrateToLatest(database.db);
      const rows = await database.db.selectFrom('jobs').select(['status', 'doc_status']).orderBy('id').execute();
      expect(rows.map((r) => r.doc_status)).toEqual(rows.map((r) => r.status));
      expect(await jobsWithTakeBehindQuery(Number.MAX_SAFE_INTEGER, 50).execute(database.db).then((r) => r.rows)).toEqual([]);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
