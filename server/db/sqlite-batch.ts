/**
 * Running a batch of board-document statements in one write transaction on a `libsql` driver
 * connection (the synchronous SQLite API that `@libsql/client` wraps), with every statement
 * prepared once and kept: through the client, each commit of one update cost ~3x the CPU (a
 * fresh prepare of BEGIN, the insert and COMMIT, and an exception thrown and caught for each).
 * Shared by the writer thread (doc-writer.worker.ts) and the event-loop writer (loop-writer.ts).
 */
import Database from 'libsql';
import { FILE_DB_PRAGMAS } from './file-pragmas.js';
import type { Stmt, StmtResult } from './batch.js';

/**
 * A connection to the file a `file:` URL names, with the app's pragmas; `overrides` run after
 * them (pragmas are per connection, so a writer can differ from the app's shared connection).
 */
export function openFileConnection(url: string, overrides: readonly string[] = []): Database.Database {
  const db = new Database(fileOf(url));
  for (const pragma of [...FILE_DB_PRAGMAS, ...overrides]) db.exec(pragma);
  return db;
}

export interface BatchRunner {
  /**
   * Runs `stmts` in one write transaction: all commit, or none and it throws. `beforeCommit`
   * (tests only) runs after the statements, before COMMIT: a crash point.
   */
  run(stmts: Stmt[], beforeCommit?: () => void): StmtResult[];
  /** Runs one statement outside any batch (the checkpointer's PRAGMA). */
  one(sql: string): StmtResult;
}

export function batchRunner(db: Database.Database): BatchRunner {
  const prepared = new Map<string, Database.Statement>();
  function statement(sql: string): Database.Statement {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql)));
    return s;
  }
  function execute({ sql, args }: Stmt): StmtResult {
    const s = statement(sql);
    if (s.reader) return { rows: s.all(args) as Record<string, unknown>[], changes: 0, lastInsertId: 0 };
    const r = s.run(args);
    return { rows: [], changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
  }
  return {
    run(stmts, beforeCommit) {
      // Not a kept statement: a BEGIN refused as busy would stay "in progress" on the
      // connection and make the next COMMIT fail.
      db.exec('BEGIN IMMEDIATE');
      try {
        const results = stmts.map(execute);
        beforeCommit?.();
        statement('COMMIT').run();
        return results;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
    one: (sql) => execute({ sql, args: [] }),
  };
}

/** The file a `file:` URL names, read as @libsql/client reads it (`file:x.db`, `file:/a/x.db`, `file:///a/x.db`). */
export function fileOf(fileUrl: string): string {
  const path = decodeURIComponent(fileUrl.slice('file:'.length).split('?')[0]!);
  return path.startsWith('//') ? path.slice(2) : path;
}

/** SQLite's "another connection holds the write lock" (SQLITE_BUSY, or its LOCKED cousin). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
