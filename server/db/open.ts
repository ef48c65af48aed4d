import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { Kysely } from 'kysely';
import { LibsqlDialect } from './libsql-dialect.js';
import type { Database } from './schema.js';

export interface Db {
  client: Client;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * Opens the one libSQL client the app shares. File databases get a single connection so
 * that the durability pragmas below hold for every statement (pragmas are per connection).
 */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const file = url.slice('file:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  const client = createClient({ url, authToken, concurrency: isFile ? 1 : undefined, intMode: 'number' });
  if (isFile) {
    // WAL lets readers in other processes proceed while we write; FULL makes a commit survive
    // power loss, which the "stored before relayed" promise of live sync depends on.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA synchronous = FULL');
    await client.execute('PRAGMA busy_timeout = 5000');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new LibsqlDialect(client) });
  return {
    client,
    db,
    async close() {
      await db.destroy();
      client.close();
    },
  };
}
