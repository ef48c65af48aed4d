/**
 * A kill during compaction loses nothing and applies nothing twice.
 * - In process: the board-document writer thread dies inside a compaction the hub started
 *   (every statement run, then the thread ends before COMMIT) while two editors keep typing.
 * - Real processes, on libSQL and on PostgreSQL: a server that compacts after every write
 *   (SYNC_COMPACT_AFTER_UPDATES=1, a 200 kB board so each snapshot takes a while to write) is
 *   SIGKILLed at random moments while edits stream; after each kill the stored log and snapshot
 *   must not overlap.
 * "Applied twice" is checked on what is stored: no log entry at or below the snapshot's seq,
 * and no log entry after it that starts inside what the snapshot already holds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, getPromptText, setShotFields } from '../../shared/doc/index.js';
import { systemClock } from '../../server/lib/clock.js';
import { openDatabase } from '../../server/db/open.js';
import { compactDoc } from '../../server/sync/documents.queries.js';
import { createLibsqlStorage, type LibsqlStorage } from '../../server/sync/libsql-storage.js';
import type { DocStorage, StoredDoc } from '../../server/sync/storage.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { createBoard, joinWithRole, signedUpClient } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { LONG } from './helpers.js';
import { killCycles, serverLauncher } from './sync-helpers.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-compaction-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Problems with what is stored for a board: log entries the snapshot already holds. */
function overlaps(stored: StoredDoc): string[] {
  if (stored.snapshotSeq === 0) return [];
  const snapshot = stored.parts[0]!;
  const sv = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(snapshot));
  const problems: string[] = [];
  stored.parts.slice(1).forEach((entry, i) => {
    const { from } = Y.parseUpdateMeta(entry);
    for (const [client, clock] of from) {
      if (clock < (sv.get(client) ?? 0)) problems.push(`log entry ${i} restates client ${client} from clock ${clock}, which the snapshot holds up to ${sv.get(client)}`);
    }
  });
  return problems;
}

const promptTokens = (doc: Y.Doc, shotId: string) => getPromptText(doc, shotId).toString().split(';').filter(Boolean);

it('the writer thread dying inside a compaction while two editors type: nothing lost, nothing stored twice', async () => {
  const dataDir = tempDir();
  let inner: LibsqlStorage | null = null;
  let crashNext = false;
  let crashed = 0;
  // The app's own storage over the same file, except that a compaction can be made to die mid-transaction.
  const storage: DocStorage = {
    load: (id) => inner!.load(id),
    append: (items) => inner!.append(items),
    delete: (id) => inner!.delete(id),
    compact(id, req) {
      if (!crashNext) return inner!.compact(id, req);
      crashNext = false;
      crashed++;
      return compactDoc((stmts) => inner!.writer!.crashDuring(stmts), id, req, Date.now());
    },
  };
  const srv = await startTestServer({ dataDir, app: { docStorage: storage, sync: { compactAfterUpdates: 1_000_000, compactAfterBytes: 1 << 30 } } });
  inner = createLibsqlStorage(srv.database.db, systemClock, { url: `file:${path.join(dataDir, 'takeboard.db')}` });
  const a = await signedUpClient(srv.url, { name: 'Ana' });
  const b = await signedUpClient(srv.url, { name: 'Bo' });
  const boardId = await createBoard(a.client);
  await joinWithRole(a.client, b.client, boardId, 'editor');
  const ca = connectBoard(srv.url, boardId, a.client);
  const cb = connectBoard(srv.url, boardId, b.client);
  try {
    await Promise.all([ca.synced(), cb.synced()]);
    const shotId = addShot(ca.doc, { title: 'Compacted' });
    const type = (from: { doc: Y.Doc }, prefix: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const p = getPromptText(from.doc, shotId);
        p.insert(p.length, `${prefix}${i};`);
      }
    };
    await waitFor(() => getPromptText(cb.doc, shotId), 'the shot on B');
    type(ca, 'a', 40);
    type(cb, 'b', 40);
    setShotFields(ca.doc, shotId, { durationSec: 7 });
    await waitFor(() => promptTokens(ca.doc, shotId).length === 80 && promptTokens(cb.doc, shotId).length === 80, 'both to see 80 edits');
    await srv.takeboard.hub.flush();

    // The compaction dies after writing the snapshot and deleting the log, before COMMIT;
    // meanwhile both keep typing (those writes queue behind it on the dying thread).
    crashNext = true;
    const compaction = srv.takeboard.hub.compactNow(boardId);
    type(ca, 'c', 20);
    type(cb, 'd', 20);
    await compaction;
    expect(crashed).toBe(1);
    // Writes that failed with the thread make their clients resync (4500); they re-send what was not stored.
    await waitFor(() => ca.provider.synced && cb.provider.synced && promptTokens(ca.doc, shotId).length === 120 && promptTokens(cb.doc, shotId).length === 120, 'both to hold all 120 edits again', 20_000);
    await srv.takeboard.hub.flush();
    const mid = await inner.load(boardId);
    expect(overlaps(mid)).toEqual([]);

    // The next compaction (a new writer thread) folds everything once; more edits land after it.
    await srv.takeboard.hub.compactNow(boardId);
    type(ca, 'e', 10);
    await waitFor(() => promptTokens(cb.doc, shotId).length === 130, 'B to see the last edits');
    await srv.takeboard.hub.flush();
  } finally {
    ca.destroy();
    cb.destroy();
    await srv.close().catch(() => {});
  }
  const reopened = await startTestServer({ dataDir });
  try {
    const stored = await createLibsqlStorage(reopened.database.db, systemClock).load(boardId);
    expect(stored.snapshotSeq).toBeGreaterThan(0);
    expect(overlaps(stored)).toEqual([]);
    const rows = await reopened.database.db.selectFrom('doc_updates').select('seq').where('board_id', '=', boardId).where('seq', '<=', stored.snapshotSeq).execute();
    expect(rows).toEqual([]);
    const doc = new Y.Doc();
    for (const p of stored.parts) Y.applyUpdate(doc, p);
    const shotId = [...doc.getMap('shots').keys()][0]!;
    const tokens = promptTokens(doc, shotId);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.length).toBe(130);
    // Stored size follows the document, not how often it was compacted.
    expect(stored.bytes).toBeLessThan(2 * Y.encodeStateAsUpdate(doc).byteLength + 4096);
  } finally {
    await reopened.close();
  }
});

const CYCLES = LONG ? 200 : 10;

describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);

  it(`SIGKILL while every write is followed by a compaction (${CYCLES} cycles): nothing relayed is lost, nothing is stored twice`, async () => {
    const dataDir = tempDir();
    // The libSQL file lives in DATA_DIR (the default); PostgreSQL gets a fresh database.
    const databaseUrl = engine === 'postgres' ? await dbs.url() : `file:${path.join(dataDir, 'takeboard.db')}`;
    const launcher = serverLauncher({ DATA_DIR: dataDir, SYNC_COMPACT_AFTER_UPDATES: '1', SYNC_COMPACT_AFTER_BYTES: '1', ...(engine === 'postgres' ? { DATABASE_URL: databaseUrl } : {}) });
    const problems: string[] = [];
    let snapshotsMoved = 0;
    let lastSnapshot = 0;
    try {
      const report = await killCycles({
        launcher,
        cycles: CYCLES,
        killWindowMs: 250,
        editEveryMs: 5,
        // A 200 kB note on another shot: every compaction writes a snapshot at least that big.
        prepare: (doc) => {
          const filler = addShot(doc, { title: 'Filler' });
          getPromptText(doc, filler).insert(0, 'x'.repeat(200_000));
        },
        afterKill: async (cycle) => {
          const { db, close } = await openDatabase(databaseUrl);
          try {
            const snaps = await db.selectFrom('doc_snapshots').select(['board_id', 'upto_seq', 'data']).execute();
            for (const row of snaps) {
              const upto = Number(row.upto_seq);
              if (upto > lastSnapshot) snapshotsMoved++;
              lastSnapshot = Math.max(lastSnapshot, upto);
              const folded = await db.selectFrom('doc_updates').select((e) => e.fn.countAll<number>().as('n')).where('board_id', '=', row.board_id).where('seq', '<=', upto).executeTakeFirstOrThrow();
              if (Number(folded.n) > 0) problems.push(`kill ${cycle}: ${folded.n} log entries the snapshot already folded`);
              const log = await db.selectFrom('doc_updates').select('data').where('board_id', '=', row.board_id).where('seq', '>', upto).orderBy('seq').execute();
              const stored = [row.data, ...log.map((r) => r.data)].map((d) => new Uint8Array(d));
              for (const p of overlaps({ parts: stored, snapshotSeq: upto } as StoredDoc)) problems.push(`kill ${cycle}: ${p}`);
            }
          } finally {
            await close();
          }
        },
      });
      console.log(
        `[storage-compaction] ${engine}: ${report.cycles} SIGKILL cycles under continuous compaction (seed ${report.seed}): ${report.sent} edits sent, ${report.seen} relayed, ${report.lost} lost, ${report.duplicated} twice; the snapshot moved forward between ${snapshotsMoved} kills`,
      );
      expect([...report.problems, ...problems]).toEqual([]);
      expect(report.cycles).toBe(CYCLES);
      expect(snapshotsMoved).toBeGreaterThanOrEqual(CYCLES / 2);
    } finally {
      await launcher.close();
    }
  }, LONG ? 3_600_000 : 120_000);
});
