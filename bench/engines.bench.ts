/**
 * libSQL beside PostgreSQL in one run: the queue's claim with 4 workers across 2 instances (2 each)
 * (two connections or pools to one database, as two Takeboard processes hold), and the cold load
 * of a board with a long edit history. PostgreSQL is Debian's, started for the run in a temporary
 * directory (test/helpers/postgres.ts); without it the suite says so and measures libSQL alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateToLatest } from '../server/db/migrate.js';
import { openDatabase, type Db } from '../server/db/open.js';
import { claimNext } from '../server/generation/jobs.queries.js';
import { systemClock } from '../server/lib/clock.js';
import { createLibsqlStorage } from '../server/sync/libsql-storage.js';
import { createPostgresStorage } from '../server/sync/postgres-storage.js';
import type { DocStorage } from '../server/sync/storage.js';
import { postgresMissing, startPostgres, type Engine, type PostgresServer } from '../test/helpers/postgres.js';
import { BOARD, buildHistory, canonical, loadIntoDoc } from './coldload.bench.js';
import { addPeople, insertJobs, queuedJob } from './queue/fill.js';
import { fmt, rng, summarize, type Summary } from './lib/stats.js';
import { numberFlag, type BenchOptions, type BenchSuite, type SuiteResult } from './lib/suite.js';

const LIMITS = { total: 1_000_000, perProvider: { default: 1_000_000 }, perBoard: 1_000_000 };

/** Every queued job claimed by 4 workers (2 per instance); each claim's time, and the jobs claimed twice (must be 0). */
async function claimAll(instances: Db[], jobs: number, seed: number) {
  const r = rng(seed);
  const now = Date.now();
  await addPeople(instances[0]!.db, now);
  await insertJobs(instances[0]!.db, Array.from({ length: jobs }, (_, i) => ({ ...queuedJob(r, now - jobs + i, now), next_attempt_at: 0, attempts: 0, error: null })));
  const times: number[] = [];
  const claimed = new Set<string>();
  let twice = 0;
  const t0 = performance.now();
  await Promise.all(
    [0, 1].flatMap((w) =>
      instances.map(async (inst, i) => {
        for (;;) {
          const t = performance.now();
          const job = await claimNext(inst.db, `w${i}-${w}`, Date.now(), 60_000, LIMITS);
          times.push(performance.now() - t);
          if (!job) return;
          if (claimed.has(job.id)) twice++;
          claimed.add(job.id);
        }
      }),
    ),
  );
  return { claim: summarize(times), claimed: claimed.size, twice, perSecond: claimed.size / ((performance.now() - t0) / 1000) };
}

async function coldLoad(storage: DocStorage, edits: number, loads: number, seed: number): Promise<Summary> {
  const built = await buildHistory(storage, { edits, editors: 3, batch: 50, compactAfter: 500, seed });
  const expected = canonical(built.doc);
  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    const t = performance.now();
    const doc = loadIntoDoc((await storage.load(BOARD)).parts);
    times.push(performance.now() - t);
    if (canonical(doc) !== expected) throw new Error('the loaded board differs from what the editors hold');
    doc.destroy();
  }
  return summarize(times);
}

export const suite: BenchSuite = {
  name: 'engines',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const jobs = numberFlag(opts, 'engine-jobs', opts.quick ? 300 : 2000);
    const edits = numberFlag(opts, 'engine-edits', opts.quick ? 5_000 : 50_000);
    const loads = numberFlag(opts, 'loads', opts.quick ? 10 : 30);
    const missing = postgresMissing();
    const engines: Engine[] = missing ? ['libsql'] : ['libsql', 'postgres'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-bench-engines-'));
    let server: PostgresServer | undefined;
    const rows: Array<Array<string | number>> = [];
    const data: Record<string, unknown> = {};
    try {
      if (!missing) server = await startPostgres();
      for (const engine of engines) {
        const url = async (name: string) => (server && engine === 'postgres' ? server.createDatabase() : `file:${path.join(dir, `${name}.db`)}`);
        // The queue: one database, two instances.
        const queueUrl = await url('queue');
        const instances = [await openDatabase(queueUrl), await openDatabase(queueUrl)];
        let q: Awaited<ReturnType<typeof claimAll>>;
        try {
          await migrateToLatest(instances[0]!.db);
          opts.log(`engines: ${engine}: ${jobs} jobs claimed by 4 workers across 2 instances (2 each)`);
          q = await claimAll(instances, jobs, opts.seed);
        } finally {
          for (const i of instances) await i.close();
        }
        // The cold load: the storage the app would use on this engine.
        const loadUrl = await url('coldload');
        const database = await openDatabase(loadUrl);
        const storage = database.engine === 'postgres' ? createPostgresStorage(database.db, systemClock) : createLibsqlStorage(database.db, systemClock, { url: loadUrl });
        let load: Summary;
        try {
          await migrateToLatest(database.db);
          opts.log(`engines: ${engine}: cold load of a board with ${edits} edits of history`);
          load = await coldLoad(storage, edits, loads, opts.seed);
        } finally {
          await storage.close?.();
          await database.close();
        }
        data[engine] = { ...q, coldLoad: load };
        rows.push([engine, fmt(q.claim.p50), fmt(q.claim.p99), fmt(q.perSecond, 4), q.twice, fmt(load.p50), fmt(load.p99)]);
      }
    } finally {
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return {
      data: { jobs, edits, loads, ...data },
      tables: [
        {
          title: `engines: queue claims (${jobs} jobs, 4 workers across 2 instances) and cold load (${edits.toLocaleString('en-US')} edits of history), libSQL beside PostgreSQL`,
          columns: ['engine', 'claim p50 ms', 'claim p99 ms', 'jobs claimed /s', 'claimed twice', 'cold load p50 ms', 'cold load p99 ms'],
          rows,
          notes: missing ? [`PostgreSQL not measured: ${missing}`] : ['PostgreSQL 15 from Debian on loopback, fsync off (as in the tests); libSQL a file with synchronous=FULL'],
        },
      ],
    };
  },
};
