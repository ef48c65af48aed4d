import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openLibsql, type LibsqlDb } from '../../server/db/open.js';
import { boardQueuePositions, boardQueuePositionsQuery } from '../../server/generation/jobs.queries.js';
import type { JobStatus } from '../../server/db/schema.js';
import { WAITING_AT } from '../../server/generation/pending-tail.js';
import { seedCostJobs } from '../helpers/cost-jobs.js';

// A real migrated libSQL file holding three boards' jobs, queued ones interleaved in time.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-queue-position-'));
let database: LibsqlDb;
const boards = ['board-a', 'board-b', 'board-c'];
const queued: { id: string; board: string; at: number }[] = [];

beforeAll(async () => {
  database = await openLibsql(`file:${path.join(dir, 'takeboard.db')}`);
  await migrateToLatest(database.db);
  const now = Date.now();
  await database.db.insertInto('users').values({ id: 'u1', email: 'u1@example.test', name: 'Producer', city: null, password_hash: 'x', created_at: now }).execute();
  await database.db.insertInto('boards').values(boards.map((id) => ({ id, title: id, created_by: 'u1', created_at: now, updated_at: now }))).execute();
  // 60 jobs round-robin over the boards; every fourth shares its millisecond with the one before
  // (ties are broken by id); one in three is not queued and must not count. Queued ones at every
  // fifth are chain-batch takes waiting for their upstream take (WAITING_AT): no place, ahead of no
  // one; every seventh waits to be retried later: still in line.
  const statuses: JobStatus[] = ['queued', 'queued', 'running', 'queued', 'succeeded', 'queued'];
  for (let i = 0; i < 60; i++) {
    const board = boards[i % 3]!;
    const at = 1_000_000 + (i % 4 === 3 ? i - 1 : i) * 10;
    const status = statuses[i % statuses.length]!;
    const [id] = await seedCostJobs(database.db, board, [{ shotId: `shot-${i}`, by: 'u1', status, estimateMicroUsd: 0, at }]);
    const waiting = status === 'queued' && i % 5 === 0;
    const retryLater = status === 'queued' && i % 7 === 0;
    if (waiting || retryLater) await database.db.updateTable('jobs').set({ next_attempt_at: waiting ? WAITING_AT : at + 3_600_000 }).where('id', '=', id!).execute();
    if (status === 'queued' && !waiting) queued.push({ id: id!, board, at });
  }
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('queue position on a board’s jobs list', () => {
  it('is each queued job’s place in the whole instance’s queue, oldest first, ties by id; chain-batch takes still waiting have none and are ahead of no one', async () => {
    const order = [...queued].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    for (const board of boards) {
      const expected = new Map(order.flatMap((j, i) => (j.board === board ? [[j.id, i + 1] as const] : [])));
      expect(expected.size).toBeGreaterThan(0);
      expect(await boardQueuePositions(database.db, board)).toEqual(expected);
    }
    expect(await boardQueuePositions(database.db, 'no-such-board')).toEqual(new Map());
  });

  it('is one indexed statement: the board’s queued jobs by index, each place counted from an index alone', async () => {
    const { sql, parameters } = boardQueuePositionsQuery('board-a').compile(database.db);
    const plan = (await database.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: parameters as never })).rows.map((r) => String(r.detail));
    // No full scan of the jobs table, and no sort: a seek for the board, a covering range per job.
    expect(plan.filter((line) => /^SCAN\b/.test(line))).toEqual([]);
    expect(plan.some((line) => /^SEARCH j USING INDEX jobs_board_status \(board_id=\? AND status=\?\)/.test(line))).toBe(true);
    expect(plan.some((line) => /^SEARCH q USING COVERING INDEX jobs_queue_place \(status=\? AND created_at</.test(line))).toBe(true);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
  });
});
