import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { JobResult, JobView } from '../../shared/generation/index.js';
import { engineOf, serializeOn, type Engine } from '../db/engine.js';
import type { Database, JobStatus, JobsTable } from '../db/schema.js';
import { WAITING_AT } from './pending-tail.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What a finished job made, as stored: the API's JobResult plus the tail clip's first frame, which only the take shows. */
export interface StoredResult extends JobResult {
  tailStartAssetId?: string;
}

export function storedResult(json: string | null): StoredResult | null {
  return json ? (JSON.parse(json) as StoredResult) : null;
}

/** The API's view of a result: the JobResult fields, nothing the take alone shows. */
function publicResult(r: StoredResult | null): JobResult | null {
  return r && { clipAssetId: r.clipAssetId, posterAssetId: r.posterAssetId, tailAssetId: r.tailAssetId, tailFrameAssetId: r.tailFrameAssetId, durationSec: r.durationSec };
}

export function toJobView(r: JobsTable): JobView {
  return {
    id: r.id,
    boardId: r.board_id,
    shotId: r.shot_id,
    takeId: r.take_id,
    createdBy: r.created_by,
    model: r.model,
    provider: r.provider,
    status: r.status,
    request: JSON.parse(r.request),
    resolved: JSON.parse(r.resolved),
    result: publicResult(storedResult(r.result)),
    estimateMicroUsd: r.estimate_micro_usd,
    costMicroUsd: r.cost_micro_usd,
    seed: r.seed,
    attempts: r.attempts,
    error: r.error,
    providerJobId: r.provider_job_id,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

export function getJob(db: Kysely<Database>, jobId: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
}

/** A board's jobs, newest first (the jobs list). */
export function boardJobs(db: Kysely<Database>, boardId: string, limit: number) {
  return db.selectFrom('jobs').selectAll().where('board_id', '=', boardId).orderBy('created_at', 'desc').limit(limit).execute();
}

/** The job a member already queued with this idempotency key on the board, if any. */
export function jobByIdempotencyKey(db: Kysely<Database>, boardId: string, userId: string, key: string) {
  return db
    .selectFrom('jobs')
    .select(['id', 'take_id', 'estimate_micro_usd', 'shot_id', 'resolved', 'seed'])
    .where('board_id', '=', boardId)
    .where('created_by', '=', userId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** A board's spend as queued jobs found it (`queueJobs`). */
export type BoardSpend = { spentMicroUsd: number; committedMicroUsd: number };

/**
 * Queues `job` in one write transaction: a job the member already queued with the same
 * idempotency key is returned instead; with `admit`, the board's spend is read in the same
 * transaction and handed to it (it throws to refuse), so concurrent enqueues cannot together pass
 * a budget.
 */
/**
 * Several jobs of one board, all or none, under one budget check (the admit sees the spend
 * before any of them). The first job's idempotency key names the batch: when it was used, the
 * jobs already queued under the batch's keys come back instead.
 */
export async function queueJobs(
  db: Kysely<Database>,
  jobs: JobsTable[],
  admit: ((spend: BoardSpend) => void) | null,
): Promise<{ existing: JobRowByKey[] } | { existing: null; spend: BoardSpend | null }> {
  const first = jobs[0]!;
  return db.transaction().execute(async (tx) => {
    await serializeOn(tx, `board:${first.board_id}`);
    if (first.idempotency_key) {
      const same = await jobByIdempotencyKey(tx, first.board_id, first.created_by, first.idempotency_key);
      if (same) {
        const rest = await Promise.all(jobs.slice(1).map((j) => jobByIdempotencyKey(tx, j.board_id, j.created_by, j.idempotency_key!)));
        return { existing: [same, ...rest.filter((r): r is JobRowByKey => r !== undefined)] };
      }
    }
    const spend = admit ? await boardSpend(tx, first.board_id) : null;
    if (admit && spend) admit(spend);
    for (const job of jobs) await insertJob(tx, job);
    return { existing: null, spend };
  });
}

type JobRowByKey = NonNullable<Awaited<ReturnType<typeof jobByIdempotencyKey>>>;

export async function insertJob(db: Kysely<Database>, job: JobsTable): Promise<void> {
  await db.insertInto('jobs').values(job).execute();
}

/** What a finished job made (its clip, poster, tail), or null before it succeeded. */
export async function jobResult(db: Kysely<Database>, jobId: string): Promise<StoredResult | null> {
  const row = await db.selectFrom('jobs').select('result').where('id', '=', jobId).executeTakeFirst();
  return storedResult(row?.result ?? null);
}

/** Records what a job made, before its take is written: a chained shot can resolve its tail from then on. */
export async function recordResult(db: Kysely<Database>, jobId: string, result: StoredResult, now: number): Promise<void> {
  await db.updateTable('jobs').set({ result: JSON.stringify(result), updated_at: now }).where('id', '=', jobId).execute();
}

/**
 * The ledger row and the job's success, committed together: a job is billed once (the ledger's
 * key is the job id, so a second finalize after a crash adds nothing).
 */
export async function chargeAndSucceed(db: Kysely<Database>, job: Pick<JobsTable, 'id' | 'board_id' | 'shot_id'>, costMicroUsd: number, now: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('cost_ledger')
      .values({ job_id: job.id, board_id: job.board_id, shot_id: job.shot_id, amount_micro_usd: costMicroUsd, created_at: now })
      .onConflict((oc) => oc.column('job_id').doNothing())
      .execute();
    await tx
      .updateTable('jobs')
      .set({ status: 'succeeded', cost_micro_usd: costMicroUsd, finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null, error: null })
      .where('id', '=', job.id)
      .execute();
  });
}

/** A job that ends without a clip (failed or canceled), its lease released. */
export async function finishJob(db: Kysely<Database>, jobId: string, end: { status: 'failed' | 'canceled'; error: string | null; attempts: number; now: number }): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: end.status, error: end.error, attempts: end.attempts, finished_at: end.now, updated_at: end.now, lease_owner: null, lease_expires_at: null })
    .where('id', '=', jobId)
    .execute();
}

/**
 * Records that the take in the document now shows `status`, only while the job still has it (a
 * status that moved on meanwhile leaves the row behind, for the next write or the sweep).
 */
export async function markMirrored(db: Kysely<Database>, jobId: string, status: JobStatus): Promise<void> {
  await db.updateTable('jobs').set({ doc_status: status }).where('id', '=', jobId).where('status', '=', status).execute();
}

/**
 * Jobs whose take in the document is behind their status and that have not changed since
 * `still` (their own write has had its chance): oldest change first. Read from the partial index
 * jobs_take_behind, which holds only such rows.
 */
export async function jobsWithTakeBehind(db: Kysely<Database>, still: number, limit: number): Promise<string[]> {
  return (await jobsWithTakeBehindQuery(still, limit).execute(db)).rows.map((r) => r.id);
}

/** The statement of `jobsWithTakeBehind`, exported so a test can read its plan. */
export function jobsWithTakeBehindQuery(still: number, limit: number) {
  // IS DISTINCT FROM: SQLite reads it as its own IS NOT (so jobs_take_behind serves it); PostgreSQL knows only this spelling.
  return sql<{ id: string }>`select id from jobs where doc_status is distinct from status and updated_at < ${still} order by updated_at limit ${limit}`;
}

/** Whether someone asked to cancel this job (a running one stops at its next look). */
export async function isCancelRequested(db: Kysely<Database>, jobId: string): Promise<boolean> {
  const row = await db.selectFrom('jobs').select('cancel_requested').where('id', '=', jobId).executeTakeFirst();
  return Boolean(row?.cancel_requested);
}

/** Cancels a job still waiting in the queue; false when it already left it (a worker holds it, or it ended). */
export async function cancelQueued(db: Kysely<Database>, jobId: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ status: 'canceled', cancel_requested: 1, finished_at: now, updated_at: now, error: null })
    .where('id', '=', jobId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Asks the worker holding a job to cancel it. */
export async function requestCancel(db: Kysely<Database>, jobId: string, now: number): Promise<void> {
  await db.updateTable('jobs').set({ cancel_requested: 1, updated_at: now }).where('id', '=', jobId).execute();
}

/** Hands this worker's running jobs back at once (lease expired) for another worker or a restart. */
export async function releaseLeases(db: Kysely<Database>, jobIds: readonly string[], owner: string): Promise<void> {
  if (jobIds.length === 0) return;
  await db.updateTable('jobs').set({ lease_expires_at: 0 }).where('id', 'in', jobIds).where('lease_owner', '=', owner).where('status', '=', 'running').execute();
}

/** Money spent on a board, and estimates of what is queued or running (already promised): exact integer sums of micro-dollars. */
export async function boardSpend(db: Kysely<Database>, boardId: string): Promise<{ spentMicroUsd: number; committedMicroUsd: number }> {
  const spent = await db
    .selectFrom('cost_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_micro_usd'), eb.val(0)).as('n'))
    .where('board_id', '=', boardId)
    .executeTakeFirstOrThrow();
  const committed = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('estimate_micro_usd'), eb.val(0)).as('n'))
    .where('board_id', '=', boardId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirstOrThrow();
  return { spentMicroUsd: Number(spent.n), committedMicroUsd: Number(committed.n) };
}

export interface QueueLimits {
  total: number;
  perProvider: Record<string, number> & { default: number };
  perBoard: number;
}

/**
 * Picks and claims the next job for this worker, atomically (a conditional UPDATE, so two
 * workers, in one process or several, never claim the same job). Jobs whose lease ran out
 * (their worker died) come first: they were promised earliest. Otherwise fair share: among the
 * oldest claimable job of each member, the member with the fewest jobs running goes first.
 */
export async function claimNext(db: Kysely<Database>, owner: string, now: number, leaseMs: number, limits: QueueLimits): Promise<JobsTable | null> {
  const running = await db
    .selectFrom('jobs')
    .select(['created_by', 'provider', 'board_id', 'lease_expires_at'])
    .where('status', '=', 'running')
    .execute();
  const live = running.filter((r) => (r.lease_expires_at ?? 0) > now);
  if (live.length >= limits.total) return null;
  const count = (key: (r: (typeof live)[number]) => string) => {
    const m = new Map<string, number>();
    for (const r of live) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return m;
  };
  const byUser = count((r) => r.created_by);
  const byProvider = count((r) => r.provider);
  const byBoard = count((r) => r.board_id);
  const fits = (provider: string, board: string) =>
    (byProvider.get(provider) ?? 0) < (limits.perProvider[provider] ?? limits.perProvider.default) && (byBoard.get(board) ?? 0) < limits.perBoard;

  const expired = await db
    .selectFrom('jobs')
    .select(['id', 'provider', 'board_id'])
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', now)
    .orderBy('created_at')
    .limit(20)
    .execute();
  for (const e of expired) {
    if (!fits(e.provider, e.board_id)) continue;
    const claimed = await take(db, e.id, owner, now, leaseMs, 'running');
    if (claimed) return claimed;
  }

  const fullProviders = [...byProvider].filter(([p, n]) => n >= (limits.perProvider[p] ?? limits.perProvider.default)).map(([p]) => p);
  const fullBoards = [...byBoard].filter(([, n]) => n >= limits.perBoard).map(([b]) => b);
  const heads = await queueHeadsQuery(now, fullProviders, fullBoards, engineOf(db)).execute(db).then((r) => r.rows);
  const order = heads.sort((a, b) => (byUser.get(a.created_by) ?? 0) - (byUser.get(b.created_by) ?? 0) || a.head_at - b.head_at);
  for (const h of order) {
    const claimed = await take(db, h.id, owner, now, leaseMs, 'queued');
    if (claimed) return claimed;
  }
  return null;
}

/**
 * The oldest ready job of each (member, provider) pair, on a board with room, skipping providers
 * at their limit. A loose index scan over jobs_queue_heads: one seek per pair to find the next
 * pair, one to find its oldest job, so the cost follows the number of pairs, not the queue.
 * Exported so the queue bench times and explains the real statement.
 *
 * Rows are named by SQLite's rowid (in every index entry, so each step reads the index alone)
 * or, on PostgreSQL, by ctid (the row's place, stable within one statement): the only part
 * written per engine.
 */
export function queueHeadsQuery(now: number, fullProviders: readonly string[], fullBoards: readonly string[], engine: Engine = 'libsql') {
  const notIn = (xs: readonly string[]) => (xs.length ? sql.join(xs.map((x) => sql`${x}`)) : sql`''`);
  const rowid = sql.raw(engine === 'postgres' ? 'ctid' : 'rowid');
  return sql<{ created_by: string; provider: string; id: string; board_id: string; head_at: number }>`
    with recursive g(rid) as (
      select (select ${rowid} from jobs where status = 'queued' order by created_by, provider limit 1)
      union all
      select coalesce(
        (select j.${rowid} from jobs j where j.status = 'queued' and j.created_by = c.created_by and j.provider > c.provider order by j.provider limit 1),
        (select j.${rowid} from jobs j where j.status = 'queued' and j.created_by > c.created_by order by j.created_by, j.provider limit 1))
      from g join jobs c on c.${rowid} = g.rid
    ), pairs as (select c.created_by, c.provider from g join jobs c on c.${rowid} = g.rid)
    select p.created_by, p.provider, h.id, h.board_id, h.created_at as head_at
    from pairs p join jobs h on h.${rowid} = (
      select j.${rowid} from jobs j
      where j.status = 'queued' and j.created_by = p.created_by and j.provider = p.provider and j.next_attempt_at <= ${now}
        and j.board_id not in (${notIn(fullBoards)})
      order by j.created_at limit 1)
    where p.provider not in (${notIn(fullProviders)})`;
}

/**
 * Claims one job if it is still claimable: a conditional UPDATE, so of two workers (in one
 * process or on several instances) exactly one gets it. On PostgreSQL the row is locked with
 * FOR UPDATE SKIP LOCKED first: a worker that finds it held by another's claim moves on to the
 * next head at once instead of waiting for that transaction to end.
 */
async function take(db: Kysely<Database>, id: string, owner: string, now: number, leaseMs: number, from: 'queued' | 'running') {
  const claimable = (eb: ExpressionBuilder<Database, 'jobs'>) =>
    eb.and([eb('id', '=', id), eb('status', '=', from), from === 'running' ? eb('lease_expires_at', '<', now) : eb('next_attempt_at', '<=', now)]);
  const row = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      lease_owner: owner,
      lease_expires_at: now + leaseMs,
      started_at: eb.fn.coalesce('started_at', eb.val(now)),
      updated_at: now,
    }))
    .where((eb) =>
      engineOf(db) === 'postgres' ? eb('id', '=', eb.selectFrom('jobs').select('id').where(claimable).forUpdate().skipLocked()) : claimable(eb),
    )
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Extends a lease we still hold; false when another worker took the job over. */
export async function renewLease(db: Kysely<Database>, id: string, owner: string, until: number): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ lease_expires_at: until })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Updates a job only while this worker holds it. */
export async function updateHeld(db: Kysely<Database>, id: string, owner: string, patch: Partial<JobsTable>): Promise<boolean> {
  const res = await db.updateTable('jobs').set(patch).where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'running').executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/**
 * Render times in seconds (started → finished), newest first, of the last `limit` jobs of one
 * provider and model that finished on this instance: what queue estimates are measured from.
 * Served by the jobs_recent_finished index, so it is a seek however long the history grows.
 */
export async function recentRenderSeconds(db: Kysely<Database>, provider: string, model: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['started_at', 'finished_at'])
    .where('provider', '=', provider)
    .where('model', '=', model)
    .where('status', '=', 'succeeded')
    .where('finished_at', 'is not', null)
    .where('started_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => (r.finished_at! - r.started_at!) / 1000);
}

/**
 * The place (1 = next) of each of the board's queued jobs in the instance's whole queue, oldest
 * first (ties by id), by job id. A chain batch's take still waiting for its upstream take has no
 * place and is ahead of no one (it is not in line until that take finishes). One statement per
 * board: the board's queued jobs are a seek in jobs_board_status, and each one's place is a count
 * over a range of jobs_queue_place (the jobs queued before it, waiting ones skipped, read from the
 * index alone), so no other board's rows are read.
 */
export async function boardQueuePositions(db: Kysely<Database>, boardId: string): Promise<Map<string, number>> {
  const res = await boardQueuePositionsQuery(boardId).execute(db);
  return new Map(res.rows.map((r) => [r.id, Number(r.pos)]));
}

/** The statement of `boardQueuePositions`, exported so a test can read its plan. */
export function boardQueuePositionsQuery(boardId: string) {
  return sql<{ id: string; pos: number }>`
    select j.id, (
      select count(*) from jobs q
      where q.status = 'queued' and (q.created_at, q.id) <= (j.created_at, j.id) and q.next_attempt_at < ${WAITING_AT}
    ) as pos
    from jobs j
    where j.board_id = ${boardId} and j.status = 'queued' and j.next_attempt_at < ${WAITING_AT}`;
}

/**
 * Each queued job's place (1 = next) among the queued jobs of its own provider, instance-wide
 * (a chain batch's take waiting for its upstream take is not in line yet), and how many jobs of each provider are running now.
 */
export async function providerQueue(db: Kysely<Database>): Promise<{ positions: Map<string, number>; running: Map<string, number> }> {
  // One statement, so one snapshot: a job claimed between two reads counted as both queued and running.
  const { rows } = await sql<{ id: string; provider: string; status: string; pos: number }>`
    select id, provider, status, row_number() over (partition by provider, status order by created_at, id) as pos
    from jobs where (status = 'queued' and next_attempt_at <> ${WAITING_AT}) or status = 'running'`.execute(db);
  const positions = new Map<string, number>();
  const running = new Map<string, number>();
  for (const r of rows) {
    if (r.status === 'queued') positions.set(r.id, Number(r.pos));
    else running.set(r.provider, (running.get(r.provider) ?? 0) + 1);
  }
  return { positions, running };
}

/**
 * Every job of a board with what the ledger charged for it (null when nothing was) and the name
 * of whoever queued it, oldest first: the rows of the cost report and of the ledger CSV.
 */
export function costRows(db: Kysely<Database>, boardId: string) {
  return db
    .selectFrom('jobs')
    .leftJoin('cost_ledger', 'cost_ledger.job_id', 'jobs.id')
    .leftJoin('users', 'users.id', 'jobs.created_by')
    .select([
      'jobs.id',
      'jobs.shot_id',
      'jobs.take_id',
      'jobs.created_by',
      'users.name as created_by_name',
      'jobs.provider',
      'jobs.model',
      'jobs.status',
      'jobs.estimate_micro_usd',
      'jobs.resolved',
      'jobs.created_at',
      'jobs.finished_at',
      'cost_ledger.amount_micro_usd as charged_micro_usd',
    ])
    .where('jobs.board_id', '=', boardId)
    .orderBy('jobs.created_at')
    .orderBy('jobs.id')
    .execute();
}

export type CostRow = Awaited<ReturnType<typeof costRows>>[number];
