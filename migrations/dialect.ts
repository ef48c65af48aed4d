import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { engineOf } from '../server/db/engine.js';

/**
 * What differs between the engines a migration runs on (libSQL/SQLite and PostgreSQL), kept in
 * one place so each migration is written once. SQLite's names are the ones the migrations always
 * used, so a libSQL database gets exactly the schema it got before PostgreSQL was supported.
 */
export function isPostgres(db: Kysely<any>): boolean {
  return engineOf(db) === 'postgres';
}

export interface ColumnTypes {
  /** Whole numbers: milliseconds since the epoch, bytes, micro-dollars. PostgreSQL's integer is 32-bit: too small. */
  int: 'integer' | 'bigint';
  /** Bytes (Yjs updates and snapshots). */
  blob: 'blob' | 'bytea';
  /** Floating point: seconds, frames per second. PostgreSQL's real is 32-bit: too coarse. */
  real: 'real' | 'double precision';
}

export function columnTypes(db: Kysely<any>): ColumnTypes {
  return isPostgres(db) ? { int: 'bigint', blob: 'bytea', real: 'double precision' } : { int: 'integer', blob: 'blob', real: 'real' };
}

/**
 * An increasing whole-number primary key the database assigns: SQLite's INTEGER PRIMARY KEY
 * AUTOINCREMENT (never reuses a number), PostgreSQL's bigserial (a sequence, never reused either).
 */
export function serialKey(db: Kysely<any>): [type: 'integer' | 'bigserial', build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return isPostgres(db) ? ['bigserial', (c) => c.primaryKey()] : ['integer', (c) => c.primaryKey().autoIncrement()];
}
