import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../../server/db/open.js';
import type { PostgresDb } from '../../server/db/postgres.js';
import { runOnPostgres } from '../../server/db/postgres-batch.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { compactDoc } from '../../server/sync/documents.queries.js';
import { createLibsqlStorage, type LibsqlStorage, type SyncFsync } from '../../server/sync/libsql-storage.js';
import { createMemoryStorage } from '../../server/sync/memory-storage.js';
import { createPostgresStorage } from '../../server/sync/postgres-storage.js';
import type { DocStorage } from '../../server/sync/storage.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';
import { compactionOf, docFrom, recordEdits, storageContract } from './storage.contract.js';

const dbs: Db[] = [];
const storages: LibsqlStorage[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-storage-'));
afterAll(async () => {
  for (const s of storages) await s.close();
  for (const d of dbs) await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A migrated file database; `fsync` picks its board-document writer, none: through the shared client. */
async function libsql(fsync: SyncFsync | null, journal = false): Promise<LibsqlStorage> {
  const url = `file:${path.join(dir, `s${dbs.length}.db`)}`;
  const d = await openDatabase(url);
  dbs.push(d);
  await migrateToLatest(d.db);
  const s = createLibsqlStorage(d.db, systemClock, fsync ? { url, fsync, ...(journal ? { journal: { log: createLogger('silent') } } : {}) } : {});
  storages.push(s);
  return s;
}

/** A fresh PostgreSQL database per storage, on a server this file starts (when PostgreSQL is installed). */
const postgresDbs = testEngines().includes('postgres') ? engineDatabases('postgres') : null;
async function postgres(): Promise<DocStorage> {
  const d = await postgresDbs!.open();
  await migrateToLatest(d.db);
  return createPostgresStorage(d.db, systemClock);
}

const implementations: [string, () => Promise<DocStorage>][] = [
  ['memory', async () => createMemoryStorage()],
  ['libsql (event-loop writer, SYNC_FSYNC=checkpoint)', () => libsql('checkpoint')],
  ['libsql (journal folded by the event-loop writer, as a lone instance runs)', () => libsql('checkpoint', true)],
  ['libsql (writer thread, SYNC_FSYNC=commit)', () => libsql('commit')],
  ['libsql (shared client)', () => libsql(null)],
  ...(postgresDbs ? [['postgres', postgres] as [string, () => Promise<DocStorage>]] : []),
];

describe.each(implementations)('%s storage', (_name, make) => storageContract(make));

describe.each(['checkpoint', 'commit'] as const)('libsql file writer, SYNC_FSYNC=%s', (fsync) => {
  it('commits never copy the WAL into the database: the checkpointer thread does, beside them', async () => {
    const s = await libsql(fsync);
    const file = path.join(dir, `s${dbs.length - 1}.db`);
    await s.append([{ boardId: 'wal', update: new Uint8Array(10) }]);
    const before = fs.statSync(file).size;
    // 40 commits of 8 kB: far under the 1,000 pages past which SQLite would checkpoint on commit.
    for (let i = 0; i < 40; i++) await s.append([{ boardId: 'wal', update: new Uint8Array(8 * 1024).fill(i) }]);
    await waitFor(() => fs.statSync(file).size >= before + 40 * 8 * 1024, 'the checkpointer to copy the commits into the database file');
  });

  it('a writer that dies inside a compaction loses nothing and applies nothing twice; the next write starts a new one', async () => {
    const s = await libsql(fsync);
    const e = recordEdits(600);
    await s.append(e.updates.slice(0, 500).map((update) => ({ boardId: 'b', update })));
    const before = await s.load('b');
    // The compaction's statements all run (snapshot written, folded entries deleted); the writer ends before COMMIT.
    const crash = compactDoc((stmts) => s.writer!.crashDuring(stmts), 'b', compactionOf(before), Date.now());
    await expect(crash).rejects.toThrow(/writer stopped/);
    expect(await s.load('b')).toEqual(before);

    await s.append(e.updates.slice(500).map((update) => ({ boardId: 'b', update })));
    const mid = await s.load('b');
    expect(mid.logCount).toBe(600);
    expect((await s.compact('b', compactionOf(mid))).compacted).toBe(true);
    const after = await s.load('b');
    expect(after.logCount).toBe(0);
    expect(docFrom(after.parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
  });

  it.runIf(fsync === 'commit')('a dying writer thread fails every batch it held, and writes again afterwards', async () => {
    const s = await libsql(fsync);
    const e = recordEdits(10);
    const crash = s.writer!.crashDuring([{ sql: 'INSERT INTO doc_updates (board_id, data, created_at) VALUES (?, ?, ?)', args: ['c', e.updates[0]!, 0] }]);
    const queued = s.append([{ boardId: 'c', update: e.updates[1]! }]);
    await expect(crash).rejects.toThrow(/writer stopped/);
    await expect(queued).rejects.toThrow(/writer stopped/);
    expect((await s.load('c')).logCount).toBe(0);
    expect(await s.append(e.updates.map((update) => ({ boardId: 'c', update })))).toHaveLength(10);
    expect(docFrom((await s.load('c')).parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
  });

  it('refuses writes once closed', async () => {
    const s = await libsql(fsync);
    await s.append([{ boardId: 'd', update: recordEdits(1).updates[0]! }]);
    await s.close();
    await expect(s.append([{ boardId: 'd', update: recordEdits(1).updates[0]! }])).rejects.toThrow(/closed/);
  });
});

describe('libsql event-loop writer (SYNC_FSYNC=checkpoint)', () => {
  it('never waits for the write lock on the event loop: batches behind an open transaction commit once it ends, in order', async () => {
    const s = await libsql('checkpoint');
    const d = dbs.at(-1)!;
    const e = recordEdits(2);
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // The app's shared connection holds the write lock across awaits: it needs this very event
    // loop to finish, so a writer that waited for the lock here would wait for ever (or fail).
    const tx = d.db.transaction().execute(async (trx) => {
      await trx.insertInto('doc_updates').values({ board_id: 'other', data: new Uint8Array(1), created_at: 0 }).execute();
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isLocked;
    const first = s.append([{ boardId: 'lock', update: e.updates[0]! }]);
    const second = s.append([{ boardId: 'lock', update: e.updates[1]! }]);
    let done = 0;
    void first.then(() => (done += 1));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(0);
    release();
    await tx;
    const [[a], [b]] = await Promise.all([first, second]);
    expect(a).toBeLessThan(b!);
    const stored = await s.load('lock');
    expect(stored.parts).toEqual(e.updates);
    expect(docFrom(stored.parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
  });
});

describe.skipIf(!postgresDbs)('postgres storage shared by two instances', () => {
  it('loses no edit while two instances append to one board and compact it at once', async () => {
    const url = await postgresDbs!.url();
    const [a, b] = [await openDatabase(url), await openDatabase(url)];
    dbs.push(a, b);
    await migrateToLatest(a.db);
    const [sa, sb] = [createPostgresStorage(a.db, systemClock), createPostgresStorage(b.db, systemClock)];
    const e = recordEdits(400);
    const board = 'shared';
    let appending = true;
    const appendFrom = async (s: DocStorage, from: number) => {
      for (let i = from; i < e.updates.length; i += 2) await s.append([{ boardId: board, update: e.updates[i]! }]);
    };
    // Compactions from each instance's own view, as the hub makes them, while both append.
    const compactLoop = async (s: DocStorage) => {
      while (appending) {
        const stored = await s.load(board);
        if (stored.logCount > 0) await s.compact(board, compactionOf(stored));
      }
    };
    const compactions = [compactLoop(sa), compactLoop(sb)];
    await Promise.all([appendFrom(sa, 0), appendFrom(sb, 1)]);
    appending = false;
    await Promise.all(compactions);
    const stored = await sa.load(board);
    expect(docFrom(stored.parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
  }, 120_000);

  it('commits appends in seq order: a compaction never folds past an entry still being committed', async () => {
    const url = await postgresDbs!.url();
    const [a, b, held] = [await openDatabase(url), await openDatabase(url), await openDatabase(url)];
    dbs.push(a, b, held);
    await migrateToLatest(a.db);
    const sb = createPostgresStorage(b.db, systemClock);
    const e = recordEdits(3);
    const board = 'slow-commit';
    await sb.append([{ boardId: board, update: e.updates[0]! }]);
    // Instance A's append takes its seq and then stays open (it waits on a lock this test holds).
    const gate = await (held as PostgresDb).pool.connect();
    await gate.query('select pg_advisory_lock(4242)');
    const slow = runOnPostgres(a.db)([
      { sql: 'INSERT INTO doc_updates (board_id, data, created_at) VALUES (?, ?, ?) RETURNING seq', args: [board, e.updates[1]!, 0] },
      { sql: 'SELECT pg_advisory_xact_lock(4242)', args: [] },
    ]);
    const waiting = (key: number) => sql<{ n: number }>`select count(*) as n from pg_locks where locktype = 'advisory' and objid = ${key} and not granted`.execute(held.db);
    await waitFor(async () => (await waiting(4242)).rows[0]!.n === 1, 'instance A to hold its seq open');
    // Instance B appends a later seq and compacts what it can see, meanwhile.
    let bDone = false;
    const later = (async () => {
      await sb.append([{ boardId: board, update: e.updates[2]! }]);
      const stored = await sb.load(board);
      await sb.compact(board, compactionOf(stored));
    })().finally(() => (bDone = true));
    await waitFor(async () => bDone || (await waiting(0x7b0a4d0c)).rows[0]!.n > 0, 'instance B to finish or wait its turn');
    await gate.query('select pg_advisory_unlock(4242)');
    gate.release();
    await Promise.all([slow, later]);
    const stored = await sb.load(board);
    expect(docFrom(stored.parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
  });
});
