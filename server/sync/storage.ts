import type { ShotChange } from '../history/shot-changes.js';

/**
 * Where board documents live: an append log of Yjs updates, each with a sequence number, plus
 * one snapshot per board that folds in every log entry up to its `uptoSeq`. Loading is the
 * snapshot and the entries after it. Three implementations (libSQL, PostgreSQL, memory) pass one
 * contract suite (test/sync/storage.contract.ts).
 */
export interface StoredDoc {
  /** Snapshot first (if any), then log entries in order. Applying them all gives the document. */
  parts: Uint8Array[];
  /** Stored bytes of this board: snapshot + log. */
  bytes: number;
  /** Log entries after the snapshot. */
  logCount: number;
  /** The snapshot's `uptoSeq`; 0 when there is none. */
  snapshotSeq: number;
  snapshotBytes: number;
  /** Seq of the last log entry loaded (`snapshotSeq` when the log is empty). */
  lastSeq: number;
}

export interface AppendItem {
  boardId: string;
  /** null: only shot history to store (typing that paused), no log entry; its seq is 0. */
  update: Uint8Array | null;
  /**
   * What the update changed on shots and who sent it: recorded with the update, in its
   * transaction, as the shot history (server/history). The libSQL and PostgreSQL storages keep it.
   */
  attributed?: { userId: string; changes: ShotChange[] };
}

/**
 * A snapshot to store in place of the log up to `uptoSeq`. The caller's document holds exactly
 * the stored snapshot at `baseSeq` plus the `logCount` entries in (baseSeq, uptoSeq].
 */
export interface CompactRequest {
  snapshot: Uint8Array;
  baseSeq: number;
  uptoSeq: number;
  logCount: number;
}

export interface CompactionResult {
  /** False when the stored document moved on (another compaction, entries the caller lacks). */
  compacted: boolean;
  /** Stored bytes of the board afterwards. */
  bytesAfter: number;
}

export interface DocStorage {
  load(boardId: string): Promise<StoredDoc>;
  /**
   * Appends every item durably in one transaction: all are stored, or none and it rejects.
   * Resolves with each item's seq, in item order (increasing).
   */
  append(items: AppendItem[]): Promise<number[]>;
  /**
   * Stores `snapshot` and drops the log entries it folds in, in one transaction, only if the
   * stored snapshot is still at `baseSeq` and the log holds exactly `logCount` entries in
   * (baseSeq, uptoSeq]: so a concurrent compaction never lowers the snapshot or loses entries,
   * and a crash at any point leaves the old snapshot and log standing.
   */
  compact(boardId: string, req: CompactRequest): Promise<CompactionResult>;
  delete(boardId: string): Promise<void>;
  /**
   * Resolves once every appended update is where other readers of the database see it: a
   * journaling storage folds what waits (journaled-storage.ts); others need not have it.
   */
  flush?(): Promise<void>;
  /** Releases what the storage holds (a writer thread); pending calls finish first. */
  close?(): Promise<void>;
}

/** What loading a board with nothing stored gives. */
export function emptyDoc(): StoredDoc {
  return { parts: [], bytes: 0, logCount: 0, snapshotSeq: 0, snapshotBytes: 0, lastSeq: 0 };
}
