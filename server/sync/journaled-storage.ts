import fs from 'node:fs';
import type { DocWriter } from '../db/batch.js';
import { batchRunner, fileOf } from '../db/sqlite-batch.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { JOURNALED_MISSING, LAST_SEQ, journalFoldStmts, reserveSeqs } from './documents.queries.js';
import type { AppendItem, DocStorage } from './storage.js';
import { holdJournal, releaseJournal } from '../db/journal-lock.js';
import { decodeRecords, journalPathOf, openJournal, type JournalRecord } from './update-journal.js';

const EMPTY = new Uint8Array(0);

export interface JournaledStorageOptions {
  /** How long journaled updates wait to be folded into the database together. */
  foldMs?: number;
  /** Folded at once when this many wait, or when they weigh `foldBytes`. */
  foldAt?: number;
  foldBytes?: number;
  /** How many seqs past the next one are kept reserved. */
  seqBlock?: number;
  /** How long folds may keep failing before appends are refused (ms). */
  failFor?: number;
}

export type JournaledStorage = DocStorage & {
  /** Resolves once every update journaled so far is in the database. */
  flush(): Promise<void>;
  close(): Promise<void>;
};

/**
 * Board documents on a file database, each accepted update written to the journal
 * (update-journal.ts) before it is relayed and folded into the database's update log in
 * batches: one write instead of a transaction per update (a commit cost ~200 µs of the event
 * loop per edit, a fifth of relaying it to 50 people; the write ~60 µs, measured in the sync
 * bench), and one transaction per batch. Everything that reads or rewrites the stored log
 * (loading a board, compaction, deletion) folds first, so it sees every acknowledged update.
 *
 * An update's seq is given when it is journaled, counting on from the log's highest stored seq
 * when the storage opened (so seqs stay dense across restarts, kill -9 included), with the seqs
 * ahead reserved in sqlite_sequence so that another writer of the file gets seqs past them.
 * Meant for one instance on its database (with REDIS_URL, instances share the log and write it
 * directly).
 */
export function createJournaledStorage(
  inner: DocStorage,
  writer: DocWriter,
  url: string,
  deps: { clock: Clock; log: Logger },
  opts: JournaledStorageOptions = {},
): JournaledStorage {
  const { foldMs = 1000, foldAt = 512, foldBytes = 4 * 2 ** 20, seqBlock = 1_000_000, failFor = 10_000 } = opts;
  holdJournal(fileOf(url));
  const journal = openJournal(journalPathOf(fileOf(url)));
  /**
   * The seq the next journaled update gets, and the top of the seqs reserved for this storage in
   * sqlite_sequence: AUTOINCREMENT hands anyone else appending to the log (a second storage on
   * the same file: tests seeding old boards, tools) seqs past the reservation, never one of ours.
   */
  let nextSeq = lastSeqNow(url) + 1;
  let reservedTop = reserveNow(url, nextSeq - 1 + seqBlock);
  let reserving: Promise<void> | null = null;

  /** Moves the reservation on before it runs out (through the writer: in order with folds). */
  function reserveAhead(): Promise<void> {
    const top = nextSeq - 1 + seqBlock;
    reserving ??= writer.run(reserveSeqs(top)).then(
      () => {
        reservedTop = Math.max(reservedTop, top);
        reserving = null;
      },
      (err: unknown) => {
        reserving = null;
        throw err;
      },
    );
    return reserving;
  }

  async function takeSeqs(n: number): Promise<number[]> {
    if (nextSeq + n - 1 > reservedTop) await reserveAhead();
    else if (nextSeq + n - 1 > reservedTop - seqBlock / 2) reserveAhead().catch((err: unknown) => deps.log.warn('could not reserve board update seqs ahead; tried again with the next update', { err }));
    return Array.from({ length: n }, () => nextSeq++);
  }

  const pending: JournalRecord[] = [];
  let pendingBytes = 0;
  let folding: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  /**
   * When folds started failing (null: they do not). A failed fold is tried again on a timer
   * only, never at once: the writer fails some errors synchronously, and an immediate retry
   * would spin without ever letting the event loop turn.
   */
  let failingSince: number | null = null;
  let retryMs = foldMs;

  function schedule() {
    if (closed) return;
    if (failingSince === null && (pending.length >= foldAt || pendingBytes >= foldBytes)) void flush().catch(() => undefined);
    else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        flush().catch(() => undefined);
      }, failingSince === null ? foldMs : retryMs);
      timer.unref();
    }
  }

  async function flush(): Promise<void> {
    while (folding) await folding.catch(() => undefined);
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    pendingBytes = 0;
    folding = writer.run(journalFoldStmts(batch)).then(
      () => {
        if (failingSince !== null) deps.log.info('journaled board updates fold again', { waited: batch.length });
        failingSince = null;
        retryMs = foldMs;
        // Everything in the file is in the database now, unless more came meanwhile.
        if (pending.length === 0) journal.clear();
      },
      (err: unknown) => {
        pending.unshift(...batch);
        pendingBytes += batch.reduce((n, r) => n + r.update.byteLength, 0);
        if (failingSince === null) {
          failingSince = deps.clock.now();
          deps.log.error('could not fold journaled board updates into the database; they stay in the journal and are tried again', { err, waiting: pending.length });
        }
        retryMs = Math.min(retryMs * 2, 10_000);
        schedule();
        throw err;
      },
    );
    try {
      await folding;
    } finally {
      folding = null;
    }
  }

  return {
    async load(boardId) {
      await flush();
      const doc = await inner.load(boardId);
      // Someone else appended past our seqs (only a second writer of the file can): this board's
      // next updates must still come after what it holds, so our seqs move on past it.
      if (doc.lastSeq >= nextSeq) {
        nextSeq = doc.lastSeq + 1;
        await reserveAhead();
      }
      return doc;
    },
    async append(items: AppendItem[]) {
      if (closed) throw new Error('the board document journal is closed');
      // Past this, what is acknowledged would live only in the journal and in memory, growing:
      // refused instead (the hub drops the board's clients, who keep their edits and re-send).
      if (failingSince !== null && (deps.clock.now() - failingSince >= failFor || pendingBytes > foldBytes * 4)) {
        throw new Error(`board updates cannot be stored: the database has refused them for ${Math.round((deps.clock.now() - failingSince) / 1000)} s`);
      }
      // Shot history alone (typing stored by the hub's timer) is journaled too, in order after
      // the updates it follows: a transaction for it here would hold up the edits batched with it.
      const seqs = await takeSeqs(items.filter((it) => it.update).length);
      let next = 0;
      const createdAt = deps.clock.now();
      const records = items.map((it) => ({ seq: it.update ? seqs[next++]! : 0, boardId: it.boardId, createdAt, update: it.update ?? EMPTY, ...(it.attributed ? { attributed: it.attributed } : {}) }));
      // A failed write (a full disk) fails the batch; its seqs are skipped, never reused.
      journal.append(records);
      pending.push(...records);
      for (const r of records) pendingBytes += r.update.byteLength;
      schedule();
      return records.map((r) => r.seq);
    },
    async compact(boardId, req) {
      await flush();
      return inner.compact(boardId, req);
    },
    async delete(boardId) {
      await flush();
      return inner.delete(boardId);
    },
    flush,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await flush().catch((err: unknown) => deps.log.error('journaled board updates not folded at close; folded at the next start', { err }));
      await reserving?.catch(() => undefined);
      await journal.close();
      await inner.close?.();
      releaseJournal(fileOf(url));
    },
  };
}

/**
 * The highest seq the log holds, stored or folded into a snapshot. Seqs past it that were handed
 * out and are gone (a deleted board's, a failed write's) may be given again: nothing refers to them.
 */
function lastSeqNow(url: string): number {
  const runner = batchRunner(url);
  try {
    return Number(runner.run([{ sql: LAST_SEQ, args: [], oneRow: true }])[0]!.rows[0]!.seq);
  } finally {
    runner.close();
  }
}

/** Sets the AUTOINCREMENT mark of the log to `top` on a connection of its own, before the writer takes any. */
function reserveNow(url: string, top: number): number {
  const runner = batchRunner(url);
  try {
    runner.run(reserveSeqs(top));
    return top;
  } finally {
    runner.close();
  }
}

/**
 * Folds what the journal of the file database at `url` (file:) holds and the database lacks
 * into it (left there by a crash or kill -9), then empties it. Run before migrations too, so the
 * log is whole when one reads it. Only where no other process uses that database: it empties
 * the journal.
 */
export function replayUpdateJournal(url: string): void {
  const path = journalPathOf(fileOf(url));
  if (!fs.existsSync(path) || fs.statSync(path).size === 0) return;
  holdJournal(fileOf(url));
  const records = decodeRecords(fs.readFileSync(path));
  if (records.length > 0) {
    const runner = batchRunner(url);
    try {
      // History alone (seq 0) extends an entry's text; one already folded is not told apart, but
      // an extension older than the entry's last change is ignored (shot-changes.queries.ts).
      const missing = records.filter((r) => r.seq === 0 || runner.run([{ sql: JOURNALED_MISSING, args: [r.seq, r.boardId], oneRow: true }])[0]!.rows[0]!.missing);
      if (missing.length > 0) runner.run(journalFoldStmts(missing));
    } finally {
      runner.close();
    }
  }
  fs.truncateSync(path, 0);
}
