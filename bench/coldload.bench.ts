import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { addShot, deleteShot, getPromptText, moveShot, roots, setShotFields, SHOT_STATUSES } from '../shared/doc/index.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { openDatabase } from '../server/db/open.js';
import { systemClock } from '../server/lib/clock.js';
import { createLibsqlStorage } from '../server/sync/libsql-storage.js';
import { Room } from '../server/sync/room.js';
import type { DocStorage } from '../server/sync/storage.js';
import { fmt, rng, summarize, type Rng } from './lib/stats.js';
import { numberFlag, type BenchOptions, type BenchSuite, type SuiteResult } from './lib/suite.js';

/**
 * Cold load of a board with a long history: 100,000 edits by a few editors are written through
 * the libSQL DocStorage the way the hub writes them (group-commit batches on the writer thread,
 * compaction into a snapshot of the stored document every 500 updates by default), then the board is loaded
 * from storage again and again: `storage.load` + apply into a fresh Y.Doc, and the hub's full
 * room load (which also keeps the stored state encoded beside the document). Stored bytes are set against
 * `Y.encodeStateAsUpdate(doc).byteLength`.
 *
 * Flags: --edits 100000  --editors 3  --batch 50  --compact-after 500  --loads 20
 */
export const BOARD = 'bench-coldload-board';

/**
 * One edit by one editor, with the mix of a working board: mostly typing and trimming prompts
 * (kept to a few hundred characters), some field changes and reorders, shots coming and going
 * around `SHOTS` alive. The editor's 'update' event carries the result.
 */
const SHOTS = 60;
function randomEdit(doc: Y.Doc, r: Rng) {
  const shots = [...roots(doc).shots.keys()];
  const roll = r.next();
  if (shots.length < SHOTS / 2 || (roll < 0.01 && shots.length < SHOTS * 1.5)) {
    addShot(doc, { title: `Shot ${r.letters(4)}`, prompt: `${r.letters(5)} ${r.letters(7)} at dusk` });
    return;
  }
  const id = shots[r.int(shots.length)]!;
  if (roll < 0.02 && shots.length > SHOTS) deleteShot(doc, id);
  else if (roll < 0.05) moveShot(doc, id, { after: shots[r.int(shots.length)] === id ? undefined : shots[r.int(shots.length)] });
  else if (roll < 0.13) setShotFields(doc, id, { status: SHOT_STATUSES[r.int(SHOT_STATUSES.length)]!, durationSec: 2 + r.int(8) });
  else {
    const text = getPromptText(doc, id);
    const trim = text.length > 400 ? 0.6 : text.length > 40 ? 0.2 : 0;
    if (r.next() < trim) text.delete(r.int(text.length - 10), 1 + r.int(6));
    else text.insert(r.int(text.length + 1), r.next() < 0.2 ? ' ' : r.letters(1 + r.int(4)));
  }
}

/** Builds the history; returns what a client would hold at the end, for checking the load. */
export async function buildHistory(storage: DocStorage, o: { edits: number; editors: number; batch: number; compactAfter: number; seed: number }) {
  const editors = Array.from({ length: o.editors }, (_, k) => {
    const doc = new Y.Doc();
    doc.clientID = 1_000_000 + k; // fixed ids: the same history every run
    return doc;
  });
  const r = rng(o.seed);
  let batch: Uint8Array[] = [];
  let logCount = 0;
  let snapshotSeq = 0;
  let lastSeq = 0;
  let compactions = 0;
  let compactMs = 0;
  let made = 0;
  // The last half-interval stays in the log, as on a live board caught between compactions.
  const lastCompactionBefore = o.edits - Math.floor(o.compactAfter / 2);
  const flush = async () => {
    if (batch.length === 0) return;
    const seqs = await storage.append(batch.map((update) => ({ boardId: BOARD, update })));
    lastSeq = seqs.at(-1)!;
    logCount += batch.length;
    batch = [];
    if (logCount >= o.compactAfter && made <= lastCompactionBefore) {
      // As the hub does: every edit made so far is stored, so an editor's document is the stored one.
      const t = performance.now();
      const req = { snapshot: Y.encodeStateAsUpdate(editors[0]!), baseSeq: snapshotSeq, uptoSeq: lastSeq, logCount };
      const res = await storage.compact(BOARD, req);
      compactMs += performance.now() - t;
      if (res.compacted) (compactions++, (logCount = 0), (snapshotSeq = lastSeq));
    }
  };
  while (made < o.edits) {
    const k = r.int(editors.length);
    const doc = editors[k]!;
    let update: Uint8Array | null = null;
    const grab = (u: Uint8Array) => (update = u);
    doc.on('update', grab);
    try {
      randomEdit(doc, r);
    } finally {
      doc.off('update', grab);
    }
    if (!update) continue; // a no-op edit (e.g. a move to where the shot already is)
    for (const other of editors) if (other !== doc) Y.applyUpdate(other, update);
    batch.push(update);
    made++;
    if (batch.length >= o.batch) await flush();
  }
  await flush();
  return { doc: editors[0]!, compactions, compactMs, logCount };
}

/**
 * The board as JSON with object keys sorted (Y.Map key order depends on the order structs were
 * applied); the roots are typed first, as a document filled by applyUpdate holds placeholders.
 */
export function canonical(doc: Y.Doc): string {
  const r = roots(doc);
  const board = { meta: r.meta.toJSON(), shots: r.shots.toJSON(), references: r.references.toJSON(), comments: r.comments.toJSON() };
  return JSON.stringify(board, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : 1))) : val,
  );
}

export function loadIntoDoc(parts: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const p of parts) Y.applyUpdate(doc, p);
  });
  return doc;
}

export const suite: BenchSuite = {
  name: 'coldload',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const o = {
      edits: numberFlag(opts, 'edits', 100_000),
      editors: numberFlag(opts, 'editors', 3),
      batch: numberFlag(opts, 'batch', 50),
      compactAfter: numberFlag(opts, 'compact-after', 500),
      seed: opts.seed,
    };
    const loads = numberFlag(opts, 'loads', opts.quick ? 10 : 30);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-bench-coldload-'));
    const file = path.join(dir, 'takeboard.db');
    const database = await openDatabase(`file:${file}`);
    const storage = createLibsqlStorage(database.db, systemClock, { url: `file:${file}` });
    try {
      await migrateToLatest(database.db);
      opts.log(`coldload: writing ${o.edits} edits by ${o.editors} editors (batches of ${o.batch}, compaction every ${o.compactAfter})`);
      const t0 = performance.now();
      const built = await buildHistory(storage, o);
      const buildS = (performance.now() - t0) / 1000;
      const expected = canonical(built.doc);

      const plain: number[] = [];
      const room: number[] = [];
      let first = NaN;
      let stored = { bytes: 0, logCount: 0, parts: 0 };
      let stateBytes = 0;
      for (let i = 0; i < loads + 1; i++) {
        let t = performance.now();
        const s = await storage.load(BOARD);
        const doc = loadIntoDoc(s.parts);
        const ms = performance.now() - t;
        if (i === 0) {
          first = ms;
          stored = { bytes: s.bytes, logCount: s.logCount, parts: s.parts.length };
          stateBytes = Y.encodeStateAsUpdate(doc).byteLength;
          if (canonical(doc) !== expected) throw new Error('the loaded board differs from what the editors hold');
        } else plain.push(ms);
        doc.destroy();
        // What the hub does on first connection: storage.load + Room.load (document + encoded stored state).
        t = performance.now();
        const s2 = await storage.load(BOARD);
        const r = new Room<never>(BOARD);
        r.load(s2);
        if (i > 0) room.push(performance.now() - t);
        r.destroy();
      }
      const p = summarize(plain);
      const h = summarize(room);
      const fileBytes = ['', '-wal'].reduce((n, suffix) => n + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0), 0);
      const data = {
        ...o,
        buildS,
        compactions: built.compactions,
        compactMsTotal: built.compactMs,
        storedBytes: stored.bytes,
        storedParts: stored.parts,
        logEntries: stored.logCount,
        stateBytes,
        storedOverState: stored.bytes / stateBytes,
        dbFileBytes: fileBytes,
        firstLoadMs: first,
        loadAndApplyMs: p,
        hubRoomLoadMs: h,
      };
      return {
        data,
        tables: [
          {
            title: `cold load: a board with ${o.edits.toLocaleString('en-US')} edits of history (libSQL storage, ${built.compactions} compactions)`,
            columns: ['measure', 'value', 'target'],
            rows: [
              ['load + apply p50 ms', fmt(p.p50), '< 50 ms'],
              ['load + apply p99 ms', fmt(p.p99), ''],
              ['first load ms', fmt(first), ''],
              ['hub room load p50 ms (document + encoded state)', fmt(h.p50), ''],
              ['stored bytes (snapshot + log)', stored.bytes.toLocaleString('en-US'), ''],
              ['log entries after last compaction', stored.logCount, ''],
              ['encodeStateAsUpdate bytes', stateBytes.toLocaleString('en-US'), ''],
              ['stored / state', `${fmt(stored.bytes / stateBytes)}x`, '<= 2x'],
              ['db file bytes (all tables, WAL)', fileBytes.toLocaleString('en-US'), ''],
            ],
            notes: [`history written in ${fmt(buildS)} s; compaction took ${fmt(built.compactMs / Math.max(1, built.compactions))} ms each on average`],
          },
        ],
      };
    } finally {
      await storage.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
