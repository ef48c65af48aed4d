import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';
import { systemClock } from '../../server/lib/clock.js';
import { compactDoc } from '../../server/sync/documents.queries.js';
import { createLibsqlStorage, type LibsqlStorage, type SyncFsync } from '../../server/sync/libsql-storage.js';
import { createMemoryStorage } from '../../server/sync/memory-storage.js';
import type { DocStorage } from '../../server/sync/storage.js';
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
async function libsql(fsync: SyncFsync | null): Promise<LibsqlStorage> {
  const url = `file:${path.join(dir, `s${dbs.length}.db`)}`;
  const d = await openDatabase(url);
  dbs.push(d);
  await migrateToLatest(d.db);
  const s = createLibsqlStorage(d.db, systemClock, fsync ? { url, fsync } : {});
  storages.push(s);
  return s;
}

const implementations: [string, () => Promise<DocStorage>][] = [
  ['memory', async () => createMemoryStorage()],
  ['libsql (event-loop writer, SYNC_FSYNC=checkpoint)', () => libsql('checkpoint')],
  ['libsql (writer thread, SYNC_FSYNC=commit)', () => libsql('commit')],
  ['libsql (shared client)', () => libsql(null)],
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
