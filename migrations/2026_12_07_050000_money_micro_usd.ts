import { sql, type Kysely } from 'kysely';
import * as Y from 'yjs';
import { convertLegacyMoney } from '../shared/doc/legacy-money.js';
import { columnTypes } from './dialect.js';

/**
 * Money becomes exact: integer micro-dollars (millionths of a US dollar) in place of float
 * dollars, in the jobs, the cost ledger and every stored board document (its budget and each
 * take's cost). Each stored float is rounded once, so 0.1 + 0.2 (0.30000000000000004) becomes
 * 300000 and 0.3024 * 5 (1.5119999999999998) becomes 1512000: no drift, and sums from then on
 * are sums of integers.
 */
const COLUMNS = [
  { table: 'jobs', from: 'estimate_usd', to: 'estimate_micro_usd', notNull: true },
  { table: 'jobs', from: 'cost_usd', to: 'cost_micro_usd', notNull: false },
  { table: 'cost_ledger', from: 'amount_usd', to: 'amount_micro_usd', notNull: true },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  for (const c of COLUMNS) {
    // SQLite adds a NOT NULL column only with a default; every row is set just below, and
    // every insert names the column.
    await db.schema.alterTable(c.table).addColumn(c.to, t.int, (col) => (c.notNull ? col.notNull().defaultTo(0) : col)).execute();
    await sql`UPDATE ${sql.table(c.table)} SET ${sql.ref(c.to)} = CAST(ROUND(${sql.ref(c.from)} * 1000000) AS ${sql.raw(t.int)})`.execute(db);
    await db.schema.alterTable(c.table).dropColumn(c.from).execute();
  }
  await convertStoredBoards(db);
}

/**
 * Each stored board is loaded as the sync server would (its snapshot, then the log after it),
 * converted, and the change appended to its log as one more update: the snapshot and earlier
 * entries stay as they were, so nothing stored is rewritten in place.
 */
async function convertStoredBoards(db: Kysely<any>): Promise<void> {
  const boards = await sql<{ board_id: string }>`SELECT board_id FROM doc_snapshots UNION SELECT board_id FROM doc_updates`.execute(db);
  const now = Date.now();
  for (const { board_id } of boards.rows) {
    const parts = await sql<{ data: Uint8Array }>`SELECT data FROM (
        SELECT 0 AS part, upto_seq AS seq, data FROM doc_snapshots WHERE board_id = ${board_id}
        UNION ALL
        SELECT 1 AS part, seq, data FROM doc_updates
        WHERE board_id = ${board_id} AND seq > coalesce((SELECT upto_seq FROM doc_snapshots WHERE board_id = ${board_id}), 0)
      ) AS parts ORDER BY part, seq`.execute(db);
    const doc = new Y.Doc();
    for (const { data } of parts.rows) Y.applyUpdate(doc, new Uint8Array(data));
    const before = Y.encodeStateVector(doc);
    if (!convertLegacyMoney(doc)) continue;
    const update = Y.encodeStateAsUpdate(doc, before);
    await db.insertInto('doc_updates').values({ board_id, data: update, created_at: now }).execute();
  }
}

/** Back to float dollar columns; board documents keep their exact keys (older code reads no budget). */
export async function down(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  for (const c of COLUMNS) {
    await db.schema.alterTable(c.table).addColumn(c.from, t.real, (col) => (c.notNull ? col.notNull().defaultTo(0) : col)).execute();
    await sql`UPDATE ${sql.table(c.table)} SET ${sql.ref(c.from)} = ${sql.ref(c.to)} / 1000000.0`.execute(db);
    await db.schema.alterTable(c.table).dropColumn(c.to).execute();
  }
}
