/**
 * The board-document writer thread: its own connection to the app's file database, running
 * each batch of statements in one write transaction. The commit's fsync blocks this thread
 * only; the hub's event loop keeps reading sockets and relaying meanwhile. It speaks to SQLite
 * through the `libsql` driver that `@libsql/client` wraps, with every statement prepared once
 * and kept: through the client, each commit of one update cost ~3x the CPU (a fresh prepare of
 * BEGIN, the insert and COMMIT, and an exception thrown and caught for each of them).
 *
 * The same entry runs the checkpointer thread (`role: 'checkpointer'`): SQLite's automatic
 * checkpoint would make every ~1,000th page of commits copy the WAL into the database (and fsync
 * it) inside a commit, a stall every relayed edit of that batch waits for. The writer turns it
 * off; the checkpointer runs a PASSIVE checkpoint on its own connection every `checkpointMs`,
 * which never takes the write lock, so commits go on meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';
import { FILE_DB_PRAGMAS } from './file-pragmas.js';
import type { Stmt, StmtResult } from './batch.js';
import { unpackStmts, type WriterData, type WriterReply, type WriterRequest } from './doc-writer.protocol.js';

const port = parentPort!;
const { url, role, checkpointMs = 500 } = workerData as WriterData;
// A failure here ends the thread; the hub sees its pending writes fail.
const db = new Database(fileOf(url));
for (const pragma of FILE_DB_PRAGMAS) db.exec(pragma);
if (role === 'writer') db.exec('PRAGMA wal_autocheckpoint = 0');

/** Statements prepared once, by SQL text (the hub sends a handful of distinct ones). */
const prepared = new Map<string, Database.Statement>();
function statement(sql: string): Database.Statement {
  let s = prepared.get(sql);
  if (!s) prepared.set(sql, (s = db.prepare(sql)));
  return s;
}

function execute({ sql, args }: Stmt): StmtResult {
  const s = statement(sql);
  if (s.reader) return { rows: s.all(args) as Record<string, unknown>[], changes: 0, lastInsertId: 0 };
  const r = s.run(args);
  return { rows: [], changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
}

/** Runs `stmts` in one write transaction: all commit, or none and it throws. */
function runBatch(stmts: Stmt[], dieBeforeCommit = false): StmtResult[] {
  statement('BEGIN IMMEDIATE').run();
  try {
    const results = stmts.map(execute);
    // Tests only: the statements ran, the thread ends before COMMIT (a crash).
    if (dieBeforeCommit) process.exit(1);
    statement('COMMIT').run();
    return results;
  } catch (err) {
    if (db.inTransaction) statement('ROLLBACK').run();
    throw err;
  }
}

const checkpoints =
  role === 'checkpointer'
    ? setInterval(() => {
        try {
          statement('PRAGMA wal_checkpoint(PASSIVE)').all();
        } catch {
          // Tried again at the next tick; meanwhile the WAL only grows.
        }
      }, checkpointMs)
    : null;

// One batch at a time, in arrival order (the calls are synchronous), so replies come back in
// the order of the requests.
port.on('message', (msg: WriterRequest) => {
  if (msg.type === 'close') {
    if (checkpoints) clearInterval(checkpoints);
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { id: msg.id, ok: true, results: runBatch(unpackStmts(msg.stmts, msg.blobs), msg.dieBeforeCommit) };
  } catch (err) {
    reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});

/** The file a `file:` URL names, read as @libsql/client reads it (`file:x.db`, `file:/a/x.db`, `file:///a/x.db`). */
function fileOf(fileUrl: string): string {
  const path = decodeURIComponent(fileUrl.slice('file:'.length).split('?')[0]!);
  return path.startsWith('//') ? path.slice(2) : path;
}
