import type { SqlValue, Stmt, StmtResult } from './batch.js';

/** Messages between the hub's thread and the board-document writer thread. */
export interface WriterData {
  url: string;
  /**
   * `writer`: runs the batches it is sent (and never checkpoints on commit); `checkpointer`:
   * copies the WAL into the database every `checkpointMs`, beside the writer, off its commits.
   */
  role: 'writer' | 'checkpointer';
  checkpointMs?: number;
}

/** A blob argument: a range of the request's one transferred buffer. */
export interface BlobRef {
  at: number;
  len: number;
}
export interface WireStmt {
  sql: string;
  args: (Exclude<SqlValue, Uint8Array> | BlobRef)[];
  oneRow?: true;
}

export type WriterRequest =
  | {
      type: 'batch';
      id: number;
      stmts: WireStmt[];
      blobs: ArrayBuffer;
      /** Tests only: run the statements, then end the thread before COMMIT (a crash). */
      dieBeforeCommit?: boolean;
    }
  | { type: 'close' };

export type WriterReply = { id: number; ok: true; results: StmtResult[] } | { id: number; ok: false; error: string };

/** Copies every blob argument into one buffer that can be transferred rather than cloned. */
export function packStmts(stmts: Stmt[]): { stmts: WireStmt[]; blobs: ArrayBuffer } {
  let size = 0;
  for (const s of stmts) for (const a of s.args) if (a instanceof Uint8Array) size += a.byteLength;
  const blobs = new Uint8Array(size);
  let at = 0;
  const wire = stmts.map((s) => ({
    ...(s.oneRow ? { oneRow: s.oneRow } : {}),
    sql: s.sql,
    args: s.args.map((a) => {
      if (!(a instanceof Uint8Array)) return a;
      blobs.set(a, at);
      const ref = { at, len: a.byteLength };
      at += a.byteLength;
      return ref;
    }),
  }));
  return { stmts: wire, blobs: blobs.buffer };
}

export function unpackStmts(stmts: WireStmt[], blobs: ArrayBuffer): Stmt[] {
  return stmts.map((s) => ({
    ...(s.oneRow ? { oneRow: s.oneRow } : {}),
    sql: s.sql,
    args: s.args.map((a) => (a !== null && typeof a === 'object' ? new Uint8Array(blobs, a.at, a.len) : a)),
  }));
}
