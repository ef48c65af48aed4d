import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { execFileSync } from 'node:child_process';
import { replayUpdateJournal, type JournaledStorageOptions } from '../../server/sync/journaled-storage.js';
import { createLibsqlStorage, type LibsqlStorage } from '../../server/sync/libsql-storage.js';
import { decodeRecords, encodeRecords, journalPathOf, type JournalRecord } from '../../server/sync/update-journal.js';
import { docFrom, recordEdits } from './storage.contract.js';
import { waitFor } from '../helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-journal-'));
const dbs: Db[] = [];
const open: LibsqlStorage[] = [];
afterAll(async () => {
  for (const s of open) await s.close().catch(() => undefined);
  for (const d of dbs) await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function database() {
  const file = path.join(dir, `j${dbs.length}.db`);
  const url = `file:${file}`;
  const d = await openDatabase(url);
  dbs.push(d);
  await migrateToLatest(d.db);
  return { url, file, db: d.db };
}

/** The storage a lone instance runs: the journal, folded by the event-loop writer. */
function journaled(db: Db['db'], url: string, foldMs = 200, more: JournaledStorageOptions = {}) {
  const s = createLibsqlStorage(db, systemClock, { url, fsync: 'checkpoint', journal: { log: createLogger('silent'), foldMs, ...more } });
  open.push(s);
  return s;
}

const flush = (s: LibsqlStorage) => (s as LibsqlStorage & { flush(): Promise<void> }).flush();

const logRows = async (db: Db['db'], boardId: string) =>
  (await sql<{ seq: number }>`SELECT seq FROM doc_updates WHERE board_id = ${boardId} ORDER BY seq`.execute(db)).rows.map((r) => Number(r.seq));

const record = (seq: number, text: string): JournalRecord => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return { seq, boardId: 'b', createdAt: 1_700_000_000_000 + seq, update: Y.encodeStateAsUpdate(doc), attributed: { userId: 'u', changes: [{ shotId: 's', field: 'prompt', before: '', after: text }] } };
};

describe('journal records', () => {
  it('read back as written, history included', () => {
    const records = [record(1, 'one'), record(2, 'two')];
    expect(decodeRecords(encodeRecords(records))).toEqual(records);
  });

  it('a torn or corrupt record ends the reading there: what came before it is kept', () => {
    const whole = encodeRecords([record(1, 'one'), record(2, 'two')]);
    const firstLength = encodeRecords([record(1, 'one')]).byteLength;
    // A power loss mid-write: the second record is cut short.
    expect(decodeRecords(whole.subarray(0, whole.byteLength - 3)).map((r) => r.seq)).toEqual([1]);
    // A flipped byte inside the second record's payload.
    const flipped = Buffer.from(whole);
    flipped[firstLength + 20]! ^= 0xff;
    expect(decodeRecords(flipped).map((r) => r.seq)).toEqual([1]);
    // A length that points past the end.
    const huge = Buffer.from(whole);
    huge.writeUInt32LE(0xffffffff, firstLength);
    expect(decodeRecords(huge).map((r) => r.seq)).toEqual([1]);
  });
});

describe('journaled board storage', () => {
  it('an appended update is in the journal file before the call returns, and in the log once folded', async () => {
    const { url, file, db } = await database();
    const s = journaled(db, url);
    const e = recordEdits(3);
    const seqs = await s.append(e.updates.map((update) => ({ boardId: 'b', update })));
    expect(decodeRecords(fs.readFileSync(journalPathOf(file))).map((r) => r.seq)).toEqual(seqs);
    await flush(s);
    expect(await logRows(db, 'b')).toEqual(seqs);
    // Folded: the journal is empty again.
    expect(fs.statSync(journalPathOf(file)).size).toBe(0);
  });

  it('after a crash, the next start folds what only the journal held, once, and seqs go on from there', async () => {
    const { url, file, db } = await database();
    // Its folds would come only after an hour: the journal alone holds what it was given.
    const crashed = journaled(db, url, 3_600_000);
    const e = recordEdits(5);
    const first = await crashed.append(e.updates.slice(0, 2).map((update) => ({ boardId: 'b', update })));
    expect(await logRows(db, 'b')).toEqual([]);
    // The process died here (its writer is simply left behind): the next one starts on the same file.
    const restarted = journaled(db, url);
    expect(await logRows(db, 'b')).toEqual(first);
    expect(fs.statSync(journalPathOf(file)).size).toBe(0);
    // A second replay (the start after that) finds nothing to add.
    replayUpdateJournal(url);
    expect(await logRows(db, 'b')).toEqual(first);
    const next = await restarted.append(e.updates.slice(2).map((update) => ({ boardId: 'b', update })));
    expect(next).toEqual([first[1]! + 1, first[1]! + 2, first[1]! + 3]);
    const stored = await restarted.load('b');
    expect(docFrom(stored.parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
  });

  it('shot history typed after an edit is journaled with it and comes back after a crash, in order', async () => {
    const { url, db } = await database();
    const crashed = journaled(db, url, 3_600_000);
    const e = recordEdits(1);
    await crashed.append([
      { boardId: 'b', update: e.updates[0]!, attributed: { userId: 'u', changes: [{ shotId: 's', field: 'prompt', before: '', after: 'wide' }] } },
      // The hub's typing timer: the entry's text as typed since, no document update.
      { boardId: 'b', update: null, attributed: { userId: 'u', changes: [{ shotId: 's', field: 'prompt', before: '', after: 'wide shot', extendOnly: true }] } },
    ]);
    const history = async () => (await sql<{ after_text: string }>`SELECT after_text FROM shot_changes WHERE board_id = 'b'`.execute(db)).rows.map((r) => r.after_text);
    expect(await history()).toEqual([]);
    journaled(db, url);
    expect(await history()).toEqual(['wide shot']);
    expect(await logRows(db, 'b')).toHaveLength(1);
  });

  it('a database that refuses the folds: the event loop keeps turning, appends are refused, and what waited goes in once it accepts again', async () => {
    const { url, db } = await database();
    // Refused as soon as a fold has failed (failFor 0), so that the check adds nothing itself.
    const s = journaled(db, url, 20, { foldAt: 2, failFor: 0 });
    await sql`CREATE TRIGGER refuse BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(FAIL, 'disk full (test)'); END`.execute(db);
    const e = recordEdits(4);
    const first = await s.append(e.updates.slice(0, 3).map((update) => ({ boardId: 'b', update })));
    // Past foldAt a fold starts at once and fails at once: the retry must wait for a timer.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await waitFor(async () => {
      await expect(s.append([{ boardId: 'b', update: e.updates[3]! }])).rejects.toThrow(/cannot be stored/);
      return true;
    }, 'appends to be refused', 5_000);
    expect(await logRows(db, 'b')).toEqual([]);
    await sql`DROP TRIGGER refuse`.execute(db);
    await waitFor(async () => (await logRows(db, 'b')).length === 3, 'the waiting updates to be folded');
    expect(await logRows(db, 'b')).toEqual(first);
    const [later] = await s.append([{ boardId: 'b', update: e.updates[3]! }]);
    expect(later).toBeGreaterThan(first[2]!);
  });

  it('a typing extension replayed after a newer one was stored leaves the newer text', async () => {
    const { url, file, db } = await database();
    const s = journaled(db, url);
    const e = recordEdits(1);
    const ext = (after: string, at: number) => ({ seq: 0, boardId: 'b', createdAt: at, update: new Uint8Array(0), attributed: { userId: 'u', changes: [{ shotId: 's', field: 'prompt' as const, before: '', after, extendOnly: true as const }] } });
    await s.append([{ boardId: 'b', update: e.updates[0]!, attributed: { userId: 'u', changes: [{ shotId: 's', field: 'prompt', before: '', after: 'a' }] } }]);
    await s.append([{ boardId: 'b', update: null, attributed: ext('abcdef', 0).attributed }]);
    await flush(s);
    // An older extension still in the journal at a crash is written again by the replay.
    fs.writeFileSync(journalPathOf(file), encodeRecords([ext('abc', 1)]));
    replayUpdateJournal(url);
    const rows = (await sql<{ after_text: string }>`SELECT after_text FROM shot_changes WHERE board_id = 'b'`.execute(db)).rows;
    expect(rows.map((r) => r.after_text)).toEqual(['abcdef']);
  });

  it('a journal of zeros (a file extended but never written) replays as empty', async () => {
    const { url, file, db } = await database();
    fs.writeFileSync(journalPathOf(file), Buffer.alloc(64));
    replayUpdateJournal(url);
    expect(fs.statSync(journalPathOf(file)).size).toBe(0);
    expect(await logRows(db, 'b')).toEqual([]);
  });

  it('a second process cannot replay or append to the journal of a running one', async () => {
    const { url, db } = await database();
    journaled(db, url);
    const root = path.resolve(import.meta.dirname, '../..');
    const code = `import { holdJournal } from './server/db/journal-lock.ts'; try { holdJournal(process.argv[1]); console.log('held'); } catch (e) { console.log(e.message); }`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, url.slice('file:'.length)], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/another Takeboard process is using the database/);
  });

  it('a replay skips records already folded, or folded further into a snapshot', async () => {
    const { url, file, db } = await database();
    const s = journaled(db, url);
    const e = recordEdits(4);
    const seqs = await s.append(e.updates.map((update) => ({ boardId: 'b', update })));
    const stored = await s.load('b');
    expect((await s.compact('b', { snapshot: Y.mergeUpdates(stored.parts), baseSeq: 0, uptoSeq: stored.lastSeq, logCount: stored.logCount })).compacted).toBe(true);
    // As if the process had died between the fold's commit and the journal being emptied.
    fs.writeFileSync(journalPathOf(file), encodeRecords(seqs.map((seq, i) => ({ seq, boardId: 'b', createdAt: 0, update: e.updates[i]! }))));
    replayUpdateJournal(url);
    expect(await logRows(db, 'b')).toEqual([]);
    const after = await s.load('b');
    expect(after.logCount).toBe(0);
    expect(docFrom(after.parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
  });

  it('another writer of the file gets seqs past the reserved ones, and the board it wrote keeps its order', async () => {
    const { url, db } = await database();
    const s = journaled(db, url);
    const e = recordEdits(4);
    const [mine] = await s.append([{ boardId: 'b', update: e.updates[0]! }]);
    // A second storage on the same file, writing the log directly (tests seeding boards, tools).
    const other = createLibsqlStorage(db, systemClock);
    const [theirs] = await other.append([{ boardId: 'b', update: e.updates[1]! }]);
    expect(theirs).toBeGreaterThan(mine! + 1000);
    // Loading the board moves this storage's seqs past what the other wrote on it.
    await s.load('b');
    const later = await s.append(e.updates.slice(2).map((update) => ({ boardId: 'b', update })));
    expect(later[0]).toBeGreaterThan(theirs!);
    await flush(s);
    expect(await logRows(db, 'b')).toEqual([mine, theirs, ...later]);
    expect(docFrom((await s.load('b')).parts).getText('t').toString()).toBe(e.doc.getText('t').toString());
  });

  it('once closed, it refuses appends, and its journal is left empty (everything folded)', async () => {
    const { url, file, db } = await database();
    const s = journaled(db, url);
    const e = recordEdits(2);
    await s.append([{ boardId: 'b', update: e.updates[0]! }]);
    await s.close();
    await expect(s.append([{ boardId: 'b', update: e.updates[1]! }])).rejects.toThrow(/closed/);
    expect(fs.statSync(journalPathOf(file)).size).toBe(0);
    expect((await logRows(db, 'b')).length).toBe(1);
  });
});
