import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { Kysely } from 'kysely';
import { displayUrl, secretScrubber, urlHost, urlSecrets } from '../lib/secrets.js';
import { FILE_DB_PRAGMAS } from './file-pragmas.js';
import { LibsqlDialect } from './libsql-dialect.js';
import { isPostgresUrl, openPostgres, type PostgresDb } from './postgres.js';
import type { Database } from './schema.js';

export interface LibsqlDb {
  engine: 'libsql';
  client: Client;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** The app's database, whichever engine DATABASE_URL names. */
export type Db = LibsqlDb | PostgresDb;

/** The database could not be opened: names where and why, never the URL's password or token. */
export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * Opens the database DATABASE_URL names: PostgreSQL for postgres:// and postgresql://, libSQL
 * otherwise (the embedded file by default, or a libSQL server). A failure to reach it or log in
 * becomes a DatabaseOpenError naming the host and the reason.
 */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  try {
    return isPostgresUrl(url) ? await openPostgres(url) : await openLibsql(url, authToken);
  } catch (err) {
    const scrub = secretScrubber([...urlSecrets(url), ...(authToken ? [authToken] : [])]);
    const where = url.startsWith('file:') ? displayUrl(url) : urlHost(url);
    throw new DatabaseOpenError(`Cannot open the database at ${where}: ${scrub(reasonOf(err))}`, { cause: err });
  }
}

/** What went wrong, in words: the driver's message, or its code when it has none (a refused connection). */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code;
  const inner = err instanceof AggregateError ? err.errors.find((e) => e instanceof Error) : undefined;
  const message = err.message || (inner as Error | undefined)?.message || '';
  if (code === 'ECONNREFUSED') return `connection refused (${message || 'nothing listens there'})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name does not resolve (${code})`;
  // The driver's own words are "Invalid URL": say what usually makes one.
  if (code === 'ERR_INVALID_URL') return 'not a valid URL (a port must be a number from 1 to 65535, and @ : / ? # in a user name or password must be percent-encoded)';
  return message || code || err.name;
}

/**
 * Opens the one libSQL client the app shares. File databases get a single connection so
 * that the durability pragmas hold for every statement (pragmas are per connection). The one
 * other connection is the board-document writer's, on its own thread (server/db/doc-writer.ts).
 */
export async function openLibsql(url: string, authToken?: string): Promise<LibsqlDb> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const file = url.slice('file:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  const client = createClient({ url, authToken, concurrency: isFile ? 1 : undefined, intMode: 'number' });
  const setup = [...(isFile ? FILE_DB_PRAGMAS : []), 'PRAGMA foreign_keys = ON'];
  for (const pragma of setup) await client.execute(pragma);
  // Reconnecting would drop an in-memory database, which has no second connection to go stale against.
  const onDisk = isFile && !url.includes(':memory:');
  const db = new Kysely<Database>({ dialect: new LibsqlDialect(client, onDisk ? { connectionSetup: setup } : {}) });
  return {
    engine: 'libsql',
    client,
    db,
    async close() {
      await db.destroy();
      client.close();
    },
  };
}
