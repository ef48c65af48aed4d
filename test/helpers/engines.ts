/**
 * One database per engine for suites that run over both (`describe.each(testEngines())`): a
 * libSQL file in a temp directory, or a fresh database on a PostgreSQL server this test file
 * starts (test/helpers/postgres.ts). Call inside the describe: it registers its own hooks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../server/db/open.js';
import { startPostgres, type Engine, type PostgresServer } from './postgres.js';

export { testEngines, type Engine } from './postgres.js';

export interface EngineDatabases {
  /** A fresh, empty database of this engine: its DATABASE_URL. */
  url(): Promise<string>;
  /** A fresh database, opened (closed after the file's tests). */
  open(): Promise<Db>;
}

export function engineDatabases(engine: Engine): EngineDatabases {
  let server: PostgresServer | undefined;
  const dirs: string[] = [];
  const opened: Db[] = [];
  beforeAll(async () => {
    if (engine === 'postgres') server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const d of opened.splice(0)) await d.close().catch(() => {});
    await server?.stop();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const url = async () => {
    if (server) return server.createDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-engine-'));
    dirs.push(dir);
    return `file:${path.join(dir, 'takeboard.db')}`;
  };
  return {
    url,
    async open() {
      const database = await openDatabase(await url());
      opened.push(database);
      return database;
    },
  };
}
