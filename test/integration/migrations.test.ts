import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { migrateToLatest, MigrationError } from '../../server/db/migrate.js';
import { openLibsql, type Db } from '../../server/db/open.js';

const opened: Db[] = [];
const dirs: string[] = [];
async function freshDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-mig-'));
  dirs.push(dir);
  const db = await openLibsql(`file:${path.join(dir, 'db.sqlite')}`);
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
      .values({ id: `u${String(i).padStart(3, '0')}`, email: `u${i}@example.test`, name: `User ${i}`, city: null, password_hash: 'x', created_at: now })
      .execute();
  }
  await migrateToLatest(db);
  const ids = (await db.selectFrom('users').select('id').orderBy('id').execute()).map((r) => r.id);
  expect(ids).toEqual(names.map((_, i) => `u${String(i).padStart(3, '0')}`));
});

it('the commenter migration keeps every member and invite, allows commenter, and still refuses unknown roles', async () => {
  const { db, client } = await freshDb();
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const names = Object.keys(migrations);
  const before = names[names.indexOf('2026_12_07_010000_commenter_role') - 1]!;
  expect((await migrator.migrateTo(before)).error).toBeUndefined();
  const now = Date.now();
  await db.insertInto('users').values(['u1', 'u2'].map((id) => ({ id, email: `${id}@example.test`, name: id, city: null, password_hash: 'x', created_at: now }))).execute();
  await db.insertInto('boards').values({ id: 'b1', title: 'Board', created_by: 'u1', created_at: now, updated_at: now }).execute();
  await db.insertInto('board_members').values([{ board_id: 'b1', user_id: 'u1', role: 'owner', created_at: now }, { board_id: 'b1', user_id: 'u2', role: 'viewer', created_at: now }]).execute();
  await db.insertInto('invites').values({ id: 'i1', token_hash: 'h1', board_id: 'b1', role: 'editor', created_by: 'u1', created_at: now, expires_at: now + 1, revoked_at: null }).execute();
  await expect(client.execute("update board_members set role = 'commenter' where user_id = 'u2'")).rejects.toThrow(/CHECK/);

  await migrateToLatest(db);
  expect(await db.selectFrom('board_members').select(['user_id', 'role']).orderBy('user_id').execute()).toEqual([{ user_id: 'u1', role: 'owner' }, { user_id: 'u2', role: 'viewer' }]);
  expect(await db.selectFrom('invites').select(['id', 'role']).execute()).toEqual([{ id: 'i1', role: 'editor' }]);
  await client.execute("update board_members set role = 'commenter' where user_id = 'u2'");
  await client.execute("insert into invites (id, token_hash, board_id, role, created_by, created_at, expires_at) values ('i2', 'h2', 'b1', 'commenter', 'u1', 0, 1)");
  await expect(client.execute("update board_members set role = 'admin' where user_id = 'u2'")).rejects.toThrow(/CHECK/);
  await expect(client.execute("update invites set role = 'owner' where id = 'i2'")).rejects.toThrow(/CHECK/);
  // Deleting the board still takes its members and invites with it.
  await client.execute("delete from boards where id = 'b1'");
  expect((await client.execute('select count(*) as n from board_members')).rows[0]![0]).toBe(0);
  expect((await client.execute('select count(*) as n from invites')).rows[0]![0]).toBe(0);
});

it('stops with a clear message naming the migration that failed', async () => {
  const { db, client } = await freshDb();
  await client.execute('create table users (id text)'); // collides with the first migration
  await expect(migrateToLatest(db)).rejects.toThrow(MigrationError);
  await expect(migrateToLatest(db)).rejects.toThrow(/2026_11_24_090000_foundation.*"users" already exists/);
});
