import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type CreateAppOptions, type TakeboardApp } from '../../server/app.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';
import { defaultTestEngine, processPostgres } from './engines.js';
import { serve } from '../../server/http/serve.js';
import { systemClock, type Clock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { createFsBlobStore } from '../../server/assets/fs-blob-store.js';
import { createMedia } from '../../server/assets/media.js';

export interface TestServer {
  url: string;
  origin: string;
  dataDir: string;
  database: Db;
  takeboard: TakeboardApp;
  close(): Promise<void>;
}

const postgresByDataDir = new Map<string, string>();

/**
 * The database a test server opens when the test names none: a libSQL file in DATA_DIR, or under
 * TAKEBOARD_TEST_ENGINE=postgres one PostgreSQL database per DATA_DIR, so a server restarted on the
 * same directory finds its data again, as it would in its file.
 */
async function defaultDatabaseUrl(dataDir: string): Promise<string> {
  if (defaultTestEngine() === 'libsql') return `file:${path.join(dataDir, 'takeboard.db')}`;
  let url = postgresByDataDir.get(dataDir);
  if (!url) postgresByDataDir.set(dataDir, (url = await (await processPostgres()).createDatabase()));
  return url;
}

/**
 * Starts the real app on an ephemeral loopback port over a fresh libSQL file in a temp
 * DATA_DIR (or the database `databaseUrl` names: a PostgreSQL one from test/helpers/engines.ts).
 * Call close() in afterAll/afterEach; it removes the directory.
 */
export async function startTestServer(
  opts: {
    clock?: Clock;
    dataDir?: string;
    /** Default: the libSQL file takeboard.db in `dataDir` (a PostgreSQL database under TAKEBOARD_TEST_ENGINE=postgres). */
    databaseUrl?: string;
    /** App options; as a function, built from the opened database (e.g. board storage over it). */
    app?: Partial<CreateAppOptions> | ((database: Db) => Partial<CreateAppOptions>);
    serve?: { headersTimeoutMs?: number; bodyStallMs?: number };
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-test-'));
  const databaseUrl = opts.databaseUrl ?? (await defaultDatabaseUrl(dataDir));
  const database = await openDatabase(databaseUrl);
  await migrateToLatest(database.db);
  const log = createLogger(process.env.TEST_LOG === '1' ? 'debug' : 'silent');
  const app = typeof opts.app === 'function' ? opts.app(database) : opts.app;
  const listening = await serve(
    (publicOrigin) =>
      createApp({
        db: database.db,
        databaseUrl,
        clock: opts.clock ?? systemClock,
        log,
        publicOrigin,
        blobs: createFsBlobStore({ root: path.join(dataDir, 'blobs') }),
        media: createMedia(),
        ...app,
      }),
    { port: 0, host: '127.0.0.1', ...opts.serve },
  );
  return {
    url: listening.url,
    origin: listening.url,
    dataDir,
    database,
    takeboard: listening.takeboard,
    async close() {
      await listening.close();
      await database.close();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
