import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { runInTransaction, type DocWriter, type RunBatch } from '../db/batch.js';
import { createDocWriter } from '../db/doc-writer.js';
import { createLoopWriter } from '../db/loop-writer.js';
import type { Logger } from '../lib/log.js';
import { createJournaledStorage, replayUpdateJournal, type JournaledStorageOptions } from './journaled-storage.js';
import { appendUpdates, compactDoc, deleteDoc, loadDoc } from './documents.queries.js';
import type { DocStorage } from './storage.js';

export interface LibsqlStorageOptions {
  /**
   * The URL `db` was opened with. For a local file the writes (append, compact, delete) go to a
   * writer thread with its own connection; otherwise (libsql://, http(s)://, or no URL) they
   * run on this thread through `db`, as remote calls are asynchronous anyway.
   */
  url?: string;
  /**
   * File databases only. `checkpoint` (default): commits go into the WAL on this thread without
   * an fsync, which the WAL checkpoint (every 500 ms) does (loop-writer.ts); `commit`: every
   * commit is fsynced, on a writer thread (doc-writer.ts).
   */
  fsync?: SyncFsync;
  /**
   * With `checkpoint` on a file database: updates go to the journal beside it and are folded
   * into the log in batches (journaled-storage.ts). Only when this instance is the database's
   * only writer of board documents (no REDIS_URL); `log` reports folds that fail.
   */
  journal?: { log: Logger } & JournaledStorageOptions;
}

export type SyncFsync = 'checkpoint' | 'commit';

export type LibsqlStorage = DocStorage & {
  close(): Promise<void>;
  /** The file database's writer, when there is one (tests use it to crash it). */
  writer: DocWriter | null;
};

/** DocStorage over the app's libSQL database (tables from the board_documents migration). */
export function createLibsqlStorage(db: Kysely<Database>, clock: Clock, opts: LibsqlStorageOptions = {}): LibsqlStorage {
  const file = opts.url && isLocalFile(opts.url) ? opts.url : null;
  const journaled = file && opts.fsync !== 'commit' && opts.journal ? opts.journal : null;
  // Before the writer opens: what a crash left in the journal is folded in first.
  if (journaled) replayUpdateJournal(file!);
  const writer = file ? (opts.fsync === 'commit' ? createDocWriter : createLoopWriter)(file) : null;
  const run: RunBatch = writer ? writer.run : runInTransaction(db);
  const direct = directStorage(db, clock, run, writer);
  return journaled && writer ? { ...createJournaledStorage(direct, writer, file!, { clock, log: journaled.log }, journaled), writer } : direct;
}

function directStorage(db: Kysely<Database>, clock: Clock, run: RunBatch, writer: DocWriter | null): LibsqlStorage {
  return {
    writer,
    // Reads stay on the shared connection: WAL readers never wait for the writer (a journaled
    // storage's load waits for its fold first, so that it reads every acknowledged update).
    load: (boardId) => loadDoc(db, boardId),
    append: (items) => appendUpdates(run, items, clock.now()),
    compact: (boardId, req) => compactDoc(run, boardId, req, clock.now()),
    delete: (boardId) => deleteDoc(run, boardId),
    close: async () => writer?.close(),
  };
}

/** A file another connection can open: not `:memory:`, which would be a second, empty database. */
function isLocalFile(url: string): boolean {
  return url.startsWith('file:') && !url.includes(':memory:');
}
