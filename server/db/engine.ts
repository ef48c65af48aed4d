import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** Which engine a Kysely instance talks to, for the few statements written per engine. */
export type Engine = 'libsql' | 'postgres';

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'libsql';
}

/**
 * Makes this transaction wait for every other one that called it with the same key, until it
 * ends: what a check-then-write (a budget, the last owner, the smallest free colour) needs to
 * hold with concurrent requests. libSQL's write transactions already run one at a time
 * (BEGIN IMMEDIATE), so there it does nothing; PostgreSQL takes a transaction-scoped advisory lock.
 */
export async function serializeOn(tx: Kysely<any>, key: string): Promise<void> {
  if (engineOf(tx) === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
}
