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

export interface BatchRunner {
  /**
   * Runs `stmts` in one write transaction: all commit, or none and it throws. `beforeCommit`
   * (tests only) runs after the statements, before COMMIT: a crash point.
   */
  run(stmts: Stmt[], beforeCommit?: () => void): StmtResult[];
  /** Runs one statement outside any batch (the checkpointer's PRAGMA). */
  one(sql: string): StmtResult;
  close(): void;
}

/**
 * A runner over its own connection to the file a `file:` URL names, with the app's pragmas and
 * then `overrides` (pragmas are per connection, so a writer can differ from the app's shared
 * connection). After any failure the connection is closed and the next call opens a new one:
 * the driver leaves a statement that failed "in progress" (it has no reset), and SQLite then
 * refuses every later COMMIT on that connection.
 */
export function batchRunner(url: string, overrides: readonly string[] = []): BatchRunner {
  /** Each prepared statement with whether it returns rows (asked once: each ask is a call into the driver). */
  let conn: { db: Database.Database; prepared: Map<string, { s: Database.Statement; reader: boolean }> } | null = null;

  function open() {
    if (!conn) {
      const db = new Database(fileOf(url));
      for (const pragma of [...FILE_DB_PRAGMAS, ...overrides]) db.exec(pragma);
      conn = { db, prepared: new Map() };
    }
    return conn;
  }
  function execute({ sql, args, oneRow }: Stmt): StmtResult {
    const { db, prepared } = open();
    let p = prepared.get(sql);
    if (!p) {
      const s = db.prepare(sql);
      prepared.set(sql, (p = { s, reader: s.reader }));
    }
    if (oneRow) {
      const row = p.s.get(args) as Record<string, unknown> | undefined;
      if (!row) throw new Error(`expected one row, got none: ${sql.slice(0, 60)}`);
      return { rows: [row], changes: 0, lastInsertId: 0 };
    }
    if (p.reader) return { rows: p.s.all(args) as Record<string, unknown>[], changes: 0, lastInsertId: 0 };
    const r = p.s.run(args);
    return { rows: [], changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
  }
  function close() {
    const closing = conn;
    conn = null;
    closing?.db.close();
  }
  function failed(err: unknown): never {
    // Rolled back first: the driver closes a connection for good only once its statements are
    // collected, and until then an open transaction would keep the write lock. A rollback that
    // fails too (the connection is gone) must not hide why the batch failed.
    try {
      if (conn?.db.inTransaction) conn.db.exec('ROLLBACK');
    } catch {
      // closed below either way
    }
    try {
      close();
    } catch {
      // the next call opens a new connection
    }
    throw err;
  }

  return {
    run(stmts, beforeCommit) {
      try {
        // One statement is its own transaction (autocommit): all or nothing as well, and one
        // call into SQLite instead of three (~15% of a lone commit's CPU, measured cold).
        if (stmts.length === 1 && !beforeCommit) return [execute(stmts[0]!)];
        open().db.exec('BEGIN IMMEDIATE');
        const results = stmts.map(execute);
        beforeCommit?.();
        execute({ sql: 'COMMIT', args: [] });
        return results;
      } catch (err) {
        return failed(err);
      }
    },
    one(sql) {
      try {
        return execute({ sql, args: [] });
      } catch (err) {
        return failed(err);
      }
    },
    close,
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
