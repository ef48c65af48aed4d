import { Worker } from 'node:worker_threads';
import { runsFromSource } from '../lib/layout.js';
import type { WriterData, WriterRequest } from './doc-writer.protocol.js';

/** A thread running doc-writer.worker.ts in `data.role`. */
export function writerThread(data: WriterData): Worker {
  // From source the thread must register tsx before loading its TypeScript entry (the boot
  // file); compiled, it loads the JavaScript entry directly.
  const entry = runsFromSource(import.meta.url) ? './doc-writer.boot.mjs' : './doc-writer.worker.js';
  return new Worker(new URL(entry, import.meta.url), { workerData: data, execArgv: [] });
}

export interface Checkpointer {
  /** Starts the thread again if it died (a writer calls this on each write). */
  ensure(): void;
  /** Stops the thread and waits until it has exited. */
  close(): Promise<void>;
}

/**
 * The WAL checkpointer thread of a file database (see doc-writer.worker.ts): started at once,
 * and again by the next write after it died. It holds no request, so a thread that dies (or
 * never opened) only leaves the WAL growing until then; an idle one does not keep the process alive.
 */
export function startCheckpointer(url: string): Checkpointer {
  let thread: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let closed = false;
  function spawn() {
    const c = writerThread({ url, role: 'checkpointer' });
    c.on('error', () => undefined);
    exited = new Promise((resolve) =>
      c.once('exit', () => {
        if (thread === c) thread = null;
        resolve();
      }),
    );
    c.unref();
    thread = c;
  }
  spawn();
  return {
    ensure() {
      if (!thread && !closed) spawn();
    },
    async close() {
      closed = true;
      // Held until it has exited: an unref'd thread would let the process end (code 0) while
      // a shutdown still awaits it, before the rest of the shutdown ran.
      thread?.ref();
      thread?.postMessage({ type: 'close' } satisfies WriterRequest);
      await exited;
    },
  };
}
