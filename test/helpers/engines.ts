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

let processServer: Promise<PostgresServer> | undefined;

/**
 * One PostgreSQL server for this whole test process, started on first use. Nothing stops it
 * explicitly: its guard ends it and removes its directory when the process exits.
 */
export function processPostgres(): Promise<PostgresServer> {
  return (processServer ??= startPostgres());
}

/**
 * TAKEBOARD_TEST_ENGINE: which engine `startTestServer` opens when a test names no database:
 * `libsql` (the default: a file in DATA_DIR) or `postgres`, so a suite written for the app can be
 * run against PostgreSQL as it stands.
 */
export function defaultTestEngine(env = process.env): Engine {
  const v = env.TAKEBOARD_TEST_ENGINE ?? 'libsql';
  if (v !== 'libsql' && v !== 'postgres') throw new Error(`TAKEBOARD_TEST_ENGINE must be "libsql" or "postgres", got "${v}"`);
  return v;
}

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
