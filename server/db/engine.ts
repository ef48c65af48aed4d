import { PostgresAdapter, type Kysely } from 'kysely';

/** Which engine a Kysely instance talks to, for the few statements written per engine. */
export type Engine = 'libsql' | 'postgres';

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'libsql';
}
