import type { Kysely } from 'kysely';
import type { Database, JobsTable } from '../../server/db/schema.js';
import { newId } from '../../server/lib/ids.js';
import type { Rng } from '../lib/stats.js';

export const MEMBERS = 8;
export const BOARDS = 5;
const PROVIDERS = [
  { provider: 'animatic', model: 'animatic' },
  { provider: 'fal', model: 'fal-seedance-lite' },
];

/** Users and boards the jobs belong to (the jobs table references boards). */
export async function addPeople(db: Kysely<Database>, now: number) {
  const users = Array.from({ length: MEMBERS }, (_, i) => ({ id: `bench-user-${i}`, email: `bench-${i}@example.test`, name: `Member ${i}`, city: null, password_hash: 'x', created_at: now }));
  const boards = Array.from({ length: BOARDS }, (_, i) => ({ id: `bench-board-${i}`, title: `Board ${i}`, created_by: users[0]!.id, created_at: now, updated_at: now }));
  await db.insertInto('users').values(users).execute();
  await db.insertInto('boards').values(boards).execute();
  return { users: users.map((u) => u.id), boards: boards.map((b) => b.id) };
}

/**
 * A job row as `enqueueGeneration` inserts it: status 'queued', next_attempt_at = created_at,
 * a take id, request/resolved JSON of the usual size. One member in two is the busy one (half the
 * queue is theirs, as when one person queues a batch); 1 job in 20 is waiting out a retry backoff.
 */
export function queuedJob(r: Rng, createdAt: number, now: number): JobsTable {
  const busy = r.next() < 0.5;
  const member = busy ? 0 : 1 + r.int(MEMBERS - 1);
  const p = PROVIDERS[r.next() < 0.8 ? 0 : 1]!;
  const retrying = r.next() < 0.05;
  const shotId = newId();
  return {
    id: newId(),
    board_id: `bench-board-${r.int(BOARDS)}`,
    shot_id: shotId,
    take_id: newId(),
    created_by: `bench-user-${member}`,
    model: p.model,
    provider: p.provider,
    status: 'queued',
    phase: null,
    request: JSON.stringify({ mode: 'text', prompt: `A slow push-in on the lighthouse ${r.letters(40)}`, durationSec: 4, aspectRatio: '16:9', seed: r.int(2 ** 31) }),
    resolved: JSON.stringify({ shotId, mode: 'text', references: [], chain: null }),
    result: null,
    estimate_micro_usd: p.provider === 'animatic' ? 0 : 400_000,
    cost_micro_usd: null,
    seed: r.int(2 ** 31),
    idempotency_key: null,
    attempts: retrying ? 1 : 0,
    max_attempts: 5,
    next_attempt_at: retrying ? now + 3_600_000 : createdAt,
    lease_owner: null,
    lease_expires_at: null,
    provider_job_id: null,
    cancel_requested: 0,
    error: retrying ? 'provider answered 429; retrying' : null,
    created_at: createdAt,
    started_at: null,
    finished_at: null,
    updated_at: createdAt,
    doc_status: 'queued',
  };
}

/** Inserts rows in chunks (SQLite caps bound parameters per statement). */
export async function insertJobs(db: Kysely<Database>, rows: JobsTable[]) {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('jobs').values(rows.slice(i, i + 500)).execute();
}
