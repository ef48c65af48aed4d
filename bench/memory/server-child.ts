/**
 * Child process entry for the memory suite: the real app over the prepared database in
 * `argv[2]`, with boards kept loaded (no unload grace expiry during the run) and no worker.
 * Needs `--expose-gc`: "mem" collects garbage before reading `process.memoryUsage()`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import * as Y from 'yjs';
import { setMeta } from '../../shared/doc/index.js';
import { serveParent } from '../lib/child.js';
import { startTestServer } from '../../test/helpers/server.js';

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  boards: number;
  connections: number;
}

async function main() {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: server-child.ts <dataDir>');
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const server = await startTestServer({
    dataDir,
    app: {
      sync: { limits: { maxConnectionsPerUser: 100_000 }, unloadGraceMs: 3_600_000 },
      generation: { startWorker: false },
      orphans: { everyMs: 0 },
    },
  });
  const hub = server.takeboard.hub;
  const settle = async () => {
    await hub.flush();
    for (let i = 0; i < 4; i++) {
      gc();
      await sleep(50);
    }
  };
  serveParent(
    {
      info: () => ({ url: `ws://127.0.0.1:${new URL(server.url).port}/sync`, origin: server.origin }),
      /** Loads boards into the hub as a first connection would (document + encoded stored state). */
      load: async (msg: { boardIds: string[] }) => {
        for (const id of msg.boardIds) await hub.read(id, () => undefined);
        return { boards: hub.stats().boards };
      },
      /**
       * One small edit on each board, stored: a board being edited also keeps its stored state
       * encoded (server/sync/room.ts) until a quiet sweep interval.
       */
      edit: async (msg: { boardIds: string[] }) => {
        for (const id of msg.boardIds) await hub.change(id, (doc) => setMeta(doc, { fps: 25 }));
        await hub.flush();
        return { edited: msg.boardIds.length };
      },
      /** Puts loaded boards to sleep now (what the idle sweep does after 30-60 s without edits). */
      sleep: (msg: { boardIds: string[] }) => ({ asleep: hub.sleepNow(msg.boardIds) }),
      /** Heap + external held by one bare Y.Doc of a loaded board's state (50 copies, averaged): for scale. */
      docCost: async (msg: { boardId: string }) => {
        const state = await hub.read(msg.boardId, (doc) => Y.encodeStateAsUpdate(doc));
        const held = () => {
          gc();
          gc();
          const m = process.memoryUsage();
          return m.heapUsed + m.external;
        };
        const before = held();
        const docs = Array.from({ length: 50 }, () => {
          const d = new Y.Doc();
          Y.applyUpdate(d, state);
          return d;
        });
        const bytes = (held() - before) / docs.length;
        for (const d of docs) d.destroy();
        let structs = 0;
        await hub.read(msg.boardId, (doc) => doc.store.clients.forEach((s) => (structs += s.length)));
        return { bytes, structs };
      },
      /** Memory after full collections (a few, with pauses so finalizers and weak refs settle). */
      mem: async (): Promise<MemoryReading> => {
        await settle();
        const m = process.memoryUsage();
        const s = hub.stats();
        return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, boards: s.boards, connections: s.connections };
      },
      /** A V8 heap snapshot of the process now, after the same collections (for heap-breakdown.ts). */
      heapSnapshot: async (msg: { file: string }) => {
        await settle();
        return { file: v8.writeHeapSnapshot(msg.file) };
      },
    },
    () => server.close(),
  );
  process.send?.({ type: 'ready' });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
