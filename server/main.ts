import fs from 'node:fs/promises';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { replayUpdateJournal } from './sync/journaled-storage.js';
import { openDatabase } from './db/open.js';
import { serve } from './http/serve.js';
import { systemClock } from './lib/clock.js';
import { builtClientDir } from './lib/layout.js';
import { createLogger } from './lib/log.js';
import { secretScrubber, secretValues } from './lib/secrets.js';
import { createBlobStore } from './assets/create-blob-store.js';
import { createMedia } from './assets/media.js';
import { defaultReserveBytes, volumeFreeBytes } from './assets/storage-guard.js';
import { createProviders } from './generation/providers/registry.js';
import { createRedisBus } from './scale/redis-bus.js';

/**
 * The only place that reads the environment, opens the database and listens. Every line it writes
 * goes through `scrub`: no secret of the configuration (a DATABASE_URL password, a token, a key)
 * reaches stdout or stderr, whatever message carries it.
 */
async function main(scrub: (text: string) => string) {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel, {}, (line) => void process.stderr.write(`${scrub(line)}\n`));
  const database = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  // What a crash left in the board-update journal goes in before a migration may append to the
  // log, whatever the configuration now (a lone instance may come back with REDIS_URL set).
  if (config.databaseUrl.startsWith('file:')) replayUpdateJournal(config.databaseUrl);
  await migrateToLatest(database.db);
  const blobs = createBlobStore(config);
  const media = createMedia(config.media);
  // Before anything else starts: a missing, too old or filter-less ffmpeg, or a font it cannot load, stops here.
  const tools = await media.check();
  for (const warning of tools.warnings) log.warn(warning);
  const bus = config.redisUrl ? createRedisBus(config.redisUrl, log) : undefined;
  await fs.mkdir(config.dataDir, { recursive: true });
  const reserveBytes = config.diskReserveBytes ?? (await defaultReserveBytes(config.dataDir));
  const listening = await serve(
    (publicOrigin) =>
      createApp({
        db: database.db,
        databaseUrl: config.databaseUrl,
        syncFsync: config.syncFsync,
        clock: systemClock,
        log,
        publicOrigin,
        blobs,
        media,
        providers: createProviders(config.providerEnv, { egress: { allowHosts: config.egressAllowHosts } }),
        webhooks: { allowHosts: config.webhookAllowHosts },
        ...(bus ? { bus } : {}),
        storage: { userQuotaBytes: config.quotaUserBytes, boardQuotaBytes: config.quotaBoardBytes, reserveBytes, freeBytes: volumeFreeBytes(config.dataDir) },
        maxStreamsPerUser: config.maxStreamsPerUser,
        trustedProxies: config.trustedProxies,
        sync: {
          // One limits object: SYNC_MAX_DOCUMENT_BYTES used to replace the socket limit here.
          limits: { maxConnectionsPerUser: config.maxSocketsPerUser, ...(config.syncMaxDocumentBytes ? { maxDocumentBytes: config.syncMaxDocumentBytes } : {}) },
          ...(config.syncCompactAfterBytes ? { compactAfterBytes: config.syncCompactAfterBytes } : {}),
          ...(config.syncCompactAfterUpdates ? { compactAfterUpdates: config.syncCompactAfterUpdates } : {}),
        },
        generation: {
          leaseMs: config.jobLeaseMs,
          startWorker: config.workerConcurrency > 0,
          limits: { total: config.workerConcurrency, perProvider: { default: 2 }, perBoard: config.workerConcurrency },
        },
        clientDir: builtClientDir(import.meta.url),
      }),
    { port: config.port, host: config.host, publicOrigin: config.publicOrigin, headersTimeoutMs: config.headersTimeoutMs, bodyStallMs: config.bodyStallMs },
  );
  let stopping = false;
  const stop = async (signal: string) => {
    // Ctrl-C under `npm start` arrives twice (from the terminal and forwarded by npm).
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    // Stop accepting, store what was accepted, tell clients to reconnect (4503), hand running
    // jobs back (lease released), then close the database.
    await listening.close();
    await bus?.close();
    await database.close();
    process.stdout.write('Takeboard stopped.\n');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () =>
      stop(signal).catch((err) => {
        process.stderr.write(scrub(`Takeboard did not stop cleanly: ${err instanceof Error ? err.message : String(err)}\n`));
        process.exit(1);
      }),
    );
  }
  // Handlers first: whoever reads the line below may signal at once.
  log.info('takeboard listening', { url: listening.url, dataDir: config.dataDir });
  process.stdout.write(`Takeboard is running at ${listening.url}\n`);
}

const scrub = secretScrubber(secretValues(process.env));
main(scrub).catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(scrub(`${err.message}\n`));
  } else {
    process.stderr.write(scrub(`Takeboard failed to start: ${err instanceof Error ? err.message : String(err)}\n`));
  }
  process.exit(1);
});
