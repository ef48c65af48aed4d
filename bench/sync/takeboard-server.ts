import { startTestServer } from '../../test/helpers/server.js';
import { createBoard, joinWithRole, signedUpClient } from '../../test/helpers/http.js';
import { createMemoryStorage } from '../../server/sync/memory-storage.js';

/**
 * The real Takeboard app (auth, roles, schema validation, libSQL group commit before relay,
 * background compaction) on a temp libSQL file, with the sync rate limits raised so the
 * benchmark measures the relay, not the limiter. Signs up `users` editors of one board.
 * `memoryStorage` swaps board documents to the in-memory DocStorage (a diagnostic: everything
 * but the database write).
 */
export async function startTakeboard(users: number, memoryStorage = false) {
  const server = await startTestServer({
    app: {
      sync: { limits: { updatesPerSecond: 1e6, updateBurst: 1e6, maxConnectionsPerUser: 10_000 } },
      ...(memoryStorage ? { docStorage: createMemoryStorage() } : {}),
    },
  });
  const owner = await signedUpClient(server.url, { name: 'Owner' });
  const boardId = await createBoard(owner.client, 'Bench board');
  const cookies = [owner.client.cookieHeader];
  for (let i = 1; i < users; i++) {
    const member = await signedUpClient(server.url, { name: `Editor${i}` });
    await joinWithRole(owner.client, member.client, boardId, 'editor');
    cookies.push(member.client.cookieHeader);
  }
  const port = new URL(server.url).port;
  return {
    // Sockets go to the loopback address directly; the Origin header names the app's own origin.
    url: `ws://127.0.0.1:${port}/sync`,
    room: boardId,
    origin: server.origin,
    cookies,
    close: () => server.close(),
  };
}
