import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { Room } from './room.js';
import type { CompactionResult, CompactRequest, DocStorage } from './storage.js';

/** How long a board waits before trying again after its compaction was refused or failed. */
const COMPACT_RETRY_MS = 10_000;

export interface CompactorOptions {
  storage: Pick<DocStorage, 'compact'>;
  clock: Clock;
  log: Logger;
  /** One instance compacts a board at a time: a lease (always granted on a single instance). */
  lease(key: string, ms: number): Promise<boolean>;
  /** Compaction starts past max(afterBytes, snapshot / 2) bytes of log, or afterUpdates entries. */
  afterBytes: number;
  afterUpdates: number;
}

/**
 * Folds a room's update log into its snapshot, in the background. The snapshot is taken from
 * the room's stored state synchronously (it holds exactly the stored entries up to
 * `room.lastSeq`, so no read of storage is needed); only the write is asynchronous. Storage's
 * compare-and-set is the backstop against another instance that compacted or wrote meanwhile.
 */
export function createCompactor(opts: CompactorOptions) {
  const { storage, clock, log } = opts;
  const running = new Set<Promise<void>>();

  function compact(room: Room<unknown>, force = false): Promise<void> {
    if (room.compaction) return room.compaction;
    if (room.logCount === 0 || (!force && clock.now() < room.compactNotBefore)) return Promise.resolve();
    const retryLater = () => void (room.compactNotBefore = clock.now() + COMPACT_RETRY_MS);
    const p = opts
      .lease(`compact:${room.boardId}`, 60_000)
      .then(async (granted): Promise<{ skipped: true } | (CompactionResult & { req: CompactRequest; folded: number; skipped: false })> => {
        if (!granted) {
          retryLater();
          return { skipped: true };
        }
        // Taken synchronously after the lease: the stored state matches lastSeq and logCount now.
        const req = room.snapshotRequest();
        const folded = room.logBytes;
        const res = await storage.compact(room.boardId, req);
        return { ...res, req, folded, skipped: false };
      })
      .then(
        (res) => {
          if (res.skipped === true) return;
          if (res.compacted) return room.compacted(res.req, res.folded);
          // Another instance compacted or wrote this board: leave storage to it and retry later.
          retryLater();
          log.warn('compaction skipped: the stored document moved on', { boardId: room.boardId, baseSeq: res.req.baseSeq, uptoSeq: res.req.uptoSeq });
        },
        (err) => {
          retryLater();
          log.warn('compaction failed; the log is kept and retried later', { boardId: room.boardId, err });
        },
      )
      .finally(() => {
        room.compaction = null;
        running.delete(p);
      });
    room.compaction = p;
    running.add(p);
    return p;
  }

  return {
    /** Compacts now (`force`: even within the retry pause after a failure). */
    compact,
    /** Compacts when the log has grown past the thresholds. */
    maybe(room: Room<unknown>) {
      if (room.compaction || room.deleted) return;
      if (room.logBytes > Math.max(opts.afterBytes, room.snapshotBytes / 2) || room.logCount >= opts.afterUpdates) void compact(room);
    },
    get running() {
      return running.size;
    },
    /** Resolves once the compactions running now are done. */
    idle: () => Promise.all([...running]).then(() => undefined),
  };
}
