/**
 * A batch of plain SQL statements run in one write transaction, the way the board-document
 * statements (server/sync/documents.queries.ts) are run: on the writer thread for file databases
 * (doc-writer.ts), or on the shared client through Kysely otherwise (`runInTransaction`), so both
 * paths run exactly the same statements.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export type SqlValue = string | number | Uint8Array | null;
export interface Stmt {
  sql: string;
  args: SqlValue[];
  /**
   * The statement yields exactly one row (an `INSERT ... RETURNING` of one row, an aggregate):
   * the SQLite runner then fetches that row alone, a third cheaper than collecting a row list.
   */
  oneRow?: true;
}
export interface StmtResult {
  rows: Record<string, unknown>[];
  changes: number;
  lastInsertId: number;
}
/** Runs statements in one write transaction: all of them commit, or none and it rejects. */
export type RunBatch = (stmts: Stmt[]) => Promise<StmtResult[]>;

/** Board-document writes for a file database: loop-writer.ts (default) or doc-writer.ts (a thread). */
export interface DocWriter {
  /** Runs statements in one write transaction; resolves in request order. */
  run: RunBatch;
  /** Lets queued batches finish, then closes the connection (and its threads). */
  close(): Promise<void>;
  /** Tests only: runs `stmts` in a transaction, then dies before COMMIT, as a crash would. */
  crashDuring(stmts: Stmt[]): Promise<StmtResult[]>;
}

/** Runs a batch in one Kysely transaction on the shared client (remote databases, `:memory:`). */
export function runInTransaction(db: Kysely<Database>): RunBatch {
  return (stmts) =>
    db.transaction().execute(async (tx) => {
      const out: StmtResult[] = [];
      for (const s of stmts) {
        const r = await tx.executeQuery(CompiledQuery.raw(s.sql, s.args));
        out.push({ rows: r.rows as Record<string, unknown>[], changes: Number(r.numAffectedRows ?? 0n), lastInsertId: Number(r.insertId ?? 0n) });
      }
      return out;
    });
}
