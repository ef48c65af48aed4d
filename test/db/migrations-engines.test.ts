/**
 * The one list of migrations runs on both engines: up to the latest schema, down to nothing and
 * up again, and the schema holds what the app stores (millisecond times past 2^31, bytes, the
 * role checks, increasing sequence numbers).
 */
import { Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';

describe.each(testEngines())('migrations on %s', (engine) => {
  const dbs = engineDatabases(engine);

  it('bring an empty database to the latest schema, back down to nothing and up again', async () => {
    const { db } = await dbs.open();
    expect((await migrateToLatest(db)).map((r) => r.migrationName)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(db)).toEqual([]);
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const down = await migrator.migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(down.results?.every((r) => r.status === 'Success')).toBe(true);
    expect((await migrateToLatest(db)).length).toBe(Object.keys(migrations).length);
  });

  it('stores what the app stores: times past 2^31 ms, bytes, integers as numbers, the role checks', async () => {
    const { db } = await dbs.open();
    await migrateToLatest(db);
    const now = Date.now();
    await db.insertInto('users').values({ id: 'u1', email: 'a@example.test', name: 'Ana', city: null, password_hash: 'x', created_at: now }).execute();
    await db.insertInto('boards').values({ id: 'b1', title: 'Harbour', created_by: 'u1', created_at: now, updated_at: now, archived_at: null }).execute();
    await db.insertInto('board_members').values({ board_id: 'b1', user_id: 'u1', role: 'commenter', created_at: now }).execute();
    await expect(db.insertInto('board_members').values({ board_id: 'b1', user_id: 'u1', role: 'admin' as never, created_at: now }).execute()).rejects.toThrow();
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await db.insertInto('doc_updates').values([{ board_id: 'b1', data: bytes, created_at: now }, { board_id: 'b1', data: bytes, created_at: now }]).execute();
    const rows = await db.selectFrom('doc_updates').select(['seq', 'data', 'created_at']).orderBy('seq').execute();
    expect(rows[0]!.created_at).toBe(now);
    expect(typeof rows[0]!.seq).toBe('number');
    expect(rows[1]!.seq).toBeGreaterThan(rows[0]!.seq);
    expect([...rows[0]!.data]).toEqual([...bytes]);
    const count = await db.selectFrom('doc_updates').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(2);
    const sum = await sql<{ s: number }>`select sum(created_at) as s from doc_updates`.execute(db);
    expect(sum.rows[0]!.s).toBe(2 * now);
  });
});
