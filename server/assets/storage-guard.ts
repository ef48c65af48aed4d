import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import { formatBytes } from '../lib/bytes.js';
import { storageUsage } from './usage.queries.js';

/**
 * What keeps one user (or one board) from filling the host for everyone: per-user and per-board
 * quotas counted from the assets table, and a free-space reserve on the data volume that
 * uploads, exports and generations never eat into, so live edits (a few bytes each, stored by
 * the sync hub, which never asks here) keep being stored on every board.
 */
export interface StorageGuardOptions {
  /** Bytes one user's assets may take across all boards; 0 = no quota. */
  userQuotaBytes: number;
  /** Bytes one board's assets may take; 0 = no quota. */
  boardQuotaBytes: number;
  /** Free bytes the data volume keeps for the database; uploads and renders stop above it. */
  reserveBytes: number;
  /** Free bytes on the data volume now; absent = not checked (an S3 store, or tests). */
  freeBytes?: () => Promise<number>;
}

export const DEFAULT_QUOTAS = { userQuotaBytes: 10 * 1024 ** 3, boardQuotaBytes: 20 * 1024 ** 3 } as const;
/** The reserve when DISK_RESERVE_BYTES is unset: 1 GB, or 5% of a volume smaller than 20 GB. */
export const DEFAULT_RESERVE = { bytes: 1024 ** 3, fraction: 0.05 } as const;

export interface Writer {
  userId: string;
  boardId: string;
}

export interface Room {
  /** Bytes this writer may still store (Infinity when nothing limits it). */
  bytes: number;
  /** The refusal for a file of `bytes` that does not fit (507, naming the quota or the disk). */
  refusal(bytes: number): AppError;
}

export interface StorageGuard {
  /** How much `who` may store right now, and what to say when a file does not fit. */
  room(who: Writer): Promise<Room>;
  /** Throws the 507 when `bytes` more (or, with 0, anything at all) would not fit. */
  assertRoom(who: Writer, bytes?: number): Promise<void>;
}

const ASK_FOR_MORE = 'Ask whoever runs this server for more room.';

export function createStorageGuard(db: Kysely<Database>, opts: StorageGuardOptions): StorageGuard {
  async function room(who: Writer): Promise<Room> {
    const usage = await storageUsage(db, who.userId, who.boardId);
    const free = opts.freeBytes ? await opts.freeBytes() : Infinity;
    const limits = [
      {
        left: opts.userQuotaBytes > 0 ? opts.userQuotaBytes - usage.userBytes : Infinity,
        say: () => `Your files use ${formatBytes(usage.userBytes)} of your ${formatBytes(opts.userQuotaBytes)} quota`,
        then: ASK_FOR_MORE,
      },
      {
        left: opts.boardQuotaBytes > 0 ? opts.boardQuotaBytes - usage.boardBytes : Infinity,
        say: () => `This board's files use ${formatBytes(usage.boardBytes)} of its ${formatBytes(opts.boardQuotaBytes)} quota`,
        then: ASK_FOR_MORE,
      },
      {
        left: free - opts.reserveBytes,
        say: () =>
          `Storage full: the server keeps its last ${formatBytes(opts.reserveBytes)} free so live edits keep being saved`,
        then: 'Uploads, exports and generations are paused until whoever runs this server frees space.',
      },
    ];
    const tightest = limits.reduce((a, b) => (b.left < a.left ? b : a));
    const bytes = Math.max(0, tightest.left);
    return {
      bytes,
      refusal(needed) {
        const short = needed > 0 && bytes > 0 ? `: this one needs ${formatBytes(needed)}, only ${formatBytes(bytes)} remain` : '';
        return new AppError('storage_full', `${tightest.say()}${short}. ${tightest.then}`, { details: { leftBytes: bytes } });
      },
    };
  }
  return {
    room,
    async assertRoom(who, bytes = 0) {
      const r = await room(who);
      if (r.bytes <= 0 || bytes > r.bytes) throw r.refusal(bytes);
    },
  };
}

/** Free bytes on the volume holding `dir` (what an unprivileged process may still write). */
export function volumeFreeBytes(dir: string): () => Promise<number> {
  return async () => {
    const s = await fs.statfs(dir);
    return s.bavail * s.bsize;
  };
}

/** The default reserve for the volume holding `dir`: DEFAULT_RESERVE, smaller on a small volume. */
export async function defaultReserveBytes(dir: string): Promise<number> {
  const s = await fs.statfs(dir);
  return Math.min(DEFAULT_RESERVE.bytes, Math.floor(s.blocks * s.bsize * DEFAULT_RESERVE.fraction));
}
