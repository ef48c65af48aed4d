import type { AppendItem, DocStorage } from './storage.js';

export interface PendingWrite extends AppendItem {
  /** Called in arrival order once the batch holding this write is durable, with its seq. */
  stored(seq: number): void;
  failed(err: unknown): void;
  /**
   * True when this write must no longer be stored: an earlier write it builds on failed. Asked
   * when its batch is formed; such a write fails instead, so storage never holds an update
   * whose predecessors it lacks (a gap no later update could be applied past).
   */
  abandoned?(): boolean;
}

/**
 * Group commit: writes that arrive while a batch is being stored wait and go together in the
 * next one, so a burst costs one transaction (one fsync) instead of one per update, and a lone
 * update waits only for the current batch, not for a timer. With the libSQL file storage the
 * batch is written on another thread, so the next one keeps forming while this one commits.
 */
export function createWriteBuffer(storage: DocStorage) {
  const queue: PendingWrite[] = [];
  let inflight: Promise<void> | null = null;
  let scheduled = false;
  const idleWaiters: (() => void)[] = [];

  const schedule = () => {
    if (scheduled || inflight || queue.length === 0) return;
    scheduled = true;
    // setImmediate lets messages already read from sockets in this turn join the batch.
    setImmediate(run);
  };

  const run = () => {
    scheduled = false;
    if (inflight || queue.length === 0) return;
    const batch: PendingWrite[] = [];
    for (const w of queue.splice(0)) {
      if (w.abandoned?.()) w.failed(new Error('an earlier write of this board failed'));
      else batch.push(w);
    }
    if (batch.length === 0) return settle();
    inflight = storage
      .append(batch)
      .then((seqs) => {
        if (seqs.length !== batch.length) throw new Error(`storage returned ${seqs.length} seqs for ${batch.length} updates`);
        return seqs;
      })
      .then(
        (seqs) => batch.forEach((w, i) => w.stored(seqs[i]!)),
        (err) => {
          for (const w of batch) w.failed(err);
        },
      )
      .finally(() => {
        inflight = null;
        settle();
      });
  };

  const settle = () => {
    if (queue.length > 0) schedule();
    else while (idleWaiters.length) idleWaiters.shift()!();
  };

  return {
    push(write: PendingWrite) {
      queue.push(write);
      schedule();
    },
    get pending() {
      return queue.length + (inflight ? 1 : 0);
    },
    /** Resolves once everything pushed so far is stored (or failed). */
    idle(): Promise<void> {
      if (!inflight && queue.length === 0 && !scheduled) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
