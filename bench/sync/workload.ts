import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { addShot, getPromptText, roots } from '../../shared/doc/index.js';
import { rng, summarize, type Rng, type Summary } from '../lib/stats.js';
import type { BenchClient } from './clients.js';

/**
 * The edit workload: every client types into one shot's prompt (a Y.Text) at a seeded random
 * place, and in the same transaction writes `phase|seq|performance.now()` under its own key in a
 * stamps map on that shot (an unknown field, which the schema keeps). Receivers read the stamp
 * when the update lands, so relay latency is measured edit-to-arrival with one clock. A server
 * may relay several edits of one client as one merged update, where only the last stamp shows:
 * a stamp with seq S also delivers that sender's earlier edits not yet seen (Yjs applies one
 * client's edits in order), each timed from when it was made.
 */
const STAMPS = 'benchStamps';
/** Keeps the prompt near this length: past it, each edit also deletes what it types. */
const MAX_PROMPT = 2000;

interface Member {
  client: BenchClient;
  index: number;
  prompt: Y.Text;
  stamps: Y.Map<string>;
  rand: Rng;
  seq: number;
}

/** Client 0 creates the shot and the stamps map; resolves once every client has both. */
export async function seedBoard(clients: BenchClient[]): Promise<string> {
  const doc = clients[0]!.doc;
  const shotId = addShot(doc, { title: 'Bench shot', prompt: 'A slow push-in on the lighthouse at dusk. ' });
  const shot = roots(doc).shots.get(shotId) as Y.Map<unknown>;
  shot.set(STAMPS, new Y.Map<string>());
  const deadline = Date.now() + 30_000;
  while (!clients.every((c) => stampsOf(c.doc, shotId))) {
    if (Date.now() > deadline) throw new Error('the seeded shot did not reach every client in 30 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  return shotId;
}

export function stampsOf(doc: Y.Doc, shotId: string): Y.Map<string> | undefined {
  const shot = roots(doc).shots.get(shotId);
  const stamps = shot instanceof Y.Map ? shot.get(STAMPS) : undefined;
  return stamps instanceof Y.Map ? (stamps as Y.Map<string>) : undefined;
}

export interface PhaseResult {
  /** Raw samples, so rounds can be pooled: per delivery, and per complete edit (all peers). */
  samples: { latency: number[]; fanout: number[] };
  edits: number;
  deliveries: number;
  /** Deliveries still missing when the drain deadline passed. */
  missing: number;
  /** Per delivery: edit on one client to arrival at one other client (ms). */
  latency: Summary;
  /** Per edit: edit to arrival at the last of the other clients (ms); complete edits only. */
  fanout: Summary;
  /** Wall time from the first edit to the last delivery (s). */
  spanS: number;
}

/**
 * Drives phases of the workload over a set of synced clients. Only the phase being recorded
 * counts; stamps of earlier phases (warm-up) are ignored when they arrive late.
 */
export function createWorkload(clients: BenchClient[], shotId: string, seed: number) {
  const members: Member[] = clients.map((client, index) => ({
    client,
    index,
    prompt: getPromptText(client.doc, shotId),
    stamps: stampsOf(client.doc, shotId)!,
    rand: rng(seed * 1_000_003 + index),
    seq: 0,
  }));
  const receivers = clients.length - 1;
  let phase = 0;
  let latencies: number[] = [];
  let pending = new Map<number, { count: number; max: number; at: number }>();
  /** Per receiver, per sender: the last seq seen in the current phase. */
  let seen = members.map(() => new Map<number, number>());
  let fanout: number[] = [];
  let lastArrival = 0;
  /** Per sender: its first seq in the current phase. */
  const firstSeq: number[] = members.map(() => 1);

  for (const m of members) {
    m.stamps.observe((ev) => {
      if (ev.transaction.local) return;
      const now = performance.now();
      for (const key of ev.keysChanged) {
        const [p, seqText] = (m.stamps.get(key) ?? '').split('|');
        if (Number(p) !== phase) continue;
        const sender = Number(key);
        const seq = Number(seqText);
        const mine = seen[m.index]!;
        for (let k = (mine.get(sender) ?? firstSeq[sender]! - 1) + 1; k <= seq; k++) {
          const id = sender * 1e8 + k;
          const entry = pending.get(id);
          if (!entry) continue;
          const ms = now - entry.at;
          latencies.push(ms);
          lastArrival = now;
          entry.count++;
          if (ms > entry.max) entry.max = ms;
          if (entry.count === receivers) {
            fanout.push(entry.max);
            pending.delete(id);
          }
        }
        if (seq > (mine.get(sender) ?? 0)) mine.set(sender, seq);
      }
    });
  }

  function edit(m: Member) {
    const seq = ++m.seq;
    m.client.doc.transact(() => {
      const len = m.prompt.length;
      if (len > MAX_PROMPT) m.prompt.delete(m.rand.int(len - 3), 3);
      m.prompt.insert(m.rand.int(m.prompt.length + 1), m.rand.letters(3));
      const t = performance.now();
      pending.set(m.index * 1e8 + seq, { count: 0, max: 0, at: t });
      m.stamps.set(String(m.index), `${phase}|${seq}|${t}`);
    });
  }

  return {
    /**
     * Issues `rate` edits/s in total for `seconds` (open loop: the schedule does not wait for
     * deliveries), round-robin over a seeded order of clients, then waits up to `drainMs` for
     * every delivery.
     */
    async run(rate: number, seconds: number, drainMs = 3000): Promise<PhaseResult> {
      phase++;
      lastArrival = 0;
      latencies = [];
      fanout = [];
      pending = new Map();
      seen = members.map(() => new Map<number, number>());
      for (const m of members) firstSeq[m.index] = m.seq + 1;
      const order = members.slice();
      const shuffle = rng(seed + phase);
      for (let i = order.length - 1; i > 0; i--) {
        const j = shuffle.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const total = Math.max(1, Math.round(rate * seconds));
      const start = performance.now();
      let issued = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
          while (issued < due) edit(order[issued++ % order.length]!);
          if (issued >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      const drainUntil = performance.now() + drainMs;
      while (pending.size > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
      const missing = [...pending.values()].reduce((n, e) => n + receivers - e.count, 0);
      return {
        samples: { latency: latencies, fanout },
        edits: total,
        deliveries: latencies.length,
        missing,
        latency: summarize(latencies),
        fanout: summarize(fanout),
        spanS: (Math.max(lastArrival, start) - start) / 1000,
      };
    },
  };
}
