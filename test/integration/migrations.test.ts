import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { migrateToLatest, MigrationError } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';

const opened: Db[] = [];
const dirs: string[] = [];
async function freshDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-mig-'));
  dirs.push(dir);
  const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  opened.push(db);
  return db;
}
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

it('migrates an empty database to the latest schema, in WAL mode with synchronous=FULL', async () => {
  const { db, client } = await freshDb();
  const results = await migrateToLatest(db);
  expect(results.map((r) => r.migrationName)).toEqual(Object.keys(migrations));
  const tables = (await client.execute("select name from sqlite_master where type='table'")).rows.map((r) => r.name);
  for (const t of ['users', 'sessions', 'boards', 'board_members', 'invites']) expect(tables).toContain(t);
  expect((await client.execute('PRAGMA journal_mode')).rows[0]![0]).toBe('wal');
  expect((await client.execute('PRAGMA synchronous')).rows[0]![0]).toBe(2);
  // running again is a no-op
  expect(await migrateToLatest(db)).toEqual([]);
});

it('upgrades, one migration at a time, a database left by each earlier set without losing its rows', async () => {
  const { db } = await freshDb();
  const names = Object.keys(migrations);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const now = Date.now();
  for (const [i, name] of names.entries()) {
    const { error } = await migrator.migrateTo(name);
    expect(error).toBeUndefined();
    await db
      .insertInto('users')
      .values({ id: `u${i}`, email: `u${i}@example.test`, name: `User ${i}`, city: null, password_hash: 'x', created_at: now })
      .execute();
  }
  await migrateToLatest(db);
  const ids = (await db.selectFrom('users').select('id').orderBy('id').execute()).map((r) => r.id);
  expect(ids).toEqual(names.map((_, i) => `u${i}`));
});

it('stops with a clear message naming the migration that failed', async () => {
  const { db, client } = await freshDb();
  await client.execute('create table users (id text)'); // collides with the first migration
  await expect(migrateToLatest(db)).rejects.toThrow(MigrationError);
  await expect(migrateToLatest(db)).rejects.toThrow(/2026_11_24_090000_foundation.*"users" already exists/);
});
