import type { DocWriter, Stmt, StmtResult } from './batch.js';
import { batchRunner, isBusy } from './sqlite-batch.js';
import { startCheckpointer } from './writer-thread.js';

/** How long a batch keeps trying while other connections hold the write lock before it fails. */
const LOCKED_FOR_MS = 10_000;

/**
 * `SYNC_FSYNC=checkpoint` (the default): board-document writes on the event loop's own
 * connection to the file, with `synchronous = NORMAL`. A commit is then a write into the WAL
 * (no fsync), so an edit is in the database file before it is relayed and survives kill -9 or
 * any crash of Takeboard itself; the checkpointer thread fsyncs the WAL at its next checkpoint
 * (every 500 ms), which bounds what a power loss or kernel crash can take. `SYNC_FSYNC=commit`
 * (doc-writer.ts) fsyncs every commit instead, on a writer thread: ~4x the CPU per commit with
 * its two thread hops (measured in the sync bench), and the fsync's wait in every relay.
 *
 * The lock is never waited for on the event loop (busy timeout 0): a batch that finds another
 * connection writing (the app's shared connection in an interactive transaction, which needs
 * this very loop to finish; another instance) tries again on a timer, and later batches queue
 * behind it, so batches still commit in request order.
 */
export function createLoopWriter(url: string): DocWriter {
  const runner = batchRunner(url, ['PRAGMA synchronous = NORMAL', 'PRAGMA wal_autocheckpoint = 0', 'PRAGMA busy_timeout = 0']);
  const checkpointer = startCheckpointer(url);
  const queue: Array<{ stmts: Stmt[]; crash: boolean; since: number; resolve(r: StmtResult[]): void; reject(e: Error): void }> = [];
  let retry: NodeJS.Timeout | null = null;
  let backoffMs = 1;
  let closing: Promise<void> | null = null;
  let drained: (() => void) | null = null;

  /** Runs queued batches in order until one finds the lock taken (then a timer tries again). */
  function drain() {
    retry = null;
    while (queue.length > 0) {
      const head = queue[0]!;
      try {
        checkpointer.ensure();
        const results = runner.run(head.stmts, head.crash ? crash : undefined);
        queue.shift();
        backoffMs = 1;
        head.resolve(results);
      } catch (err) {
        if (isBusy(err) && !head.crash && Date.now() - head.since < LOCKED_FOR_MS) {
          retry = setTimeout(drain, backoffMs);
          backoffMs = Math.min(backoffMs * 2, 32);
          return;
        }
        queue.shift();
        head.reject(new Error(`board document write failed: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
    drained?.();
  }

  /** Tests only: the batch ends before COMMIT and its connection goes, as in a crash. */
  function crash(): never {
    throw new Error('the board document writer stopped (crash before commit)');
  }

  function enqueue(stmts: Stmt[], crash: boolean): Promise<StmtResult[]> {
    if (closing) return Promise.reject(new Error('the board document writer is closed'));
    return new Promise((resolve, reject) => {
      queue.push({ stmts, crash, since: Date.now(), resolve, reject });
      if (queue.length === 1 && !retry) drain();
    });
  }

  return {
    run: (stmts) => enqueue(stmts, false),
    crashDuring: (stmts) => enqueue(stmts, true),
    close() {
      closing ??= (async () => {
        if (queue.length > 0) await new Promise<void>((resolve) => (drained = resolve));
        runner.close();
        await checkpointer.close();
      })();
      return closing;
    },
  };
}
