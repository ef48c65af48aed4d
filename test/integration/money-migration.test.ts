/**
 * Stored float dollars become integer micro-dollars when the server upgrades: the jobs, the
 * cost ledger and every stored board document (budget and take costs), each value rounded once
 * so float noise (0.1 + 0.2, 0.3024 * 5) never reaches a sum.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import * as Y from 'yjs';
import { afterEach, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openLibsql, type Db } from '../../server/db/open.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import { getMeta, getShot, getTake, listTakes, roots, setMeta, validateDocument } from '../../shared/doc/index.js';
import { oldShot, oldTake } from '../helpers/old-layout.js';

const MONEY_MIGRATION = '2026_12_07_050000_money_micro_usd';
const opened: Db[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A database left by the migrations before money became exact. */
async function databaseBeforeMoney() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-money-'));
  dirs.push(dir);
  const database = await openLibsql(`file:${path.join(dir, 'db.sqlite')}`);
  opened.push(database);
  const names = Object.keys(migrations);
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
  expect((await migrator.migrateTo(names[names.indexOf(MONEY_MIGRATION) - 1]!)).error).toBeUndefined();
  return database;
}

// What the old code stored: sums and products of float dollars, with their noise.
const POINT_THREE = 0.1 + 0.2; // 0.30000000000000004
const SEEDANCE_5S = 0.3024 * 5; // 1.5119999999999998
const POINT_EIGHT = 0.7 + 0.1; // 0.7999999999999999: times a million, just under 800000 (truncating would lose a micro-dollar)

it('converts job estimates, charges and ledger amounts to integer micro-dollars without drift', async () => {
  const { db, client } = await databaseBeforeMoney();
  const now = Date.now();
  await db.insertInto('users').values({ id: 'u1', email: 'u1@example.test', name: 'Ana', city: null, password_hash: 'x', created_at: now }).execute();
  await db.insertInto('boards').values({ id: 'b1', title: 'Harbour', created_by: 'u1', created_at: now, updated_at: now }).execute();
  const job = (id: string, estimate: number, cost: number | null, status: string) =>
    sql`INSERT INTO jobs (id, board_id, shot_id, take_id, created_by, model, provider, status, request, resolved, estimate_usd, cost_usd, max_attempts, next_attempt_at, created_at, updated_at)
        VALUES (${id}, 'b1', 's1', ${`t_${id}`}, 'u1', 'fal:seedance-2.0', 'fal', ${status}, '{}', '{}', ${estimate}, ${cost}, 3, ${now}, ${now}, ${now})`.execute(db);
  await job('j1', SEEDANCE_5S, SEEDANCE_5S, 'succeeded');
  await job('j2', POINT_THREE, null, 'queued');
  await job('j3', 0.1, 0.1, 'succeeded');
  await job('j4', 0.2, 0.2, 'succeeded');
  await job('j5', POINT_EIGHT, POINT_EIGHT, 'succeeded');
  for (const [id, amount] of [['j1', SEEDANCE_5S], ['j3', 0.1], ['j4', 0.2], ['j5', POINT_EIGHT]] as const) {
    await sql`INSERT INTO cost_ledger (job_id, board_id, shot_id, amount_usd, created_at) VALUES (${id}, 'b1', 's1', ${amount}, ${now})`.execute(db);
  }
  // The float sum the old cost report had to round away.
  expect((await client.execute("SELECT sum(amount_usd) AS n FROM cost_ledger WHERE job_id IN ('j3', 'j4')")).rows[0]!.n).not.toBe(0.3);

  await migrateToLatest(db);

  const jobs = await client.execute('SELECT id, estimate_micro_usd, typeof(estimate_micro_usd) AS te, cost_micro_usd, typeof(cost_micro_usd) AS tc FROM jobs ORDER BY id');
  expect(jobs.rows.map((r) => ({ ...r }))).toEqual([
    { id: 'j1', estimate_micro_usd: 1_512_000, te: 'integer', cost_micro_usd: 1_512_000, tc: 'integer' },
    { id: 'j2', estimate_micro_usd: 300_000, te: 'integer', cost_micro_usd: null, tc: 'null' },
    { id: 'j3', estimate_micro_usd: 100_000, te: 'integer', cost_micro_usd: 100_000, tc: 'integer' },
    { id: 'j4', estimate_micro_usd: 200_000, te: 'integer', cost_micro_usd: 200_000, tc: 'integer' },
    { id: 'j5', estimate_micro_usd: 800_000, te: 'integer', cost_micro_usd: 800_000, tc: 'integer' },
  ]);
  const ledger = await client.execute('SELECT job_id, amount_micro_usd, typeof(amount_micro_usd) AS t FROM cost_ledger ORDER BY job_id');
  expect(ledger.rows.map((r) => [r.job_id, r.amount_micro_usd, r.t])).toEqual([['j1', 1_512_000, 'integer'], ['j3', 100_000, 'integer'], ['j4', 200_000, 'integer'], ['j5', 800_000, 'integer']]);
  expect((await client.execute('SELECT sum(amount_micro_usd) AS n FROM cost_ledger')).rows[0]!.n).toBe(2_612_000);
  // The float columns are gone, and the new ones are declared integer.
  const cols = async (table: string) => (await client.execute(`SELECT name, type FROM pragma_table_info('${table}')`)).rows.map((r) => `${r.name} ${r.type}`);
  expect(await cols('jobs')).toEqual(expect.arrayContaining(['estimate_micro_usd INTEGER', 'cost_micro_usd INTEGER']));
  expect((await cols('jobs')).join()).not.toMatch(/estimate_usd|cost_usd/);
  expect(await cols('cost_ledger')).toContain('amount_micro_usd INTEGER');
  expect((await cols('cost_ledger')).join()).not.toMatch(/amount_usd/);
});

it('converts stored boards (snapshot and log) to micro-dollar keys without losing anything else', async () => {
  const { db } = await databaseBeforeMoney();
  const now = Date.now();
  // A board as the old code left it (the layout of then): the budget in the snapshot, a take
  // written later in the log.
  const doc = new Y.Doc();
  const shotId = 'shot_1';
  doc.transact(() => {
    setMeta(doc, { title: 'Harbour', aspectRatio: '9:16' });
    roots(doc).shots.set(shotId, oldShot(shotId, { rank: 'a0' }, {}, {}));
    roots(doc).meta.set('budgetUsd', POINT_EIGHT);
  });
  const snapshot = Y.encodeStateAsUpdate(doc);
  const before = Y.encodeStateVector(doc);
  const takes = (roots(doc).shots.get(shotId) as Y.Map<unknown>).get('takes') as Y.Map<Y.Map<unknown>>;
  takes.set('take_1', oldTake('take_1', { jobId: 'job_1', status: 'succeeded', model: 'fal:seedance-2.0', durationSec: 5, createdBy: 'u1', createdAt: '2026-12-01T10:00:00.000Z', clip: 'asset_clip', costUsd: SEEDANCE_5S }));
  const logEntry = Y.encodeStateAsUpdate(doc, before);
  const inserted = await db.insertInto('doc_updates').values({ board_id: 'b1', data: logEntry, created_at: now }).returning('seq').executeTakeFirstOrThrow();
  await db.insertInto('doc_snapshots').values({ board_id: 'b1', data: snapshot, upto_seq: inserted.seq - 1, updated_at: now }).execute();
  // A board with no money at all is left untouched by this migration.
  const plain = new Y.Doc();
  plain.getMap('shots').set('shot_plain', oldShot('shot_plain', { rank: 'a0' }, {}, {}));
  await db.insertInto('doc_updates').values({ board_id: 'b2', data: Y.encodeStateAsUpdate(plain), created_at: now }).execute();

  await migrateToLatest(db);

  const storage = createLibsqlStorage(db, { now: () => Date.now() });
  const loaded = new Y.Doc();
  for (const part of (await storage.load('b1')).parts) Y.applyUpdate(loaded, part);
  expect(getMeta(loaded)).toMatchObject({ title: 'Harbour', aspectRatio: '9:16', budgetMicroUsd: 800_000 });
  expect(roots(loaded).meta.has('budgetUsd')).toBe(false);
  expect(getTake(loaded, shotId, 'take_1')).toMatchObject({ costMicroUsd: 1_512_000, status: 'succeeded', durationSec: 5, clip: 'asset_clip' });
  expect(listTakes(loaded, shotId)).toHaveLength(1);
  expect(getShot(loaded, shotId)?.title).toBe('Title of shot_1');
  expect(validateDocument(loaded)).toEqual([]);
  // Appended as one more log entry (and one more for the lighter layout, 2026_12_07_090000, on
  // both boards): the snapshot and the earlier entry are as they were.
  expect(await db.selectFrom('doc_snapshots').select('data').where('board_id', '=', 'b1').executeTakeFirstOrThrow()).toEqual({ data: snapshot });
  expect((await storage.load('b1')).logCount).toBe(3);
  expect((await storage.load('b2')).logCount).toBe(2);
});
