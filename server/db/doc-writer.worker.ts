/**
 * The board-document writer thread (`SYNC_FSYNC=commit`): its own connection to the app's file
 * database, running each batch of statements in one write transaction. The commit's fsync
 * blocks this thread only; the hub's event loop keeps reading sockets and relaying meanwhile.
 *
 * The same entry runs the checkpointer thread (`role: 'checkpointer'`, started by
 * checkpointer.ts for either writer): SQLite's automatic checkpoint would make every ~1,000th
 * page of commits copy the WAL into the database (and fsync it) inside a commit, a stall every
 * relayed edit of that batch waits for. Writers turn it off; the checkpointer runs a PASSIVE
 * checkpoint on its own connection every `checkpointMs`, which never takes the write lock, so
 * commits go on meanwhile. Its connection syncs FULL, so each checkpoint first fsyncs the WAL:
 * that is what bounds what a power loss can take under `SYNC_FSYNC=checkpoint`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { batchRunner } from './sqlite-batch.js';
import { unpackStmts, type WriterData, type WriterReply, type WriterRequest } from './doc-writer.protocol.js';

const port = parentPort!;
const { url, role, checkpointMs = 500 } = workerData as WriterData;
const runner = batchRunner(url, role === 'writer' ? ['PRAGMA wal_autocheckpoint = 0'] : []);
// Opened now: a failure here ends the thread, and the hub sees its pending writes fail.
runner.one('PRAGMA user_version');

const checkpoints =
  role === 'checkpointer'
    ? setInterval(() => {
        try {
          runner.one('PRAGMA wal_checkpoint(PASSIVE)');
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
    runner.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    // Tests only: the statements ran, the thread ends before COMMIT (a crash).
    const crash = msg.dieBeforeCommit ? () => process.exit(1) : undefined;
    reply = { id: msg.id, ok: true, results: runner.run(unpackStmts(msg.stmts, msg.blobs), crash) };
  } catch (err) {
    reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
