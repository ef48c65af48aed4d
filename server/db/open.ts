import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { Kysely } from 'kysely';
import { FILE_DB_PRAGMAS } from './file-pragmas.js';
import { LibsqlDialect } from './libsql-dialect.js';
import type { Database } from './schema.js';

export interface Db {
  client: Client;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * Opens the one libSQL client the app shares. File databases get a single connection so
 * that the durability pragmas hold for every statement (pragmas are per connection). The one
 * other connection is the board-document writer's, on its own thread (server/db/doc-writer.ts).
 */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
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
    client,
    db,
    async close() {
      await db.destroy();
      client.close();
    },
  };
}
