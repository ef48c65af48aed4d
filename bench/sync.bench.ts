import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startChild, type Child } from './lib/child.js';
import { ensureBuilt } from './lib/dist.js';
import { fmt, ratio, summarize, type Summary } from './lib/stats.js';
import { listFlag, numberFlag, type BenchOptions, type BenchSuite, type SuiteResult, type Table } from './lib/suite.js';
import { connectYWebsocket, hocuspocusClients, type BenchClient, type ClientKind } from './sync/clients.js';
import type { ServerInfo } from './sync/server-child.js';
import { createWorkload, seedBoard, type PhaseResult } from './sync/workload.js';

/**
 * Sync relay benchmark: N clients on one board, all editing, against Takeboard (validate, store
 * in libSQL, then relay), @hocuspocus/server (defaults, in-memory store) and a plain y-protocols
 * relay (the floor), each server alone in a child process, all in the same run.
 *
 * All clients live in this process (one clock for stamps and arrivals). The offered rate is
 * open-loop and capped so that deliveries (edits x other clients) stay within what one client
 * process can absorb (`--budget` deliveries/s): past that the clients, not the servers, would
 * set the latency. For each size all servers run side by side and take turns in short slices
 * (rotating order, samples pooled), so a burst of noise on a shared machine hits all of them.
 *
 * Flags: --clients 10,50,100  --per-client <edits/s each, 5>  --rate <max total edits/s>
 *        --budget <deliveries/s>
 *        --seconds <measured per server>  --slice <s>  --warmup <s>
 *        --targets takeboard,hocuspocus,floor[,takeboard-memory]
 *        --server-node-args=--trace-gc  (extra node flags for the server processes)
 *        --prof-server  (a .cpuprofile per server process under bench/results/profiles/, read
 *        with `tsx bench/lib/cpuprofile.ts <file>`)
 */
const TARGETS = ['takeboard', 'hocuspocus', 'floor'] as const;
/** `takeboard-memory` (opt-in): Takeboard with the in-memory DocStorage, to split out the DB write. */
type Target = (typeof TARGETS)[number] | 'takeboard-memory';
const ALL_TARGETS: readonly Target[] = [...TARGETS, 'takeboard-memory'];
const here = path.dirname(fileURLToPath(import.meta.url));

interface Stats {
  cpuMs: number;
  elu: number;
  rssMb: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

/** One server under test with its N connected clients and workload. */
interface Contender {
  target: Target;
  kind: ClientKind;
  child: Child;
  clients: BenchClient[];
  workload: ReturnType<typeof createWorkload>;
  slices: Array<PhaseResult & { server: Stats; clientElu: number; clientStallMs: number }>;
}

interface SizeOptions {
  rate: number;
  seconds: number;
  slice: number;
  warmup: number;
  seed: number;
  prof: boolean;
  /** Extra node flags for the server processes (`--server-node-args=--trace-gc`). */
  nodeArgs: string[];
}

async function startContender(target: Target, n: number, o: SizeOptions): Promise<Contender> {
  const prof = o.prof ? ['--cpu-prof', `--cpu-prof-dir=${path.join(here, 'results', 'profiles', `${target}-${n}`)}`] : [];
  prof.push(...o.nodeArgs);
  const child = startChild(path.join(here, 'sync', 'server-child.ts'), [target, JSON.stringify({ users: Math.min(n, 8) })], prof);
  const clients: BenchClient[] = [];
  try {
    await child.next('ready');
    const info = await child.request<ServerInfo>('info');
    let kind: ClientKind = 'y-websocket';
    let connect = connectYWebsocket;
    if (target === 'hocuspocus') ({ kind, connect } = await hocuspocusClients());
    for (let i = 0; i < n; i += 25) {
      const batch = Array.from({ length: Math.min(25, n - i) }, (_, k) => connect(info, i + k));
      clients.push(...batch);
      await withTimeout(Promise.all(batch.map((c) => c.synced())), 30_000, `${target}: clients to sync`);
    }
    const workload = createWorkload(clients, await seedBoard(clients), o.seed);
    return { target, kind, child, clients, workload, slices: [] };
  } catch (err) {
    for (const c of clients) c.destroy();
    await child.stop();
    throw err;
  }
}

async function stopContender(c: Contender) {
  for (const client of c.clients) client.destroy();
  await c.child.stop();
}

/**
 * All servers run side by side (idle ones cost nothing); measured time is cut into short
 * slices taken in turn, rotating the order, so noise on a shared machine spreads over all.
 */
async function runSize(n: number, targets: Target[], o: SizeOptions, log: (s: string) => void): Promise<SyncResult[]> {
  // The clients' own stalls: a slow slice with a stalled client process says nothing of the server.
  const clientDelay = monitorEventLoopDelay({ resolution: 1 });
  clientDelay.enable();
  process.setMaxListeners(Math.max(process.getMaxListeners(), targets.length * n + 20)); // y-websocket adds an exit hook per provider
  const contenders: Contender[] = [];
  try {
    for (const t of targets) contenders.push(await startContender(t, n, o));
    // Warmed in the same rotating slices as measured: V8 keeps optimizing a server's hot path
    // for tens of seconds of load, and a contender left idle while another warms may lose
    // optimized code; what is measured is the steady state a long-running server is in.
    const warmSlices = Math.ceil(o.warmup / o.slice);
    for (let s = 0; s < warmSlices; s++) for (let k = 0; k < contenders.length; k++) await contenders[(k + s) % contenders.length]!.workload.run(o.rate, o.slice);
    const slices = Math.max(1, Math.round(o.seconds / o.slice));
    for (let s = 0; s < slices; s++) {
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(k + s) % contenders.length]!;
        await c.child.request<Stats>('stats');
        const elu0 = performance.eventLoopUtilization();
        clientDelay.reset();
        const res = await c.workload.run(o.rate, o.slice);
        const clientElu = performance.eventLoopUtilization(elu0).utilization;
        c.slices.push({ ...res, server: await c.child.request<Stats>('stats'), clientElu, clientStallMs: clientDelay.max / 1e6 });
      }
    }
    const results = contenders.map((c) => pool(c, n, o));
    for (const r of results) log(`  ${r.target}: p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms, ${fmt(r.serverCpuUsPerEdit)} µs server CPU/edit, missing ${r.missing}`);
    return results;
  } finally {
    clientDelay.disable();
    await Promise.all(contenders.map(stopContender));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]);
}

/** One target at one size, its slices pooled. */
export interface SyncResult {
  target: Target;
  client: ClientKind;
  clients: number;
  rate: number;
  seconds: number;
  slices: number;
  edits: number;
  deliveries: number;
  missing: number;
  latency: Summary;
  fanout: Summary;
  /** p99 of each slice alone, to show the spread. */
  sliceP99: number[];
  /** Per slice, the longest stall of the server's and of the clients' event loop (ms). */
  sliceStalls: Array<{ server: number; clients: number }>;
  editsPerSec: number;
  deliveriesPerSec: number;
  serverCpuUsPerEdit: number;
  serverElu: number;
  clientElu: number;
  serverRssMb: number;
  /** Longest event-loop stall of the server in any slice (ms). */
  serverLoopStallMaxMs: number;
}

function pool(c: Contender, n: number, o: SizeOptions): SyncResult {
  const s = c.slices;
  const sum = (f: (r: (typeof s)[number]) => number) => s.reduce((a, r) => a + f(r), 0);
  const span = sum((r) => Math.max(r.spanS, o.slice));
  const edits = sum((r) => r.edits);
  return {
    target: c.target,
    client: c.kind,
    clients: n,
    rate: o.rate,
    seconds: o.slice * s.length,
    slices: s.length,
    edits,
    deliveries: sum((r) => r.deliveries),
    missing: sum((r) => r.missing),
    latency: summarize(s.flatMap((r) => r.samples.latency)),
    fanout: summarize(s.flatMap((r) => r.samples.fanout)),
    sliceP99: s.map((r) => r.latency.p99),
    sliceStalls: s.map((r) => ({ server: r.server.loopDelayMaxMs, clients: r.clientStallMs })),
    editsPerSec: edits / span,
    deliveriesPerSec: sum((r) => r.deliveries) / span,
    serverCpuUsPerEdit: (sum((r) => r.server.cpuMs) * 1000) / edits,
    serverElu: sum((r) => r.server.elu) / s.length,
    clientElu: sum((r) => r.clientElu) / s.length,
    serverRssMb: Math.max(...s.map((r) => r.server.rssMb)),
    serverLoopStallMaxMs: Math.max(...s.map((r) => r.server.loopDelayMaxMs)),
  };
}

function tableFor(n: number, results: SyncResult[]): Table {
  const hp = results.find((r) => r.target === 'hocuspocus');
  const floor = results.find((r) => r.target === 'floor');
  const first = results[0]!;
  return {
    title: `sync relay, ${n} clients on one board: ${first.rate} edits/s in total (${fmt(first.rate * (n - 1))} deliveries/s), ${first.seconds} s each in ${first.slices} interleaved slices`,
    columns: ['server', 'p50 ms', 'p99 ms', 'all-peers p99 ms', 'edits/s', 'deliveries/s', 'missing', 'server CPU µs/edit', 'edits/s per core', 'p99 vs hocuspocus', 'p99 vs floor', 'CPU vs hocuspocus', 'CPU vs floor'],
    rows: results.map((r) => [
      r.target,
      fmt(r.latency.p50),
      fmt(r.latency.p99),
      fmt(r.fanout.p99),
      fmt(r.editsPerSec),
      fmt(r.deliveriesPerSec),
      r.missing,
      fmt(r.serverCpuUsPerEdit),
      fmt(1e6 / r.serverCpuUsPerEdit),
      ratio(r.latency.p99, hp?.latency.p99 ?? NaN),
      ratio(r.latency.p99, floor?.latency.p99 ?? NaN),
      ratio(r.serverCpuUsPerEdit, hp?.serverCpuUsPerEdit ?? NaN),
      ratio(r.serverCpuUsPerEdit, floor?.serverCpuUsPerEdit ?? NaN),
    ]),
    notes: [
      '"edits/s per core" = 1e6 / server CPU µs per edit: the relay rate one core could sustain for this many clients (an estimate).',
      `p99 range over slices: ${results.map((r) => `${r.target} ${fmt(Math.min(...r.sliceP99))}-${fmt(Math.max(...r.sliceP99))}`).join(', ')}`,
      `slices whose client process stalled over 30 ms: ${results.map((r) => `${r.target} ${r.sliceStalls.filter((x) => x.clients > 30).length}/${r.slices}`).join(', ')}`,
      `busy: clients ${results.map((r) => `${fmt(r.clientElu * 100)}%`).join('/')}, servers ${results.map((r) => `${fmt(r.serverElu * 100)}%`).join('/')} (same order); longest server event-loop stall ${results.map((r) => `${fmt(r.serverLoopStallMaxMs)} ms`).join('/')}`,
      ...(hp ? [`hocuspocus clients: ${hp.client}`] : []),
    ],
  };
}

export const suite: BenchSuite = {
  name: 'sync',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const counts = listFlag(opts, 'clients', opts.quick ? [10, 50] : [10, 50, 100]);
    // Each client types at 5 edits/s (issue 23's load), capped by --rate and the client budget.
    const perClient = numberFlag(opts, 'per-client', 5);
    const maxRate = numberFlag(opts, 'rate', 500);
    const budget = numberFlag(opts, 'budget', 4000);
    const seconds = numberFlag(opts, 'seconds', opts.quick ? 4 : 10);
    const slice = numberFlag(opts, 'slice', 1);
    const warmup = numberFlag(opts, 'warmup', opts.quick ? 2 : 30);
    const targets = (opts.flags.get('targets')?.split(',') ?? [...TARGETS]) as Target[];
    for (const t of targets) if (!ALL_TARGETS.includes(t)) throw new Error(`unknown --targets entry "${t}"`);
    if (targets.some((t) => t.startsWith('takeboard'))) await ensureBuilt(opts.log);
    const results: SyncResult[] = [];
    const tables: Table[] = [];
    for (const n of counts) {
      const rate = Math.round(Math.min(perClient * n, maxRate, budget / Math.max(1, n - 1)) * 10) / 10;
      opts.log(`sync: ${n} clients on each of ${targets.join(', ')}; ${rate} edits/s, ${warmup} s warm-up, ${seconds} s measured in ${slice} s slices`);
      const forN = await runSize(n, targets, { rate, seconds, slice, warmup, seed: opts.seed, prof: opts.flags.has('prof-server'), nodeArgs: opts.flags.get('server-node-args')?.split(' ').filter(Boolean) ?? [] }, opts.log);
      results.push(...forN);
      tables.push(tableFor(n, forN));
    }
    return { tables, data: { perClient, maxRate, budget, seconds, slice, warmup, results } };
  },
};
