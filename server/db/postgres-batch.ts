import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { RunBatch, StmtResult } from './batch.js';
import type { Database } from './schema.js';

/**
 * The board-document statements (server/sync/documents.queries.ts) are written once, with
 * SQLite's `?` and `?N` placeholders, because the libSQL writer thread runs them as they are.
 * PostgreSQL numbers its parameters `$N`: the same statements, renumbered. None of them holds a
 * `?` inside a string literal.
 */
export function toPostgresPlaceholders(text: string): string {
  let next = 0;
  return text.replace(/\?(\d+)?/g, (_, n: string | undefined) => `$${n ?? ++next}`);
}

/**
 * Key of the advisory lock every board-document write transaction takes first. PostgreSQL hands
 * out sequence numbers before commit, so two writers could commit seq 12 before seq 11, and a
 * compaction folding up to 12 would never see 11. Taking one lock makes document writes commit
 * one at a time across every instance, in seq order, as SQLite's single writer does; reads never wait.
 */
const DOCUMENT_WRITES_LOCK = 0x7b0a_4d0c;

/** Runs a batch in one PostgreSQL transaction: all of it commits before the promise resolves, or none and it rejects. */
export function runOnPostgres(db: Kysely<Database>): RunBatch {
  return (stmts) =>
    db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${DOCUMENT_WRITES_LOCK})`.execute(tx);
      const out: StmtResult[] = [];
      for (const s of stmts) {
        const r = await tx.executeQuery(CompiledQuery.raw(toPostgresPlaceholders(s.sql), s.args));
        out.push({ rows: r.rows as Record<string, unknown>[], changes: Number(r.numAffectedRows ?? 0n), lastInsertId: 0 });
      }
      return out;
    });
}
