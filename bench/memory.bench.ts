import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChild } from './lib/child.js';
import { fmt } from './lib/stats.js';
import { numberFlag, type BenchOptions, type BenchSuite, type SuiteResult, type Table } from './lib/suite.js';
import { connectYWebsocket, type BenchClient } from './sync/clients.js';
import type { ServerInfo } from './sync/server-child.js';
import type { MemoryReading } from './memory/server-child.js';
import { prepareBoards } from './memory/setup.js';
import { heapBreakdown, type BreakdownRow } from './memory/heap-breakdown.js';

/**
 * Memory per loaded board and per connection on one server process: small boards are written
 * into a database first, then a fresh server (a child process, `--expose-gc`) loads them and
 * clients connect to them, spread evenly. Readings are taken after full collections: at start,
 * at a baseline (one warm-up board loaded with a few connections, so first-use costs such as
 * compiled code and prepared statements are not charged to the boards), after loading the
 * boards, after one edit of each, after connecting. Per board = (loaded - baseline) / boards; per connection =
 * (connected - loaded) / connections. RSS is what the machine pays; heap + external is what
 * the JS objects and buffers hold (RSS also carries allocator slack and the writer thread).
 *
 * Flags: --boards 100  --connections 1000  --members 10
 *        --heap-snapshots: also V8 heap snapshots around the small boards' loading and the
 *        connecting (in bench/results/heap/), printed as what each board and connection adds, by kind.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const WARM_CONNECTIONS = 10;

interface Phase {
  phase: string;
  reading: MemoryReading;
}

async function connectAll(base: Omit<ServerInfo, 'room'>, rooms: string[], count: number, members: number, log: (s: string) => void): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  process.setMaxListeners(Math.max(process.getMaxListeners(), count + WARM_CONNECTIONS + 20)); // y-websocket adds an exit hook per provider
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, k) => {
      const n = i + k;
      // Board n % boards; on each board the members take turns, so connections are spread over users.
      return connectYWebsocket({ ...base, room: rooms[n % rooms.length]! }, Math.floor(n / rooms.length) % members);
    });
    clients.push(...batch);
    const timer = setTimeout(() => log(`memory: still waiting for clients ${i}-${i + batch.length} to sync`), 20_000);
    await Promise.all(batch.map((c) => c.synced()));
    clearTimeout(timer);
  }
  return clients;
}

const kB = (bytes: number) => `${fmt(bytes / 1024)} kB`;
const MB = (bytes: number) => `${fmt(bytes / 2 ** 20)} MB`;
const held = (r: MemoryReading) => r.heapUsed + r.external;

interface MemoryData {
  boards: number;
  connections: number;
  stateBytesPerBoard: number;
  emptyStateBytes: number;
  phases: Phase[];
  perEmptyBoardBytes: PerUnit;
  perBoardBytes: PerUnit;
  perEditedBoardBytes: PerUnit;
  perAsleepBoardBytes: PerUnit;
  perConnectionBytes: PerUnit;
  oneYDocBytes: number;
  smallBoardStructs: number;
}
interface PerUnit {
  rss: number;
  held: number;
}

function tableFor(d: MemoryData): Table {
  return {
    title: `memory: ${d.boards} small boards (${fmt(d.stateBytesPerBoard / 1024)} kB of state each), ${d.connections} connections (${fmt(d.connections / d.boards)} per board), one server process`,
    columns: ['measure', 'RSS', 'heap + external', 'target'],
    rows: [
      ...d.phases.map((p) => [p.phase, MB(p.reading.rss), MB(held(p.reading)), '']),
      [`per loaded empty board (${d.emptyStateBytes} B of state)`, kB(d.perEmptyBoardBytes.rss), kB(d.perEmptyBoardBytes.held), ''],
      ['per loaded small board, in use (loaded, awake, no edit in flight)', kB(d.perBoardBytes.rss), kB(d.perBoardBytes.held), '<= 100 kB'],
      ['per loaded small board, just edited (+ its stored state kept encoded until a quiet sweep)', kB(d.perEditedBoardBytes.rss), kB(d.perEditedBoardBytes.held), ''],
      ['per loaded small board, idle (asleep: state kept encoded)', kB(d.perAsleepBoardBytes.rss), kB(d.perAsleepBoardBytes.held), '<= 100 kB'],
      ['per connection', kB(d.perConnectionBytes.rss), kB(d.perConnectionBytes.held), ''],
      [`for scale: one bare Y.Doc of a small board (${d.smallBoardStructs} structs)`, '', kB(d.oneYDocBytes), ''],
    ],
    notes: [
      'readings after full GCs; a loaded board in use is its Y.Doc (validated on in place) and its room, as on a first connection; once edited it also keeps its stored state encoded until nothing is in flight for a sweep interval (Room); an idle one (no edit for 30-60 s) sleeps; connections go to the sleeping small boards (joining does not wake a board)',
      'target judged on heap + external (what the board objects hold); RSS moves in allocator-sized steps and also carries the writer thread',
      'small board: 12 shots with prompts, 2 references, 4 comments, 6 queued takes; clients are y-websocket providers with no presence',
    ],
  };
}

/** The largest kinds of a heap breakdown; the total counts every kind (V8 self sizes, so external buffers are not in it). */
function breakdownTable(title: string, rows: BreakdownRow[]): Table {
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  return {
    title,
    columns: ['kind', 'objects', 'bytes', 'share'],
    rows: [...rows.slice(0, 20).map((r) => [r.kind, fmt(r.count), `${Math.round(r.bytes)} B`, `${fmt((100 * r.bytes) / total)}%`]), ['total', '', `${Math.round(total)} B`, '']],
    notes: ['"array": backing stores of arrays and Maps; "string": keys and text; self sizes only'],
  };
}

export const suite: BenchSuite = {
  name: 'memory',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const boards = numberFlag(opts, 'boards', opts.quick ? 20 : 100);
    const connections = numberFlag(opts, 'connections', opts.quick ? 200 : 1000);
    const members = numberFlag(opts, 'members', 10);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-bench-memory-'));
    const clients: BenchClient[] = [];
    const child = { stop: async () => {} };
    try {
      opts.log(`memory: writing ${boards} small boards, ${boards} empty ones and a warm-up board for ${members} members`);
      const prepared = await prepareBoards(dataDir, boards, members, opts.seed);
      const { warmBoard, smallBoards, emptyBoards } = prepared;
      const server = startChild(path.join(here, 'memory', 'server-child.ts'), [dataDir], ['--expose-gc']);
      child.stop = () => server.stop();
      await server.next('ready');
      const info = await server.request<{ url: string; origin: string }>('info');
      const base = { url: info.url, origin: info.origin, cookies: prepared.cookies };
      const phases: Phase[] = [];
      const mem = async (phase: string) => phases.push({ phase, reading: await server.request<MemoryReading>('mem') });
      const heapDir = opts.flags.has('heap-snapshots') ? path.join(here, 'results', 'heap') : null;
      if (heapDir) fs.mkdirSync(heapDir, { recursive: true });
      const snapshot = async (name: string) => (heapDir ? (await server.request<{ file: string }>('heapSnapshot', { file: path.join(heapDir, `${name}.heapsnapshot`) }, 300_000)).file : null);

      await mem('server started, nothing loaded');
      await server.request('load', { boardIds: [warmBoard] });
      clients.push(...(await connectAll(base, [warmBoard], WARM_CONNECTIONS, members, opts.log)));
      await sleep(300);
      await mem(`baseline: 1 warm-up board, ${WARM_CONNECTIONS} connections`);
      opts.log(`memory: loading ${boards} empty boards, then ${boards} small boards`);
      await server.request('load', { boardIds: emptyBoards }, 120_000);
      await mem(`+ ${boards} empty boards loaded`);
      const beforeBoards = await snapshot('1-empty-boards-loaded');
      await server.request('load', { boardIds: smallBoards }, 120_000);
      const afterBoards = await snapshot('2-small-boards-loaded');
      await mem(`+ ${boards} small boards loaded`);
      await server.request('edit', { boardIds: smallBoards }, 120_000);
      await mem(`the ${boards} small boards each edited once`);
      const slept = await server.request<{ asleep: number }>('sleep', { boardIds: smallBoards });
      if (slept.asleep !== boards) throw new Error(`expected ${boards} boards to sleep, ${slept.asleep} did`);
      await mem(`the ${boards} small boards asleep (idle)`);
      const beforeConnections = await snapshot('3-small-boards-asleep');
      opts.log(`memory: connecting ${connections} clients to the small boards`);
      clients.push(...(await connectAll(base, smallBoards, connections, members, opts.log)));
      await sleep(500); // let the last greetings and presence removals settle
      const afterConnections = await snapshot('4-connected');
      await mem(`+ ${connections} connections`);

      const oneDoc = await server.request<{ bytes: number; structs: number }>('docCost', { boardId: smallBoards[0] });
      const [, baseline, empty, loaded, edited, asleep, connected] = phases.map((p) => p.reading) as [MemoryReading, MemoryReading, MemoryReading, MemoryReading, MemoryReading, MemoryReading, MemoryReading];
      if (loaded.boards !== 2 * boards + 1) throw new Error(`expected ${2 * boards + 1} boards loaded, the hub has ${loaded.boards}`);
      if (connected.connections !== connections + WARM_CONNECTIONS) throw new Error(`expected ${connections + WARM_CONNECTIONS} connections, the hub has ${connected.connections}`);
      const perEmptyBoard = { rss: (empty.rss - baseline.rss) / boards, held: (held(empty) - held(baseline)) / boards };
      const perBoard = { rss: (loaded.rss - empty.rss) / boards, held: (held(loaded) - held(empty)) / boards };
      const perEditedBoard = { rss: (edited.rss - empty.rss) / boards, held: (held(edited) - held(empty)) / boards };
      const perAsleepBoard = { rss: (asleep.rss - empty.rss) / boards, held: (held(asleep) - held(empty)) / boards };
      const perConnection = { rss: (connected.rss - asleep.rss) / connections, held: (held(connected) - held(asleep)) / connections };
      const data = { boards, connections, members, stateBytesPerBoard: prepared.stateBytes, emptyStateBytes: prepared.emptyStateBytes, phases, perEmptyBoardBytes: perEmptyBoard, perBoardBytes: perBoard, perEditedBoardBytes: perEditedBoard, perAsleepBoardBytes: perAsleepBoard, perConnectionBytes: perConnection, oneYDocBytes: oneDoc.bytes, smallBoardStructs: oneDoc.structs, targetPerBoardBytes: 100 * 1024 };
      const tables = [tableFor(data)];
      if (beforeBoards && afterBoards && beforeConnections && afterConnections) {
        tables.push(breakdownTable('what one loaded small board adds, by kind (heap snapshots)', heapBreakdown(beforeBoards, afterBoards, boards)));
        tables.push(breakdownTable('what one connection adds, by kind (heap snapshots)', heapBreakdown(beforeConnections, afterConnections, connections)));
      }
      return { data, tables };
    } finally {
      for (const c of clients) c.destroy();
      await child.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
