/**
 * The board-document writer thread: its own libSQL connection to the app's file database,
 * running each batch of statements in one write transaction. The commit's fsync blocks this
 * thread only; the hub's event loop keeps reading sockets and relaying meanwhile.
 *
 * The same entry runs the checkpointer thread (`role: 'checkpointer'`): SQLite's automatic
 * checkpoint would make every ~1,000th page of commits copy the WAL into the database (and fsync
 * it) inside a commit, a stall every relayed edit of that batch waits for. The writer turns it
 * off; the checkpointer runs a PASSIVE checkpoint on its own connection every `checkpointMs`,
 * which never takes the write lock, so commits go on meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createClient, type InStatement, type ResultSet } from '@libsql/client';
import { FILE_DB_PRAGMAS } from '../db/file-pragmas.js';
import type { StmtResult } from './documents.queries.js';
import { unpackStmts, type WriterData, type WriterReply, type WriterRequest } from './doc-writer.protocol.js';

const port = parentPort!;
const { url, role, checkpointMs = 500 } = workerData as WriterData;
const client = createClient({ url, intMode: 'number', concurrency: 1 });
// A failure here ends the thread; the hub sees its pending writes fail.
for (const pragma of FILE_DB_PRAGMAS) await client.execute(pragma);
if (role === 'writer') await client.execute('PRAGMA wal_autocheckpoint = 0');
const checkpoints =
  role === 'checkpointer'
    ? setInterval(() => {
        // A failed checkpoint is tried again at the next tick; meanwhile the WAL only grows.
        client.execute('PRAGMA wal_checkpoint(PASSIVE)').catch(() => undefined);
      }, checkpointMs)
    : null;

function toResult(rs: ResultSet): StmtResult {
  const rows = rs.rows.map((row) => {
    const obj: Record<string, unknown> = {};
    rs.columns.forEach((col, i) => (obj[col] = row[i]));
    return obj;
  });
  return { rows, changes: rs.rowsAffected, lastInsertId: Number(rs.lastInsertRowid ?? 0) };
}

async function handle(msg: WriterRequest): Promise<void> {
  if (msg.type === 'close') {
    if (checkpoints) clearInterval(checkpoints);
    client.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    const stmts = unpackStmts(msg.stmts, msg.blobs) as InStatement[];
    if (msg.dieBeforeCommit) {
      const tx = await client.transaction('write');
      for (const s of stmts) await tx.execute(s);
      process.exit(1);
    }
    const results = await client.batch(stmts, 'write');
    reply = { id: msg.id, ok: true, results: results.map(toResult) };
  } catch (err) {
    reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
}

// One batch at a time, in arrival order, so replies come back in the order of the requests.
let chain = Promise.resolve();
port.on('message', (msg: WriterRequest) => {
  chain = chain.then(() => handle(msg));
});
