/** Statements of chain batches: the takes waiting for an upstream take, and moving one on. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { WAITING_AT } from './pending-tail.js';

/** Queued jobs that wait for an upstream take of their chain batch: of one board, or of all (the sweep after a restart). */
export function waitingJobs(db: Kysely<Database>, boardId?: string) {
  let q = db.selectFrom('jobs').select(['id', 'board_id', 'shot_id', 'take_id', 'request', 'resolved']).where('status', '=', 'queued').where('next_attempt_at', '=', WAITING_AT);
  if (boardId !== undefined) q = q.where('board_id', '=', boardId);
  return q.execute();
}

/** Status of the jobs named (the upstream takes waiting jobs continue). */
export function jobStatuses(db: Kysely<Database>, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('jobs').select(['id', 'board_id', 'status']).where('id', 'in', ids).execute();
}

/** Makes a waiting job due now with its tail filled in; false when it no longer waits (canceled meanwhile). */
export async function startWaiting(db: Kysely<Database>, jobId: string, request: string, resolved: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ request, resolved, next_attempt_at: now, updated_at: now })
    .where('id', '=', jobId)
    .where('status', '=', 'queued')
    .where('next_attempt_at', '=', WAITING_AT)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Ends a waiting job whose upstream take will never come, with the reason; false when it no longer waits. */
export async function dropWaiting(db: Kysely<Database>, jobId: string, why: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ status: 'canceled', error: why, cancel_requested: 1, finished_at: now, updated_at: now })
    .where('id', '=', jobId)
    .where('status', '=', 'queued')
    .where('next_attempt_at', '=', WAITING_AT)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
