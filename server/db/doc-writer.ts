import type { Worker } from 'node:worker_threads';
import type { DocWriter, Stmt, StmtResult } from './batch.js';
import { packStmts, type WriterReply, type WriterRequest } from './doc-writer.protocol.js';
import { startCheckpointer, writerThread } from './writer-thread.js';

/**
 * `SYNC_FSYNC=commit`: board-document writes on a thread of their own, with its own libSQL
 * connection to the same file (WAL allows it), so that a group commit's fsync blocks that
 * thread instead of the event loop, and the next batch forms
 * while the current one is written. The thread starts at once (it takes a few hundred ms to
 * load, which the first edit should not wait for). If it dies, every batch it held fails (never
 * silently: the hub then resyncs those boards' clients) and the next write starts a new one.
 * An idle thread does not keep the process alive.
 */
export function createDocWriter(url: string): DocWriter {
  let worker: Worker | null = null;
  const checkpointer = startCheckpointer(url);
  let exited: Promise<void> = Promise.resolve();
  let closing: Promise<void> | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(r: StmtResult[]): void; reject(e: Error): void }>();

  function spawn(): Worker {
    const w = writerThread({ url, role: 'writer' });
    let failure: Error | null = null;
    w.on('message', (m: WriterReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if (m.ok) p.resolve(m.results);
      else p.reject(new Error(`board document write failed: ${m.error}`));
    });
    w.on('error', (err) => (failure = err));
    exited = new Promise((resolve) =>
      w.once('exit', (code) => {
        if (worker === w) worker = null;
        // Only this thread's batches can be pending: a new one starts after this runs.
        const err = new Error(`the board document writer stopped (${failure?.message ?? `exit code ${code}`})`);
        for (const p of pending.values()) p.reject(err);
        pending.clear();
        resolve();
      }),
    );
    w.unref();
    return w;
  }

  function send(stmts: Stmt[], dieBeforeCommit = false): Promise<StmtResult[]> {
    if (closing) return Promise.reject(new Error('the board document writer is closed'));
    checkpointer.ensure();
    const w = (worker ??= spawn());
    const { stmts: wire, blobs } = packStmts(stmts);
    const id = nextId++;
    const msg: WriterRequest = { type: 'batch', id, stmts: wire, blobs, ...(dieBeforeCommit ? { dieBeforeCommit } : {}) };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage(msg, [blobs]);
    });
  }

  worker = spawn();
  return {
    run: (stmts) => send(stmts),
    crashDuring: (stmts) => send(stmts, true),
    close() {
      closing ??= Promise.all([closeWriter(), checkpointer.close()]).then(() => undefined);
      return closing;
    },
  };

  async function closeWriter() {
    const w = worker;
    if (!w) return;
    w.ref();
    // Queued batches run before the close message: the thread handles messages in order.
    w.postMessage({ type: 'close' } satisfies WriterRequest);
    const stuck = setTimeout(() => void w.terminate(), 10_000);
    await exited;
    clearTimeout(stuck);
  }
}
