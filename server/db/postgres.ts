import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.js';

/** `postgres://` and `postgresql://` URLs open PostgreSQL; everything else is libSQL's. */
export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * 64-bit integers (bigint columns, count(*)) and numerics (sum of bigints) as JS numbers, the
 * way libSQL answers them: every such value here (milliseconds, bytes, micro-dollars, seq) is
 * far inside 2^53; one that is not fails loudly instead of rounding silently.
 */
function toNumber(text: string): number {
  const n = Number(text);
  const exact = text.includes('.') ? Number.isFinite(n) : Number.isSafeInteger(n);
  if (!exact) throw new RangeError(`PostgreSQL returned ${text}, beyond what a JS number holds exactly`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 || oid === NUMERIC ? toNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresDb {
  engine: 'postgres';
  db: Kysely<Database>;
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * A pool of connections to PostgreSQL. One query runs before returning, so a wrong URL, a refused
 * login or an unreachable server stops the start (open.ts names the host and the reason).
 */
export async function openPostgres(url: string): Promise<PostgresDb> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10, connectionTimeoutMillis: 10_000 });
  // A connection the server drops (restart, failover, an administrator) emits an error event: on
  // the pool while idle, on the client while a query holds it (the pool lets go of its listener
  // then). Unheard, either would end the process; the query that was running fails with the
  // reason, readiness says the database is down, and the next query opens a fresh connection.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    pool,
    close: () => db.destroy(),
  };
}
