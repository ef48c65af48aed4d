import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBoard, joinWithRole, signedUpClient } from '../../test/helpers/http.js';
import { distModule } from '../lib/dist.js';

/**
 * The real Takeboard app (auth, roles, schema validation, libSQL group commit before relay,
 * background compaction) on a temp libSQL file, with the sync rate limits raised so the
 * benchmark measures the relay, not the limiter. Signs up `users` editors of one board.
 * `memoryStorage` swaps board documents to the in-memory DocStorage (a diagnostic: everything
 * but the database write).
 *
 * The server is the compiled build (dist/, as `npm start` runs it; bench/run.ts builds it when
 * stale), not the TypeScript sources through tsx: tsx's transform wraps every named closure in
 * a `__name` call, per call for closures made per edit, which plain node never runs.
 */
export async function startTakeboard(users: number, memoryStorage = false) {
  const { createApp } = await distModule<typeof import('../../server/app.js')>('server/app.js');
  const { migrateToLatest } = await distModule<typeof import('../../server/db/migrate.js')>('server/db/migrate.js');
  const { openDatabase } = await distModule<typeof import('../../server/db/open.js')>('server/db/open.js');
  const { serve } = await distModule<typeof import('../../server/http/serve.js')>('server/http/serve.js');
  const { systemClock } = await distModule<typeof import('../../server/lib/clock.js')>('server/lib/clock.js');
  const { createLogger } = await distModule<typeof import('../../server/lib/log.js')>('server/lib/log.js');
  const { createFsBlobStore } = await distModule<typeof import('../../server/assets/fs-blob-store.js')>('server/assets/fs-blob-store.js');
  const { createMedia } = await distModule<typeof import('../../server/assets/media.js')>('server/assets/media.js');
  const { createMemoryStorage } = await distModule<typeof import('../../server/sync/memory-storage.js')>('server/sync/memory-storage.js');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-bench-'));
  const databaseUrl = `file:${path.join(dataDir, 'takeboard.db')}`;
  const database = await openDatabase(databaseUrl);
  await migrateToLatest(database.db);
  const listening = await serve(
    (publicOrigin) =>
      createApp({
        db: database.db,
        databaseUrl,
        clock: systemClock,
        log: createLogger('silent'),
        publicOrigin,
        blobs: createFsBlobStore({ root: path.join(dataDir, 'blobs') }),
        media: createMedia(),
        sync: { limits: { updatesPerSecond: 1e6, updateBurst: 1e6, maxConnectionsPerUser: 10_000 } },
        ...(memoryStorage ? { docStorage: createMemoryStorage() } : {}),
      }),
    { port: 0, host: '127.0.0.1' },
  );
  const owner = await signedUpClient(listening.url, { name: 'Owner' });
  const boardId = await createBoard(owner.client, 'Bench board');
  const cookies = [owner.client.cookieHeader];
  for (let i = 1; i < users; i++) {
    const member = await signedUpClient(listening.url, { name: `Editor${i}` });
    await joinWithRole(owner.client, member.client, boardId, 'editor');
    cookies.push(member.client.cookieHeader);
  }
  const port = new URL(listening.url).port;
  return {
    // Sockets go to the loopback address directly; the Origin header names the app's own origin.
    url: `ws://127.0.0.1:${port}/sync`,
    room: boardId,
    origin: listening.url,
    cookies,
    async close() {
      await listening.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
