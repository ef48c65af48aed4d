import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './lib/child.js';
import { fmt, ratio, summarize, type Summary } from './lib/stats.js';
import { numberFlag, type BenchOptions, type BenchSuite, type SuiteResult, type Table } from './lib/suite.js';
import { connectYWebsocket, type BenchClient } from './sync/clients.js';
import { seedBoard } from './sync/workload.js';
import type { InstanceInfo } from './crossinstance/instance-child.js';
import { createRelayWorkload, type RelayPhase } from './crossinstance/relay-workload.js';
import { startRedis } from '../test/helpers/redis.js';
import { createBoard, joinWithRole, signedUpClient } from '../test/helpers/http.js';

/**
 * Cross-instance relay through Redis against a single instance, in the same run: two Takeboard
 * instances (each its own child process) share one libSQL file and one real redis-server
 * (server/scale/redis-bus.ts). Two boards, the same workload on each: on "cross", the editors
 * are connected to instance A and the receivers to instance B (A stores, relays to its own,
 * publishes; B applies the fan-out and relays); on "single", editors and receivers are all on A.
 * Both run with Redis configured, so A publishes every update either way; only the path to the
 * receivers differs. Measured time is cut into 1 s slices taken in turn, rotating the order.
 *
 * Flags: --editors 4  --receivers 16  --rate 100 (edits/s in total)  --seconds <per config>  --warmup 1
 */
const here = path.dirname(fileURLToPath(import.meta.url));
type Config = 'cross' | 'single';

interface Side {
  config: Config;
  clients: BenchClient[];
  workload: ReturnType<typeof createRelayWorkload>;
  slices: RelayPhase[];
}

async function connectSynced(info: InstanceInfo, room: string, cookies: string[], count: number, offset: number): Promise<BenchClient[]> {
  const clients = Array.from({ length: count }, (_, i) => connectYWebsocket({ url: info.url, origin: info.origin, room, cookies }, offset + i));
  await Promise.all(clients.map((c) => c.synced()));
  return clients;
}

export interface CrossResult {
  config: Config;
  latency: Summary;
  edits: number;
  deliveries: number;
  missing: number;
  sliceP99: number[];
}

function tableFor(d: { editors: number; receivers: number; rate: number; seconds: number; results: CrossResult[] }): Table {
  const single = d.results.find((r) => r.config === 'single')!;
  return {
    title: `cross-instance relay through Redis: ${d.editors} editors on A, ${d.receivers} receivers on B vs on A; ${d.rate} edits/s, ${d.seconds} s each in interleaved slices`,
    columns: ['path', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'deliveries', 'missing', 'p50 vs single', 'p99 vs single', 'target'],
    rows: d.results.map((r) => [
      r.config === 'cross' ? 'A -> Redis -> B (cross)' : 'A -> A (single)',
      fmt(r.latency.p50),
      fmt(r.latency.p90),
      fmt(r.latency.p99),
      fmt(r.latency.max),
      r.deliveries,
      r.missing,
      ratio(r.latency.p50, single.latency.p50),
      ratio(r.latency.p99, single.latency.p99),
      r.config === 'cross' ? '<= 2x p99' : '',
    ]),
    notes: [
      `p99 range over slices: ${d.results.map((r) => `${r.config} ${fmt(Math.min(...r.sliceP99))}-${fmt(Math.max(...r.sliceP99))}`).join(', ')}`,
      'both instances share one libSQL file (the stand-in for a libSQL server) and one redis-server on loopback; A stores before it relays or publishes',
    ],
  };
}

export const suite: BenchSuite = {
  name: 'crossinstance',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const editors = numberFlag(opts, 'editors', 4);
    const receivers = numberFlag(opts, 'receivers', 16);
    const rate = numberFlag(opts, 'rate', 100);
    const seconds = numberFlag(opts, 'seconds', opts.quick ? 5 : 15);
    const warmup = numberFlag(opts, 'warmup', 1);
    process.setMaxListeners(Math.max(process.getMaxListeners(), 2 * (editors + receivers) + 20)); // y-websocket adds an exit hook per provider
    const redis = await startRedis();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-bench-cross-'));
    const instances: Child[] = [];
    const sides: Side[] = [];
    try {
      // One after the other: both run the migrations on the shared file at start.
      for (const name of ['A', 'B']) {
        const child = startChild(path.join(here, 'crossinstance', 'instance-child.ts'), [dataDir, redis.url]);
        instances.push(child);
        await child.next('ready');
        opts.log(`crossinstance: instance ${name} up`);
      }
      const [a, b] = await Promise.all(instances.map((c) => c.request<InstanceInfo>('info'))) as [InstanceInfo, InstanceInfo];
      const owner = await signedUpClient(a.origin, { name: 'Owner' });
      const others = await Promise.all([1, 2, 3].map((i) => signedUpClient(a.origin, { name: `Editor${i}` })));
      const cookies = [owner.client.cookieHeader, ...others.map((o) => o.client.cookieHeader)];
      for (const config of ['cross', 'single'] as const) {
        const boardId = await createBoard(owner.client, `Relay ${config}`);
        for (const o of others) await joinWithRole(owner.client, o.client, boardId, 'editor');
        const writers = await connectSynced(a, boardId, cookies, editors, 0);
        const readers = await connectSynced(config === 'cross' ? b : a, boardId, cookies, receivers, editors);
        const shotId = await seedBoard([...writers, ...readers]);
        sides.push({ config, clients: [...writers, ...readers], workload: createRelayWorkload(writers, readers, shotId, opts.seed), slices: [] });
      }
      opts.log(`crossinstance: ${editors} editors on A; ${receivers} receivers on B (cross) or A (single); ${rate} edits/s, ${seconds} s each in 1 s slices`);
      for (const s of sides) await s.workload.run(rate, warmup);
      for (let i = 0; i < seconds; i++) {
        for (let k = 0; k < sides.length; k++) {
          const s = sides[(k + i) % sides.length]!;
          s.slices.push(await s.workload.run(rate, 1));
        }
      }
      const results: CrossResult[] = sides.map((s) => ({
        config: s.config,
        latency: summarize(s.slices.flatMap((r) => r.samples)),
        edits: s.slices.reduce((n, r) => n + r.edits, 0),
        deliveries: s.slices.reduce((n, r) => n + r.deliveries, 0),
        missing: s.slices.reduce((n, r) => n + r.missing, 0),
        sliceP99: s.slices.map((r) => summarize(r.samples).p99),
      }));
      const [cross, single] = results as [CrossResult, CrossResult];
      const p99Ratio = cross.latency.p99 / single.latency.p99;
      for (const r of results) opts.log(`  ${r.config}: p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms, missing ${r.missing}`);
      const data = { editors, receivers, rate, seconds, results, p50Ratio: cross.latency.p50 / single.latency.p50, p99Ratio, targetP99Ratio: 2 };
      return { data, tables: [tableFor(data)] };
    } finally {
      for (const s of sides) for (const c of s.clients) c.destroy();
      await Promise.all(instances.map((c) => c.stop()));
      await redis.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
