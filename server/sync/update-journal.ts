/**
 * The board-update journal: an append-only file beside the database file where each accepted
 * update is written (one `write`, no SQLite transaction) before it is relayed, and from where
 * batches are folded into the database's update log a moment later (journaled-storage.ts).
 * Like the WAL without an fsync per commit (SYNC_FSYNC=checkpoint), a written record is in the
 * file before anyone sees the update, so kill -9 or a crash of Takeboard loses nothing; the file
 * is fsynced every `syncMs`, which bounds what a power loss can take.
 *
 * A record is `[u32 length][u32 crc32][payload]`, little-endian; a torn or corrupt record (a power
 * loss mid-write) ends the reading there: it and what follows were written within the last
 * fsync interval, which is what a power loss may take.
 */
import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import type { ShotChange } from '../history/shot-changes.js';

export interface JournalRecord {
  /**
   * The update's seq in the database log (doc_updates), given when it was journaled; 0 for a
   * record of shot history alone (typing stored by the hub's timer), whose `update` is empty.
   */
  seq: number;
  boardId: string;
  createdAt: number;
  update: Uint8Array;
  attributed?: { userId: string; changes: ShotChange[] };
}

export interface UpdateJournal {
  readonly path: string;
  /** Writes the records to the file, in one write; throws if the file cannot take them. */
  append(records: readonly JournalRecord[]): void;
  /** Every whole record in the file, in order. */
  readAll(): JournalRecord[];
  /** Empties the file (every record in it is in the database). */
  clear(): void;
  close(): Promise<void>;
}

const HEAD = 8;
/** seq, createdAt and three lengths. */
const MIN_PAYLOAD = 28;

/** The journal of the file database at `dbFile` (`<dbFile>-updates`). */
export function journalPathOf(dbFile: string): string {
  return `${dbFile}-updates`;
}

export function openJournal(path: string, syncMs = 500): UpdateJournal {
  const fd = fs.openSync(path, 'a+', 0o600);
  let dirty = false;
  let syncing: Promise<void> | null = null;
  const sync = () => {
    if (!dirty || syncing) return syncing ?? Promise.resolve();
    dirty = false;
    syncing = new Promise<void>((resolve) =>
      fs.fdatasync(fd, (err) => {
        // A failed fsync is tried again at the next tick with what came since.
        if (err) dirty = true;
        syncing = null;
        resolve();
      }),
    );
    return syncing;
  };
  const timer = setInterval(() => void sync(), syncMs);
  timer.unref();
  let size = fs.fstatSync(fd).size;
  let closed = false;

  return {
    path,
    append(records) {
      const buf = encodeRecords(records);
      try {
        let at = 0;
        while (at < buf.byteLength) at += fs.writeSync(fd, buf, at);
      } catch (err) {
        // A part written (a full disk) would end the reading there, hiding later records.
        fs.ftruncateSync(fd, size);
        throw err;
      }
      size += buf.byteLength;
      dirty = true;
    },
    readAll() {
      return decodeRecords(fs.readFileSync(path));
    },
    clear() {
      if (closed) return;
      fs.ftruncateSync(fd, 0);
      size = 0;
    },
    async close() {
      clearInterval(timer);
      // An fsync already running may have missed the last records: once more after it.
      while (dirty || syncing) await sync();
      closed = true;
      fs.closeSync(fd);
    },
  };
}

export function encodeRecords(records: readonly JournalRecord[]): Buffer {
  const payloads = records.map(encodePayload);
  const out = Buffer.allocUnsafe(payloads.reduce((n, p) => n + HEAD + p.byteLength, 0));
  let at = 0;
  for (const p of payloads) {
    out.writeUInt32LE(p.byteLength, at);
    out.writeUInt32LE(crc32(p), at + 4);
    out.set(p, at + HEAD);
    at += HEAD + p.byteLength;
  }
  return out;
}

/** Whole records from the start of `buf`, stopping at the first torn or corrupt one. */
export function decodeRecords(buf: Buffer): JournalRecord[] {
  const out: JournalRecord[] = [];
  let at = 0;
  while (at + HEAD <= buf.byteLength) {
    const len = buf.readUInt32LE(at);
    const end = at + HEAD + len;
    // Zeros (a file extended but never written) pass the CRC of an empty payload: too short.
    if (len < MIN_PAYLOAD || end > buf.byteLength) break;
    const payload = buf.subarray(at + HEAD, end);
    if (crc32(payload) !== buf.readUInt32LE(at + 4)) break;
    try {
      out.push(decodePayload(payload));
    } catch {
      break;
    }
    at = end;
  }
  return out;
}

// payload: f64 seq, f64 createdAt, u32 n + board id, u32 n + update, u32 n + attributed JSON (n = 0: none)
function encodePayload(r: JournalRecord): Buffer {
  const board = Buffer.from(r.boardId, 'utf8');
  const attributed = r.attributed ? Buffer.from(JSON.stringify(r.attributed), 'utf8') : Buffer.alloc(0);
  const p = Buffer.allocUnsafe(16 + 12 + board.byteLength + r.update.byteLength + attributed.byteLength);
  let at = p.writeDoubleLE(r.seq, 0);
  at = p.writeDoubleLE(r.createdAt, at);
  for (const part of [board, r.update, attributed]) {
    at = p.writeUInt32LE(part.byteLength, at);
    p.set(part, at);
    at += part.byteLength;
  }
  return p;
}

function decodePayload(p: Buffer): JournalRecord {
  const seq = p.readDoubleLE(0);
  const createdAt = p.readDoubleLE(8);
  let at = 16;
  const part = () => {
    const n = p.readUInt32LE(at);
    const bytes = p.subarray(at + 4, at + 4 + n);
    at += 4 + n;
    return bytes;
  };
  const boardId = part().toString('utf8');
  // A copy: the record outlives the file buffer it was read from.
  const update = new Uint8Array(part());
  const attributed = part();
  return { seq, boardId, createdAt, update, ...(attributed.byteLength > 0 ? { attributed: JSON.parse(attributed.toString('utf8')) } : {}) };
}
