import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kysely, type LogEvent } from 'kysely';
import { migrateToLatest } from '../server/db/migrate.js';
import { openLibsql, type LibsqlDb } from '../server/db/open.js';
import { LibsqlDialect } from '../server/db/libsql-dialect.js';
import type { Database, JobsTable } from '../server/db/schema.js';
import { chargeAndSucceed, claimNext, type QueueLimits } from '../server/generation/jobs.queries.js';
import { fmt, ratio, rng, summarize, type Rng, type Summary } from './lib/stats.js';
import { listFlag, numberFlag, type BenchOptions, type BenchSuite, type SuiteResult, type Table } from './lib/suite.js';
import { addPeople, insertJobs, queuedJob } from './queue/fill.js';
import { measureHeads, type HeadsResult } from './queue/heads.js';

/**
 * Enqueue-to-dispatch overhead of the durable queue: the time `claimNext` (the worker's pick and
 * atomic claim) takes with N jobs queued, for several N. Each size gets a fresh migrated libSQL
 * file holding N queued jobs (inserted as `enqueueGeneration` inserts them: several members and
 * boards, two providers, a few waiting out a retry), 2,000 finished jobs of history and one job
 * running under another worker's lease. Every claim is timed alone; after it the claimed job is
 * finished and a new one enqueued (not timed), so the queue stays at N. The statements each claim
 * runs are timed one by one (Kysely's query log) and their EXPLAIN QUERY PLAN is printed for the
 * largest size, to show which one grows with the queue and why. Last, on the same data, the
 * heads statement alone (queue/heads.ts, the real statement imported from jobs.queries.ts).
 *
 * Flags: --sizes 100,10000 (quick 100,2000)  --claims 500 (quick 200)  --history 2000
 */
const LIMITS: QueueLimits = { total: 4, perProvider: { default: 2, animatic: 2 }, perBoard: 4 }; // the app's defaults
const LEASE_MS = 30_000;

/** Names a statement of claimNext by its shape. */
function label(sql: string): string {
  if (sql.startsWith('update')) return 'claim: conditional UPDATE';
  if (/^\s*with recursive/i.test(sql)) return 'queue heads: loose index scan of (member, provider) + seek';
  if (/"lease_expires_at" </.test(sql)) return 'expired leases';
  if (/select \*/.test(sql)) return 'read the claimed row';
  if (/"status" = \?$/.test(sql.trim())) return 'running jobs';
  return sql.slice(0, 60);
}

interface SizeResult {
  queued: number;
  claim: Summary;
  /** Per statement shape: time per execution (ms), over the measured claims. */
  statements: Array<{ label: string; sql: string; perClaim: number; ms: Summary; plan: string[] }>;
  /** The heads statement alone, on the same data (queue/heads.ts). */
  heads: HeadsResult;
}

async function openFilled(dir: string, n: number, history: number, r: Rng): Promise<LibsqlDb> {
  const database = await openLibsql(`file:${path.join(dir, 'takeboard.db')}`);
  await migrateToLatest(database.db);
  const now = Date.now();
  await addPeople(database.db, now);
  const old = now - 10 * 24 * 3_600_000;
  const done: JobsTable[] = Array.from({ length: history }, (_, i) => {
    const j = queuedJob(r, old + i * 1000, old);
    const status = (['succeeded', 'succeeded', 'succeeded', 'failed', 'canceled'] as const)[i % 5]!;
    return { ...j, status, doc_status: status, attempts: 1, started_at: j.created_at + 10, finished_at: j.created_at + 60_000, next_attempt_at: j.created_at };
  });
  await insertJobs(database.db, done);
  // Oldest first, the last one just now: the queue built up over the past minutes.
  await insertJobs(database.db, Array.from({ length: n }, (_, i) => queuedJob(r, now - (n - i) * 20, now)));
  // Another worker is running one job, under a live lease.
  const running = queuedJob(r, now - 1000, now);
  await insertJobs(database.db, [{ ...running, status: 'running', lease_owner: 'other-worker', lease_expires_at: now + 3_600_000, started_at: now - 500 }]);
  return database;
}

async function measureSize(n: number, o: { claims: number; warmup: number; history: number; seed: number; explain: boolean }): Promise<SizeResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-bench-queue-'));
  const r = rng(o.seed + n);
  const database = await openFilled(dir, n, o.history, r);
  const seen = new Map<string, { sql: string; params: readonly unknown[]; ms: number[] }>();
  let recording = false;
  const log = (e: LogEvent) => {
    if (!recording || e.level !== 'query') return;
    const l = label(e.query.sql);
    const entry = seen.get(l) ?? seen.set(l, { sql: e.query.sql, params: e.query.parameters, ms: [] }).get(l)!;
    entry.ms.push(e.queryDurationMillis);
  };
  const db = new Kysely<Database>({ dialect: new LibsqlDialect(database.client), log });
  try {
    const claimMs: number[] = [];
    for (let i = 0; i < o.warmup + o.claims; i++) {
      recording = i >= o.warmup;
      const t = performance.now();
      const job = await claimNext(db, 'bench-worker', Date.now(), LEASE_MS, LIMITS);
      const ms = performance.now() - t;
      recording = false;
      if (!job) throw new Error(`claimNext found nothing to claim with ${n} queued`);
      if (i >= o.warmup) claimMs.push(ms);
      // The worker finishes it; someone enqueues another: the queue stays at n.
      const now = Date.now();
      await chargeAndSucceed(database.db, job, 0, now);
      await insertJobs(database.db, [queuedJob(r, now, now)]);
    }
    const statements = [];
    for (const [l, s] of seen) {
      const plan = o.explain ? (await database.client.execute({ sql: `EXPLAIN QUERY PLAN ${s.sql}`, args: s.params as never })).rows.map((row) => String(row.detail)) : [];
      statements.push({ label: l, sql: s.sql, perClaim: s.ms.length / o.claims, ms: summarize(s.ms), plan });
    }
    const heads = await measureHeads(db, database.client, 50);
    return { queued: n, claim: summarize(claimMs), statements, heads };
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'queue',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const sizes = listFlag(opts, 'sizes', opts.quick ? [100, 2000] : [100, 10_000]);
    const claims = numberFlag(opts, 'claims', opts.quick ? 200 : 500);
    const o = { claims, warmup: 20, history: numberFlag(opts, 'history', 2000), seed: opts.seed };
    const results: SizeResult[] = [];
    for (const n of sizes) {
      opts.log(`queue: ${n} queued jobs, ${claims} timed claims`);
      results.push(await measureSize(n, { ...o, explain: n === Math.max(...sizes) }));
    }
    const first = results[0]!;
    const last = results.at(-1)!;
    const tables: Table[] = [
      {
        title: `queue: enqueue-to-dispatch (claimNext) with N jobs queued; ${claims} claims each, ${o.history} finished jobs of history, limits ${JSON.stringify(LIMITS)}`,
        columns: ['queued', 'p50 ms', 'p99 ms', 'max ms', `p99 vs ${first.queued}`, 'target'],
        rows: results.map((s) => [s.queued.toLocaleString('en-US'), fmt(s.claim.p50), fmt(s.claim.p99), fmt(s.claim.max), ratio(s.claim.p99, first.claim.p99), '<= 10 ms, flat']),
      },
      {
        title: `queue: claimNext statement by statement (mean ms per execution) and the plan at ${last.queued.toLocaleString('en-US')} queued`,
        columns: ['statement', 'runs/claim', ...results.map((s) => `${s.queued.toLocaleString('en-US')} queued`), 'plan'],
        rows: last.statements.map((st) => [
          st.label,
          fmt(st.perClaim),
          ...results.map((s) => fmt(s.statements.find((x) => x.label === st.label)?.ms.mean ?? NaN)),
          st.plan.join('; '),
        ]),
      },
      {
        title: 'queue: the heads statement alone (queueHeadsQuery from jobs.queries.ts, index jobs_queue_heads), mean ms',
        columns: ['heads statement', ...results.map((s) => `${s.queued.toLocaleString('en-US')} queued`), `vs ${first.queued}`],
        rows: [
          ['nothing at its limit', ...results.map((s) => fmt(s.heads.freeMs.mean)), ratio(last.heads.freeMs.mean, first.heads.freeMs.mean)],
          ['animatic at its limit', ...results.map((s) => fmt(s.heads.saturatedMs.mean)), ratio(last.heads.saturatedMs.mean, first.heads.saturatedMs.mean)],
        ],
        notes: [`plan: ${last.heads.plan.join('; ')}`],
      },
    ];
    return { tables, data: { sizes, claims, history: o.history, limits: LIMITS, results, p99Ratio: last.claim.p99 / first.claim.p99, p50Ratio: last.claim.p50 / first.claim.p50 } };
  },
};
