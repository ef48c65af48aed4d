/**
 * Where board documents live: an append log of Yjs updates plus one compacted snapshot per
 * board. Two implementations (libSQL, memory) pass one contract suite.
 */
export interface StoredDoc {
  /** Snapshot first (if any), then log entries in order. Applying them all gives the document. */
  parts: Uint8Array[];
  /** Stored bytes of this board: snapshot + log. */
  bytes: number;
  logCount: number;
}

export interface AppendItem {
  boardId: string;
  update: Uint8Array;
}

export interface CompactionResult {
  compacted: boolean;
  bytesBefore: number;
  bytesAfter: number;
}

export interface DocStorage {
  load(boardId: string): Promise<StoredDoc>;
  /** Appends every item durably in one transaction: all are stored, or none and it throws. */
  append(items: AppendItem[]): Promise<void>;
  /**
   * Folds the snapshot and the log up to now into a new snapshot. `merge` turns the parts into
   * one update. Safe against a concurrent compaction of the same board (one of them wins) and
   * against a crash at any point (the old snapshot and log stay until the new one commits).
   */
  compact(boardId: string, merge: (parts: Uint8Array[]) => Uint8Array): Promise<CompactionResult>;
  delete(boardId: string): Promise<void>;
}
