/**
 * Jobs with charges written straight into the jobs table and the cost ledger, as the worker
 * would have left them (their takes counted as written): what the cost report and the ledger
 * read, without rendering anything.
 */
import type { Kysely } from 'kysely';
import type { Database, JobStatus } from '../../server/db/schema.js';

export interface CostJob {
  shotId: string;
  by: string;
  provider?: string;
  model?: string;
  status: JobStatus;
  estimateMicroUsd: number;
  /** What the ledger charged (micro-dollars, as the estimate); omit for jobs never charged (open, failed, canceled). */
  chargedMicroUsd?: number;
  /** References the job sent, and whether each was locked then. */
  references?: { referenceId: string; locked: boolean }[];
  at: number;
}

let n = 0;

export async function seedCostJobs(db: Kysely<Database>, boardId: string, jobs: readonly CostJob[]): Promise<string[]> {
  const ids: string[] = [];
  for (const j of jobs) {
    const id = `job_seed_${++n}_${Math.random().toString(36).slice(2, 8)}`;
    ids.push(id);
    await db
      .insertInto('jobs')
      .values({
        id, board_id: boardId, shot_id: j.shotId, take_id: `take_${id}`, created_by: j.by,
        model: j.model ?? 'fal:veo3', provider: j.provider ?? 'fal', status: j.status, phase: null,
        request: '{}', resolved: JSON.stringify({ references: j.references ?? [] }), result: null,
        estimate_micro_usd: j.estimateMicroUsd, cost_micro_usd: j.chargedMicroUsd ?? null, seed: null, idempotency_key: null,
        attempts: 1, max_attempts: 3, next_attempt_at: j.at, lease_owner: null, lease_expires_at: null,
        provider_job_id: null, cancel_requested: 0, error: null, created_at: j.at, started_at: j.at,
        finished_at: j.status === 'succeeded' || j.status === 'failed' ? j.at + 1000 : null, updated_at: j.at,
        doc_status: j.status, // as if the take mirror had written it: the sweep leaves these alone
      })
      .execute();
    if (j.chargedMicroUsd !== undefined) {
      await db.insertInto('cost_ledger').values({ job_id: id, board_id: boardId, shot_id: j.shotId, amount_micro_usd: j.chargedMicroUsd, created_at: j.at + 1000 }).execute();
    }
  }
  return ids;
}
