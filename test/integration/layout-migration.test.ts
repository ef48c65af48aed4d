/**
 * Stored boards move to the lighter layout when the server upgrades (2026_12_07_090000): every
 * board, snapshot and log, converted with every value kept and the change appended as one log
 * entry; boards already in the new layout and a second run write nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import * as Y from 'yjs';
import { afterEach, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { up as convertBoards } from '../../migrations/2026_12_07_090000_lighter_board_layout.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import { addShot, getShot, getTake, listComments, listTakes, validateDocument } from '../../shared/doc/index.js';
import { OLD, OLD_TAKE_1, OLD_TAKE_2, oldTake, writeOldLayoutBoard } from '../helpers/old-layout.js';

const LAYOUT_MIGRATION = '2026_12_07_090000_lighter_board_layout';
const opened: Db[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function databaseBeforeLayout() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-layout-'));
  dirs.push(dir);
  const database = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  opened.push(database);
  const names = Object.keys(migrations);
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
  expect((await migrator.migrateTo(names[names.indexOf(LAYOUT_MIGRATION) - 1]!)).error).toBeUndefined();
  return database;
}

it('converts every stored board (snapshot and log) without losing a value, once', async () => {
  const { db } = await databaseBeforeLayout();
  const now = Date.now();
  // The old board in the snapshot, then a log entry made after it: a third take, in the old layout.
  const doc = new Y.Doc();
  writeOldLayoutBoard(doc);
  const snapshot = Y.encodeStateAsUpdate(doc);
  const before = Y.encodeStateVector(doc);
  const third = { ...OLD_TAKE_2, jobId: 'job_3', number: 3, createdAt: '2026-12-01T13:00:00.000Z' };
  ((doc.getMap('shots').get(OLD.shotB) as Y.Map<unknown>).get('takes') as Y.Map<unknown>).set('take_3', oldTake('take_3', third));
  const inserted = await db.insertInto('doc_updates').values({ board_id: 'b1', data: Y.encodeStateAsUpdate(doc, before), created_at: now }).returning('seq').executeTakeFirstOrThrow();
  await db.insertInto('doc_snapshots').values({ board_id: 'b1', data: snapshot, upto_seq: inserted.seq - 1, updated_at: now }).execute();
  // A board already in the new layout: left alone.
  const fresh = new Y.Doc();
  addShot(fresh, { title: 'New' });
  await db.insertInto('doc_updates').values({ board_id: 'b2', data: Y.encodeStateAsUpdate(fresh), created_at: now }).execute();

  await migrateToLatest(db);

  const storage = createLibsqlStorage(db, { now: () => Date.now() });
  const loaded = new Y.Doc();
  for (const part of (await storage.load('b1')).parts) Y.applyUpdate(loaded, part);
  expect(validateDocument(loaded)).toEqual([]);
  expect(getTake(loaded, OLD.shotA, OLD.take1)).toEqual({ id: OLD.take1, ...OLD_TAKE_1 });
  expect(getTake(loaded, OLD.shotA, OLD.take2)).toEqual({ id: OLD.take2, ...OLD_TAKE_2 });
  expect(listTakes(loaded, OLD.shotB)).toEqual([{ id: 'take_3', ...third }]);
  expect(getShot(loaded, OLD.shotA)).toMatchObject({ selectedTake: OLD.take1, refs: { [OLD.ref]: OLD.version }, title: 'Title of shot_a' });
  expect(getShot(loaded, OLD.shotB)?.refs).toEqual({ [OLD.ref]: '' });
  expect(listComments(loaded).map((c) => [c.id, c.text, c.mentions])).toEqual([[OLD.comment, 'too dark', ['user_1']]]);
  // One more log entry; the snapshot and the earlier entry are as they were.
  expect(await db.selectFrom('doc_snapshots').select('data').where('board_id', '=', 'b1').executeTakeFirstOrThrow()).toEqual({ data: snapshot });
  expect((await storage.load('b1')).logCount).toBe(2);
  expect((await storage.load('b2')).logCount).toBe(1);

  // Run again (a retried upgrade): nothing left to convert, nothing appended.
  await convertBoards(db);
  expect((await storage.load('b1')).logCount).toBe(2);
});
