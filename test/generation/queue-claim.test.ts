/**
 * The queue's claim on both engines: many workers on two instances (two connections or pools to
 * one database) claim every job exactly once; on PostgreSQL a job another worker holds locked is
 * skipped (FOR UPDATE SKIP LOCKED), never waited for.
 */
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';
import type { JobsTable } from '../../server/db/schema.js';
import { claimNext, queueJobs, type QueueLimits } from '../../server/generation/jobs.queries.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';

const LIMITS: QueueLimits = { total: 1000, perProvider: { default: 1000 }, perBoard: 1000 };

function jobRow(i: number, createdBy: string, t0: number, estimate = 0): JobsTable {
  return {
    id: `job-${String(i).padStart(3, '0')}`, board_id: 'b1', shot_id: 's1', take_id: `take-${i}`, created_by: createdBy, model: 'animatic', provider: i % 2 ? 'animatic' : 'fal',
    status: 'queued', phase: null, request: '{}', resolved: '{}', result: null, estimate_micro_usd: estimate, cost_micro_usd: null, seed: null,
    idempotency_key: null, attempts: 0, max_attempts: 3, next_attempt_at: 0, lease_owner: null, lease_expires_at: null, provider_job_id: null,
    cancel_requested: 0, error: null, created_at: t0 + i, started_at: null, finished_at: null, updated_at: t0 + i, doc_status: 'queued',
  };
}

async function seed(database: Db, jobs: number, users = ['u1', 'u2', 'u3']) {
  const { db } = database;
  const t0 = Date.now() - 60_000;
  for (const u of users) await db.insertInto('users').values({ id: u, email: `${u}@example.test`, name: u, city: null, password_hash: 'x', created_at: t0 }).execute();
  await db.insertInto('boards').values({ id: 'b1', title: 'Queue', created_by: 'u1', created_at: t0, updated_at: t0, archived_at: null }).execute();
  const ids: string[] = [];
  for (let i = 0; i < jobs; i++) {
    const row = jobRow(i, users[i % users.length]!, t0);
    ids.push(row.id);
    await db.insertInto('jobs').values(row).execute();
  }
  return ids;
}

describe.each(testEngines())('the queue on %s', (engine) => {
  const dbs = engineDatabases(engine);

  it('claims every job exactly once with 4 workers on each of 2 instances', async () => {
    const url = await dbs.url();
    const [a, b] = [await openDatabase(url), await openDatabase(url)];
    try {
      await migrateToLatest(a.db);
      const ids = await seed(a, 60);
      const claimed: string[] = [];
      const worker = async (instance: Db, name: string) => {
        for (;;) {
          const job = await claimNext(instance.db, name, Date.now(), 30_000, LIMITS);
          if (!job) return;
          expect(job).toMatchObject({ status: 'running', lease_owner: name });
          claimed.push(job.id);
        }
      };
      await Promise.all([0, 1, 2, 3].flatMap((i) => [worker(a, `a${i}`), worker(b, `b${i}`)]));
      expect(claimed.sort()).toEqual(ids);
      const rows = await a.db.selectFrom('jobs').select(['status', 'lease_owner']).execute();
      expect(rows.every((r) => r.status === 'running' && r.lease_owner)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);

  it('keeps the board budget a hard cap under 20 enqueues at once (from 2 instances on PostgreSQL)', async () => {
    const url = await dbs.url();
    const [a, b] = [await openDatabase(url), await openDatabase(url)];
    try {
      await migrateToLatest(a.db);
      await seed(a, 0);
      // A budget of 3 jobs at 1 dollar each: the 4th and later are refused, however they interleave.
      const admit = ({ spentMicroUsd, committedMicroUsd }: { spentMicroUsd: number; committedMicroUsd: number }) => {
        if (spentMicroUsd + committedMicroUsd + 1_000_000 > 3_000_000) throw new Error('over budget');
      };
      // Two libSQL connections to one file in one process stall each other in busy waits (the app
      // holds one per process); PostgreSQL gets two pools, as two instances have.
      const instances = engine === 'postgres' ? [a, b] : [a];
      const tries = Array.from({ length: 20 }, (_, i) =>
        queueJobs(instances[i % instances.length]!.db, [jobRow(i, 'u1', Date.now(), 1_000_000)], admit).then(() => 'queued', () => 'refused'),
      );
      const outcomes = await Promise.all(tries);
      expect(outcomes.filter((o) => o === 'queued')).toHaveLength(3);
      expect(await a.db.selectFrom('jobs').select('id').execute()).toHaveLength(3);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it.runIf(engine === 'postgres')('skips a job another transaction holds locked instead of waiting for it', async () => {
    const url = await dbs.url();
    const [a, b] = [await openDatabase(url), await openDatabase(url)];
    try {
      await migrateToLatest(a.db);
      const [oldest, next] = await seed(a, 2, ['u1', 'u2']);
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let locked = false;
      // Another instance mid-claim: it holds the oldest job's row until released.
      const holder = a.db.transaction().execute(async (tx) => {
        await tx.selectFrom('jobs').select('id').where('id', '=', oldest!).forUpdate().execute();
        locked = true;
        await released;
      });
      await waitFor(() => locked, 'the oldest job to be held');
      let claimed: string | null | undefined;
      void claimNext(b.db, 'b0', Date.now(), 30_000, LIMITS).then((j) => (claimed = j?.id ?? null));
      await waitFor(() => claimed !== undefined, 'the claim to answer while the oldest job is held', 5_000).finally(release);
      expect(claimed).toBe(next);
      await holder;
    } finally {
      await a.close();
      await b.close();
    }
  });
});
