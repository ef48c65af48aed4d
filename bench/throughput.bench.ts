import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { addShot, getPromptText, roots } from '../shared/doc/index.js';
import { startChild, type Child } from './lib/child.js';
import { fmt, ratio, rng, summarize, type Summary } from './lib/stats.js';
import { listFlag, numberFlag, type BenchOptions, type BenchSuite, type SuiteResult, type Table } from './lib/suite.js';
import { connectRaw, type Framing, type RawClient } from './sync/raw-client.js';
import type { ServerInfo } from './sync/server-child.js';

/**
 * Updates per second one board sustains: `--clients` sockets on one board, all but one typing
 * into the same shot prompt (one character per update, as a person types) at a stepped total
 * rate, the last one only watching. The same steps run against Takeboard (validate, store in
 * libSQL, then relay), @hocuspocus/server and the floor relay, each in its own process.
 *
 * Writers are raw y-protocols sockets sending updates prepared beforehand (a provider's per-
 * message work would make this one client process the bottleneck long before the servers),
 * and they ignore what they receive; the servers still send it to them. The watcher reads the
 * clocks in each update it receives (`Y.parseUpdateMeta`) to learn which writer's updates have
 * arrived, so merged batches count as the updates they carry. A step is kept up when every
 * update arrived and delivery kept within 5% of the offered rate. Hocuspocus and the floor send
 * one message per update per socket where Takeboard sends a tick's updates as one, so at high
 * rates this one client process can become their bottleneck: the table prints how busy it was.
 *
 * Flags: --clients 10,50  --rates 1000,2500,5000,10000  --seconds <per step>  --targets takeboard,hocuspocus,floor
 */
const TARGETS = ['takeboard', 'hocuspocus', 'floor'] as const;
type Target = (typeof TARGETS)[number];
const here = path.dirname(fileURLToPath(import.meta.url));

interface Writer {
  client: RawClient;
  clientId: number;
  /** Prepared updates, and the clock each one ends at. */
  updates: Uint8Array[];
  endClocks: number[];
  sentAt: number[];
  next: number;
  /** Updates of this writer the watcher has seen, counted from the start. */
  seen: number;
}

export interface StepResult {
  target: Target;
  offered: number;
  sent: number;
  delivered: number;
  missing: number;
  /** Delivered updates per second, from the first send to the last arrival. */
  achieved: number;
  keptUp: boolean;
  latency: Summary;
  serverCpuUsPerUpdate: number;
  clientElu: number;
}

const waitFor = async (what: string, cond: () => boolean, ms = 30_000) => {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function runTarget(target: Target, n: number, rates: number[], seconds: number, seed: number, log: (s: string) => void): Promise<StepResult[]> {
  const child: Child = startChild(path.join(here, 'sync', 'server-child.ts'), [target, JSON.stringify({ users: Math.min(n, 8) })]);
  const clients: RawClient[] = [];
  try {
    await child.next('ready');
    const info = await child.request<ServerInfo>('info');
    const framing: Framing = target === 'hocuspocus' ? 'hocuspocus' : 'y-websocket';
    for (let i = 0; i < n; i++) clients.push(connectRaw(info, i, framing));
    await Promise.all(clients.map((c) => c.synced));

    // The watcher creates the shot; every writer takes it in before it starts typing.
    const [watcher, ...writerClients] = clients as [RawClient, ...RawClient[]];
    const before = Y.encodeStateVector(watcher.doc);
    const shotId = addShot(watcher.doc, { title: 'Throughput shot', prompt: 'A slow push-in on the lighthouse at dusk. ' });
    for (const c of writerClients) c.onUpdate = (u) => Y.applyUpdate(c.doc, u);
    watcher.send(Y.encodeStateAsUpdate(watcher.doc, before));
    await waitFor('the shot to reach every writer', () => writerClients.every((c) => roots(c.doc).shots.has(shotId)));
    for (const c of writerClients) c.onUpdate = null;

    // Each writer types at its own cursor, one character per update, enough for every step.
    const perWriter = Math.ceil((rates.reduce((a, r) => a + r, 0) * seconds) / writerClients.length) + rates.length;
    const r = rng(seed);
    const writers: Writer[] = writerClients.map((client) => {
      const text = getPromptText(client.doc, shotId);
      let cursor = r.int(text.length + 1);
      const updates: Uint8Array[] = [];
      const endClocks: number[] = [];
      const capture = (u: Uint8Array) => {
        updates.push(u);
        endClocks.push(Y.parseUpdateMeta(u).to.get(client.doc.clientID) ?? 0);
      };
      client.doc.on('update', capture);
      for (let k = 0; k < perWriter; k++) text.insert(cursor++, r.letters(1));
      client.doc.off('update', capture);
      return { client, clientId: client.doc.clientID, updates, endClocks, sentAt: [], next: 0, seen: 0 };
    });
    const byClient = new Map(writers.map((w) => [w.clientId, w]));
    let latencies: number[] = [];
    let lastArrival = 0;
    watcher.onUpdate = (u) => {
      const now = performance.now();
      for (const [clientId, clock] of Y.parseUpdateMeta(u).to) {
        const w = byClient.get(clientId);
        if (!w) continue;
        while (w.seen < w.next && w.endClocks[w.seen]! <= clock) {
          latencies.push(now - w.sentAt[w.seen]!);
          w.seen++;
          lastArrival = now;
        }
      }
    };

    const results: StepResult[] = [];
    for (const rate of rates) {
      latencies = [];
      const total = Math.round(rate * seconds);
      const sentBefore = writers.reduce((a, w) => a + w.next, 0);
      await child.request('stats');
      const elu0 = performance.eventLoopUtilization();
      const start = performance.now();
      let issued = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
          for (; issued < due; issued++) {
            const w = writers[issued % writers.length]!;
            w.sentAt[w.next] = performance.now();
            w.client.send(w.updates[w.next++]!);
          }
          if (issued >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      const sent = writers.reduce((a, w) => a + w.next, 0);
      const allSeen = () => writers.every((w) => w.seen === w.next);
      await waitFor('deliveries', allSeen, 10_000).catch(() => {});
      const clientElu = performance.eventLoopUtilization(elu0).utilization;
      const stats = await child.request<{ cpuMs: number }>('stats');
      const delivered = latencies.length;
      const achieved = delivered / Math.max(seconds, (lastArrival - start) / 1000);
      const missing = sent - writers.reduce((a, w) => a + w.seen, 0);
      const step: StepResult = {
        target,
        offered: rate,
        sent: sent - sentBefore,
        delivered,
        missing,
        achieved,
        keptUp: missing === 0 && achieved >= 0.95 * rate,
        latency: summarize(latencies),
        serverCpuUsPerUpdate: (stats.cpuMs * 1000) / Math.max(1, sent - sentBefore),
        clientElu,
      };
      results.push(step);
      log(`  ${target} @ ${rate}/s: ${fmt(achieved)} delivered/s, p50 ${fmt(step.latency.p50)} ms, p99 ${fmt(step.latency.p99)} ms, missing ${missing}, server ${fmt(step.serverCpuUsPerUpdate)} µs CPU/update`);
      if (missing > 0) break; // the server fell behind: higher rates only pile up more
    }
    return results;
  } finally {
    for (const c of clients) c.close();
    await child.stop();
  }
}

function tableFor(n: number, seconds: number, results: StepResult[]): Table {
  const rates = [...new Set(results.map((r) => r.offered))].sort((a, b) => a - b);
  const targets = [...new Set(results.map((r) => r.target))];
  const best = (t: Target) => Math.max(0, ...results.filter((r) => r.target === t && r.keptUp).map((r) => r.offered));
  const at = (t: Target, rate: number) => results.find((r) => r.target === t && r.offered === rate);
  return {
    title: `sync throughput, one board, ${n} clients (${n - 1} typing, 1 watching), ${seconds} s per step`,
    columns: ['server', ...rates.map((r) => `${r}/s: delivered/s, p99 ms`), 'highest rate kept up', 'vs hocuspocus', 'vs floor'],
    rows: targets.map((t) => [
      t,
      ...rates.map((rate) => {
        const s = at(t, rate);
        return s ? `${fmt(s.achieved)}${s.keptUp ? '' : ' (behind)'}, ${fmt(s.latency.p99)}` : '-';
      }),
      best(t),
      ratio(best(t), best('hocuspocus')),
      ratio(best(t), best('floor')),
    ]),
    notes: [
      `server CPU µs per update at the highest rate each kept up: ${targets.map((t) => `${t} ${fmt(at(t, best(t))?.serverCpuUsPerUpdate ?? NaN)}`).join(', ')}`,
      `client process busy at the top step: ${targets.map((t) => `${t} ${fmt((results.filter((r) => r.target === t).at(-1)?.clientElu ?? NaN) * 100)}%`).join(', ')}`,
    ],
  };
}

export const suite: BenchSuite = {
  name: 'throughput',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const sizes = listFlag(opts, 'clients', opts.quick ? [10] : [10, 50]);
    if (sizes.some((n) => n < 2)) throw new Error('--clients must be at least 2 (writers and a watcher)');
    const rates = listFlag(opts, 'rates', opts.quick ? [2500, 5000, 10_000] : [1000, 2500, 5000, 7500, 10_000, 15_000, 20_000]).sort((a, b) => a - b);
    const seconds = numberFlag(opts, 'seconds', opts.quick ? 1 : 4);
    const targets = (opts.flags.get('targets')?.split(',') ?? [...TARGETS]) as Target[];
    for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown --targets entry "${t}"`);
    const tables: Table[] = [];
    const data: Array<{ clients: number; results: StepResult[] }> = [];
    for (const n of sizes) {
      const results: StepResult[] = [];
      for (const t of targets) {
        opts.log(`throughput: ${t}, ${n} clients, steps ${rates.join(', ')} updates/s, ${seconds} s each`);
        results.push(...(await runTarget(t, n, rates, seconds, opts.seed, opts.log)));
      }
      tables.push(tableFor(n, seconds, results));
      data.push({ clients: n, results });
    }
    return { tables, data: { rates, seconds, sizes: data } };
  },
};
