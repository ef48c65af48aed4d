import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RunBatch, SqlValue, Stmt, StmtResult } from '../db/batch.js';
import { DELETE_BOARD_CHANGES, recordChangeStmts } from '../history/shot-changes.queries.js';
import type { AppendItem, CompactionResult, CompactRequest, StoredDoc } from './storage.js';
import type { JournalRecord } from './update-journal.js';

/**
 * The board-document statements, as plain SQL with positional arguments, so that the writer
 * thread (file databases), the in-thread path (libsql:// and http databases, through Kysely) and
 * PostgreSQL (renumbered to $N by db/postgres-batch.ts) run exactly the same thing: SQL both
 * engines read alike. Tables come from the board_documents migration.
 */
/** RETURNING: the seq is read the same way on both engines (PostgreSQL has no last insert id). */
const INSERT_UPDATE = 'INSERT INTO doc_updates (board_id, data, created_at) VALUES (?, ?, ?) RETURNING seq';

/** A journaled update, under the seq it was given when journaled (update-journal.ts; SQLite only). */
const INSERT_UPDATE_AT = 'INSERT INTO doc_updates (seq, board_id, data, created_at) VALUES (?, ?, ?, ?)';

/** The highest seq the log holds, stored or folded into a snapshot (SQLite only). */
export const LAST_SEQ = `SELECT max(coalesce((SELECT max(seq) FROM doc_updates), 0), coalesce((SELECT max(upto_seq) FROM doc_snapshots), 0)) AS seq`;

/**
 * Sets the log's AUTOINCREMENT mark (SQLite only) to at least `?1`: anyone appending without a
 * seq then gets one past it, never a seq a journal (journaled-storage.ts) has reserved.
 */
export const reserveSeqs = (top: number): Stmt[] => [
  { sql: "INSERT INTO sqlite_sequence (name, seq) SELECT 'doc_updates', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'doc_updates')", args: [] },
  { sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'doc_updates'", args: [top] },
];

/**
 * A journaled update not in the log yet: neither there nor folded into its board's snapshot
 * (compaction drops what it folds in). ?1 seq ?2 board.
 */
export const JOURNALED_MISSING = `SELECT (NOT EXISTS (SELECT 1 FROM doc_updates WHERE seq = ?1)
  AND ?1 > coalesce((SELECT upto_seq FROM doc_snapshots WHERE board_id = ?2), 0)) AS missing`;

/**
 * Writes the snapshot only when the stored one is still at the base the caller built on
 * (compare-and-set; absent counts as 0) and the log holds exactly the entries the caller folded
 * in: anything else in that range came from elsewhere, and dropping it would lose it.
 * ?1 board, ?2 data, ?3 upto, ?4 now, ?5 base, ?6 count.
 */
const CAS_SNAPSHOT = `INSERT INTO doc_snapshots (board_id, data, upto_seq, updated_at)
SELECT ?1, ?2, ?3, ?4
WHERE coalesce((SELECT upto_seq FROM doc_snapshots WHERE board_id = ?1), 0) = ?5
  AND (SELECT count(*) FROM doc_updates WHERE board_id = ?1 AND seq > ?5 AND seq <= ?3) = ?6
ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq, updated_at = excluded.updated_at
WHERE doc_snapshots.upto_seq = ?5`;

/** Drops what the stored snapshot covers, whoever wrote it: those entries are never read again. */
const DROP_FOLDED = `DELETE FROM doc_updates
WHERE board_id = ?1 AND seq <= coalesce((SELECT upto_seq FROM doc_snapshots WHERE board_id = ?1), 0)`;

const STORED_BYTES = `SELECT
  coalesce((SELECT length(data) FROM doc_snapshots WHERE board_id = ?1), 0)
  + coalesce((SELECT sum(length(data)) FROM doc_updates
      WHERE board_id = ?1 AND seq > coalesce((SELECT upto_seq FROM doc_snapshots WHERE board_id = ?1), 0)), 0) AS bytes`;

/**
 * Snapshot and log after it in one statement, so one read transaction sees both: two reads
 * could straddle a compaction and miss the entries it folded in.
 */
const loadDocQuery = (boardId: string) => sql<{ part: number; seq: number; data: Uint8Array }>`
SELECT 0 AS part, upto_seq AS seq, data FROM doc_snapshots WHERE board_id = ${boardId}
UNION ALL
SELECT 1 AS part, seq, data FROM doc_updates
WHERE board_id = ${boardId} AND seq > coalesce((SELECT upto_seq FROM doc_snapshots WHERE board_id = ${boardId}), 0)
ORDER BY part, seq`;

/** A board's stored document: its snapshot, then the log after it, in order (reads never wait for the writer, WAL). */
export async function loadDoc(db: Kysely<Database>, boardId: string): Promise<StoredDoc> {
  const { rows } = await loadDocQuery(boardId).execute(db);
  const doc: StoredDoc = { parts: [], bytes: 0, logCount: 0, snapshotSeq: 0, snapshotBytes: 0, lastSeq: 0 };
  for (const row of rows) {
    doc.parts.push(row.data);
    doc.bytes += row.data.byteLength;
    if (row.part === 0) {
      doc.snapshotSeq = row.seq;
      doc.snapshotBytes = row.data.byteLength;
    } else doc.logCount += 1;
    doc.lastSeq = row.seq;
  }
  return doc;
}

/**
 * Appends in one transaction, with the shot history each update carries; each item's seq, in
 * item order.
 */
export async function appendUpdates(run: RunBatch, items: AppendItem[], now: number): Promise<number[]> {
  if (items.length === 0) return [];
  const stmts: Stmt[] = [];
  const updateAt: number[] = [];
  for (const it of items) {
    updateAt.push(it.update ? stmts.length : -1);
    if (it.update) stmts.push({ sql: INSERT_UPDATE, args: [it.boardId, it.update, now], oneRow: true });
    if (it.attributed) stmts.push(...recordChangeStmts(it.boardId, it.attributed.userId, it.attributed.changes, now));
  }
  const results = await run(stmts);
  return updateAt.map((i) => (i < 0 ? 0 : Number(results[i]!.rows[0]!.seq)));
}

/** Journaled updates into the log, each under its own seq and time, with its shot history (seq 0: history alone). */
export function journalFoldStmts(records: readonly JournalRecord[]): Stmt[] {
  const stmts: Stmt[] = [];
  for (const r of records) {
    if (r.seq > 0) stmts.push({ sql: INSERT_UPDATE_AT, args: [r.seq, r.boardId, r.update, r.createdAt] });
    if (r.attributed) stmts.push(...recordChangeStmts(r.boardId, r.attributed.userId, r.attributed.changes, r.createdAt));
  }
  return stmts;
}

export async function compactDoc(run: RunBatch, boardId: string, req: CompactRequest, now: number): Promise<CompactionResult> {
  const args: SqlValue[] = [boardId];
  const stmts: Stmt[] = [{ sql: STORED_BYTES, args, oneRow: true }];
  // Nothing to fold in, or a snapshot that would not move forward: measure only.
  if (req.uptoSeq > req.baseSeq && req.logCount > 0) {
    stmts.unshift(
      { sql: CAS_SNAPSHOT, args: [boardId, req.snapshot, req.uptoSeq, now, req.baseSeq, req.logCount] },
      { sql: DROP_FOLDED, args },
    );
  }
  const results = await run(stmts);
  const bytes = Number(results[results.length - 1]!.rows[0]?.bytes ?? 0);
  return { compacted: stmts.length > 1 && results[0]!.changes === 1, bytesAfter: bytes };
}

export async function deleteDoc(run: RunBatch, boardId: string): Promise<void> {
  await run([
    { sql: 'DELETE FROM doc_updates WHERE board_id = ?', args: [boardId] },
    { sql: 'DELETE FROM doc_snapshots WHERE board_id = ?', args: [boardId] },
    { sql: DELETE_BOARD_CHANGES, args: [boardId] },
  ]);
}
