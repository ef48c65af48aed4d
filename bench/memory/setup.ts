import * as Y from 'yjs';
import { startTestServer } from '../../test/helpers/server.js';
import { createBoard, signedUpClient } from '../../test/helpers/http.js';
import { rng } from '../lib/stats.js';
import { fillSmallBoard } from './small-board.js';

export interface PreparedBoards {
  /** A small board loaded before the baseline reading. */
  warmBoard: string;
  smallBoards: string[];
  /** Boards as a new one starts: the board roots and title only. */
  emptyBoards: string[];
  /** One session cookie per member; every member is an editor of every board. */
  cookies: string[];
  /** `Y.encodeStateAsUpdate` bytes of one small board, and of one empty board. */
  stateBytes: number;
  emptyStateBytes: number;
}

/**
 * Writes `boards` small boards, `boards` empty ones and one warm-up board into a migrated
 * database in `dataDir` through the real app, then shuts it down, so the measured server starts
 * with nothing loaded. Members sign up through the API; their memberships are inserted directly
 * (an invite round trip per member and board would only slow the setup down).
 */
export async function prepareBoards(dataDir: string, boards: number, members: number, seed: number): Promise<PreparedBoards> {
  const server = await startTestServer({ dataDir, app: { generation: { startWorker: false }, orphans: { everyMs: 0 } } });
  try {
    const clients: Array<Awaited<ReturnType<typeof signedUpClient>>> = [];
    for (let i = 0; i < members; i++) clients.push(await signedUpClient(server.url, { name: `Member${i}` }));
    const owner = clients[0]!;
    const boardIds: string[] = [];
    for (let b = 0; b <= 2 * boards; b++) boardIds.push(await createBoard(owner.client, `Board ${b}`));
    const [warmBoard, ...rest] = boardIds as [string, ...string[]];
    const smallBoards = rest.slice(0, boards);
    const emptyBoards = rest.slice(boards);
    const now = Date.now();
    const rows = boardIds.flatMap((boardId) => clients.slice(1).map((c) => ({ board_id: boardId, user_id: c.user.id, role: 'editor' as const, created_at: now })));
    for (let i = 0; i < rows.length; i += 500) await server.database.db.insertInto('board_members').values(rows.slice(i, i + 500)).execute();
    const hub = server.takeboard.hub;
    const r = rng(seed);
    for (const boardId of [warmBoard, ...smallBoards]) {
      await hub.change(boardId, (doc) => fillSmallBoard(doc, r, owner.user.id));
      await hub.compactNow(boardId); // stored as one snapshot, as an idle board is
    }
    const stateBytes = await hub.read(smallBoards[0]!, (doc) => Y.encodeStateAsUpdate(doc).byteLength);
    const emptyStateBytes = await hub.read(emptyBoards[0]!, (doc) => Y.encodeStateAsUpdate(doc).byteLength);
    return { warmBoard, smallBoards, emptyBoards, cookies: clients.map((c) => c.client.cookieHeader), stateBytes, emptyStateBytes };
  } finally {
    await server.close();
  }
}
