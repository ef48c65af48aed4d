import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { serve } from './http/serve.js';
import { systemClock } from './lib/clock.js';
import { createLogger } from './lib/log.js';
import { createBlobStore } from './assets/create-blob-store.js';
import { createMedia } from './assets/media.js';
import { defaultReserveBytes, volumeFreeBytes } from './assets/storage-guard.js';
import { createProviders } from './generation/providers/registry.js';
import { createRedisBus } from './scale/redis-bus.js';

/** The only place that reads the environment, opens the database and listens. */
async function main() {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  await migrateToLatest(database.db);
  const blobs = createBlobStore(config);
  const media = createMedia(config.media);
  // Before anything else starts: a missing, too old or filter-less ffmpeg, or a font it cannot load, stops here.
  const tools = await media.check();
  for (const warning of tools.warnings) log.warn(warning);
  const bus = config.redisUrl ? createRedisBus(config.redisUrl, log) : undefined;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  await fs.mkdir(config.dataDir, { recursive: true });
  const reserveBytes = config.diskReserveBytes ?? (await defaultReserveBytes(config.dataDir));
  const listening = await serve(
    (publicOrigin) =>
      createApp({
        db: database.db,
        databaseUrl: config.databaseUrl,
        clock: systemClock,
        log,
        publicOrigin,
        blobs,
        media,
        providers: createProviders(config.providerEnv, { egress: { allowHosts: config.egressAllowHosts } }),
        ...(bus ? { bus } : {}),
        storage: { userQuotaBytes: config.quotaUserBytes, boardQuotaBytes: config.quotaBoardBytes, reserveBytes, freeBytes: volumeFreeBytes(config.dataDir) },
        maxStreamsPerUser: config.maxStreamsPerUser,
        trustedProxies: config.trustedProxies,
        sync: {
          limits: { maxConnectionsPerUser: config.maxSocketsPerUser },
          ...(config.syncCompactAfterBytes ? { compactAfterBytes: config.syncCompactAfterBytes } : {}),
          ...(config.syncCompactAfterUpdates ? { compactAfterUpdates: config.syncCompactAfterUpdates } : {}),
          ...(config.syncMaxDocumentBytes ? { limits: { maxDocumentBytes: config.syncMaxDocumentBytes } } : {}),
        },
        generation: {
          leaseMs: config.jobLeaseMs,
          startWorker: config.workerConcurrency > 0,
          limits: { total: config.workerConcurrency, perProvider: { default: 2 }, perBoard: config.workerConcurrency },
        },
        clientDir: path.join(root, 'client', 'dist'),
      }),
    { port: config.port, host: config.host, publicOrigin: config.publicOrigin, headersTimeoutMs: config.headersTimeoutMs, bodyStallMs: config.bodyStallMs },
  );
  log.info('takeboard listening', { url: listening.url, dataDir: config.dataDir });
  process.stdout.write(`Takeboard is running at ${listening.url}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    // Stop accepting, store what was accepted, tell clients to reconnect (4503), hand running
    // jobs back (lease released), then close the database.
    await listening.close();
    await bus?.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Takeboard failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
