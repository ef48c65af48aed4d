import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';
import { systemClock } from '../../server/lib/clock.js';
import { compactDoc } from '../../server/sync/documents.queries.js';
import { createLibsqlStorage, type LibsqlStorage } from '../../server/sync/libsql-storage.js';
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

async function libsql(writerThread: boolean): Promise<LibsqlStorage> {
  const url = `file:${path.join(dir, `s${dbs.length}.db`)}`;
  const d = await openDatabase(url);
  dbs.push(d);
  await migrateToLatest(d.db);
  const s = createLibsqlStorage(d.db, systemClock, writerThread ? { url } : {});
  storages.push(s);
  return s;
}

const implementations: [string, () => Promise<DocStorage>][] = [
  ['memory', async () => createMemoryStorage()],
  ['libsql (writer thread)', () => libsql(true)],
  ['libsql (in thread)', () => libsql(false)],
];

describe.each(implementations)('%s storage', (_name, make) => storageContract(make));

describe('libsql writer thread', () => {
  it('commits never copy the WAL into the database: the checkpointer thread does, beside them', async () => {
    const s = await libsql(true);
    const file = path.join(dir, `s${dbs.length - 1}.db`);
    await s.append([{ boardId: 'wal', update: new Uint8Array(10) }]);
    const before = fs.statSync(file).size;
    // 40 commits of 8 kB: far under the 1,000 pages past which SQLite would checkpoint on commit.
    for (let i = 0; i < 40; i++) await s.append([{ boardId: 'wal', update: new Uint8Array(8 * 1024).fill(i) }]);
    await waitFor(() => fs.statSync(file).size >= before + 40 * 8 * 1024, 'the checkpointer to copy the commits into the database file');
  });

  it('a writer that dies inside a compaction loses nothing and applies nothing twice; the next write starts a new one', async () => {
    const s = await libsql(true);
    const e = recordEdits(600);
    await s.append(e.updates.slice(0, 500).map((update) => ({ boardId: 'b', update })));
    const before = await s.load('b');
    // The compaction's statements all run (snapshot written, folded entries deleted); the thread ends before COMMIT.
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

  it('fails every batch it held when it dies, and writes again afterwards', async () => {
    const s = await libsql(true);
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
    const s = await libsql(true);
    await s.append([{ boardId: 'd', update: recordEdits(1).updates[0]! }]);
    await s.close();
    await expect(s.append([{ boardId: 'd', update: recordEdits(1).updates[0]! }])).rejects.toThrow(/closed/);
  });
});
