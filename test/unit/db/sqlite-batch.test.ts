import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterAll, expect, it } from 'vitest';
import { batchRunner, isBusy } from '../../../server/db/sqlite-batch.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-batch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('a statement refused while another connection wrote does not make later batches fail: they commit, it left nothing', () => {
  const file = path.join(dir, 'a.db');
  const other = new Database(file);
  other.exec('PRAGMA journal_mode = WAL');
  other.exec('CREATE TABLE t (x TEXT NOT NULL)');
  const runner = batchRunner(`file:${file}`, ['PRAGMA busy_timeout = 0']);
  const insert = (x: string | null, tag = '') => ({ sql: `INSERT INTO t (x) VALUES (?)${tag}`, args: [x] });

  other.exec('BEGIN IMMEDIATE');
  let refused: unknown = null;
  try {
    runner.run([insert('refused')]);
  } catch (err) {
    refused = err;
  }
  expect(isBusy(refused)).toBe(true);
  other.exec('COMMIT');
  // Other statements than the refused one, in a transaction: the driver would have left the
  // refused statement "in progress", and SQLite refuses a COMMIT while one is.
  runner.run([insert('a', ' -- first'), insert('b', ' -- second')]);
  // A constraint failure inside a batch rolls the whole batch back.
  expect(() => runner.run([insert('not kept', ' -- first'), insert(null)])).toThrow(/NOT NULL/);
  runner.run([insert('c')]);
  expect(other.prepare('SELECT x FROM t ORDER BY rowid').all().map((r) => (r as { x: string }).x)).toEqual(['a', 'b', 'c']);
  runner.close();
  other.close();
});
