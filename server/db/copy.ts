/**
 * Copies a whole Takeboard database from one engine to the other (libSQL to PostgreSQL when a team
 * grows, and back), in one transaction on the target, then counts every table on both sides.
 * `npm run db:copy` is the command (scripts/copy-database.ts).
 */
import { sql, type Kysely } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { engineOf } from './engine.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

/** Every table, parents before children (foreign keys), each with the key it is read in order of. */
interface TableSpec {
  name: keyof Database;
  key: readonly string[];
  serial?: string;
}

const LISTED = [
  { name: 'users', key: ['id'] },
  { name: 'sessions', key: ['id'] },
  { name: 'boards', key: ['id'] },
  { name: 'board_members', key: ['board_id', 'user_id'] },
  { name: 'invites', key: ['id'] },
  { name: 'auth_throttle', key: ['key'] },
  { name: 'assets', key: ['id'] },
  { name: 'jobs', key: ['id'] },
  { name: 'cost_ledger', key: ['job_id'] },
  { name: 'notifications', key: ['id'] },
  { name: 'presence_colours', key: ['board_id', 'user_id'] },
  { name: 'doc_snapshots', key: ['board_id'] },
  { name: 'doc_updates', key: ['seq'], serial: 'seq' },
  { name: 'shot_changes', key: ['id'], serial: 'id' },
  { name: 'webhook_endpoints', key: ['id'] },
  { name: 'webhook_deliveries', key: ['id'] },
  { name: 'webhook_attempts', key: ['id'], serial: 'id' },
  { name: 'seam_scores', key: ['upstream_take_id', 'downstream_take_id'] },
  { name: 'api_tokens', key: ['id'] },
  { name: 'review_links', key: ['id'] },
  { name: 'guest_sessions', key: ['id'] },
] as const satisfies readonly TableSpec[];
const TABLES: readonly TableSpec[] = LISTED;

// A table the list forgets would be left behind by every copy: the compiler names it here.
type Unlisted = Exclude<keyof Database, (typeof LISTED)[number]['name']>;
const everyTableListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTableListed;

/** Rows per read and per insert: well under both engines' limits on bound parameters. */
const BATCH = 200;

export class CopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyError';
  }
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

async function count(db: Kysely<any>, table: string): Promise<number> {
  const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Copies `from` into `to`. The source must be at the latest schema (start the server on it once)
 * and is only read; the target is migrated and must hold no rows. Resolves with each table's count
 * on both sides, and rejects when any differ.
 */
export async function copyDatabase(from: Kysely<Database>, to: Kysely<Database>): Promise<TableCount[]> {
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(from).catch(() => ({ rows: [] }));
  const missing = Object.keys(migrations).filter((m) => !applied.rows.some((r) => r.name === m));
  if (missing.length > 0) throw new CopyError(`The source database is not at the latest schema (missing ${missing[0]}); start Takeboard on it once, then copy`);
  await migrateToLatest(to);
  for (const t of TABLES) {
    if ((await count(to, t.name)) > 0) throw new CopyError(`The target database already holds rows in ${t.name}; copy only into an empty database`);
  }
  const target = engineOf(to);
  await to.transaction().execute(async (tx) => {
    for (const t of TABLES) {
      for (let offset = 0; ; offset += BATCH) {
        let q = (from as Kysely<any>).selectFrom(t.name).selectAll();
        for (const k of t.key) q = q.orderBy(k);
        const rows = await q.limit(BATCH).offset(offset).execute();
        if (rows.length > 0) await (tx as Kysely<any>).insertInto(t.name).values(rows).execute();
        if (rows.length < BATCH) break;
      }
      // PostgreSQL's sequences do not move for given values (SQLite's AUTOINCREMENT does): the next
      // update or history entry must come after the copied ones.
      if (t.serial && target === 'postgres') {
        await sql`select setval(pg_get_serial_sequence(${t.name}, ${t.serial}), coalesce((select max(${sql.ref(t.serial)}) from ${sql.table(t.name)}), 0) + 1, false)`.execute(tx);
      }
    }
  });
  const counts: TableCount[] = [];
  for (const t of TABLES) counts.push({ table: t.name, source: await count(from, t.name), target: await count(to, t.name) });
  const off = counts.filter((c) => c.source !== c.target);
  if (off.length > 0) throw new CopyError(`Counts differ after the copy: ${off.map((c) => `${c.table} ${c.source} -> ${c.target}`).join(', ')}`);
  return counts;
}
