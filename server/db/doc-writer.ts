import { Worker } from 'node:worker_threads';
import { runsFromSource } from '../lib/layout.js';
import type { RunBatch, Stmt, StmtResult } from './batch.js';
import { packStmts, type WriterData, type WriterReply, type WriterRequest } from './doc-writer.protocol.js';

/** Board-document writes for a file database, on a thread of their own. */
export interface DocWriter {
  /** Runs statements in one write transaction on the writer thread; resolves in request order. */
  run: RunBatch;
  /** Lets queued batches finish, then closes the connection and ends the thread. */
  close(): Promise<void>;
  /** Tests only: runs `stmts` in a transaction, then ends the thread before COMMIT. */
  crashDuring(stmts: Stmt[]): Promise<StmtResult[]>;
}

/**
 * A writer thread with its own libSQL connection to the same file (WAL allows it), so that a
 * group commit's fsync blocks that thread instead of the event loop, and the next batch forms
 * while the current one is written. The thread starts at once (it takes a few hundred ms to
 * load, which the first edit should not wait for). If it dies, every batch it held fails (never
 * silently: the hub then resyncs those boards' clients) and the next write starts a new one.
 * An idle thread does not keep the process alive.
 */
export function createDocWriter(url: string): DocWriter {
  let worker: Worker | null = null;
  /** The WAL checkpointer thread (doc-writer.worker.ts), started with the writer and again after it died. */
  let checkpointer: Worker | null = null;
  let checkpointerExited: Promise<void> = Promise.resolve();
  let exited: Promise<void> = Promise.resolve();
  let closing: Promise<void> | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(r: StmtResult[]): void; reject(e: Error): void }>();

  function spawn(): Worker {
    const w = thread({ url, role: 'writer' });
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

  function spawnCheckpointer(): Worker {
    const c = thread({ url, role: 'checkpointer' });
    // It holds no request: a thread that dies (or never opened) only leaves the WAL growing
    // until the next write starts another.
    c.on('error', () => undefined);
    checkpointerExited = new Promise((resolve) =>
      c.once('exit', () => {
        if (checkpointer === c) checkpointer = null;
        resolve();
      }),
    );
    c.unref();
    return c;
  }

  function send(stmts: Stmt[], dieBeforeCommit = false): Promise<StmtResult[]> {
    if (closing) return Promise.reject(new Error('the board document writer is closed'));
    checkpointer ??= spawnCheckpointer();
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
  checkpointer = spawnCheckpointer();
  return {
    run: (stmts) => send(stmts),
    crashDuring: (stmts) => send(stmts, true),
    close() {
      closing ??= (async () => {
        // Held until it has exited: an unref'd thread would let the process end (code 0) while
        // a shutdown still awaits it, before the rest of the shutdown ran.
        checkpointer?.ref();
        checkpointer?.postMessage({ type: 'close' } satisfies WriterRequest);
        await closeWriter();
        await checkpointerExited;
      })();
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

/** A thread running doc-writer.worker.ts in `data.role`. */
function thread(data: WriterData): Worker {
  // From source the thread must register tsx before loading its TypeScript entry (the boot
  // file); compiled, it loads the JavaScript entry directly.
  const entry = runsFromSource(import.meta.url) ? './doc-writer.boot.mjs' : './doc-writer.worker.js';
  return new Worker(new URL(entry, import.meta.url), { workerData: data, execArgv: [] });
}
