import { performance } from 'node:perf_hooks';
import type * as Y from 'yjs';
import { getPromptText } from '../../shared/doc/index.js';
import { rng } from '../lib/stats.js';
import type { BenchClient } from '../sync/clients.js';
import { stampsOf } from '../sync/workload.js';

export interface RelayPhase {
  /** Edit on an editor to arrival at a receiver (ms), one per delivery. */
  samples: number[];
  edits: number;
  deliveries: number;
  missing: number;
}

/**
 * One-way workload: `editors` type into the seeded shot's prompt and stamp `phase|seq|now` in
 * the stamps map in the same transaction; only `receivers` record arrivals. So the path
 * measured is exactly editor -> server(s) -> receiver, whichever instances those are on.
 */
export function createRelayWorkload(editors: BenchClient[], receivers: BenchClient[], shotId: string, seed: number) {
  let phase = 0;
  let samples: number[] = [];
  let pending = new Map<string, number>();
  for (const r of receivers) {
    const stamps = stampsOf(r.doc, shotId)!;
    stamps.observe((ev) => {
      if (ev.transaction.local) return;
      const now = performance.now();
      for (const key of ev.keysChanged) {
        const [p, seq, t] = (stamps.get(key) ?? '').split('|');
        if (Number(p) !== phase) continue;
        samples.push(now - Number(t));
        const id = `${key}|${seq}`;
        const left = (pending.get(id) ?? 0) - 1;
        if (left <= 0) pending.delete(id);
        else pending.set(id, left);
      }
    });
  }
  const writers = editors.map((c, index) => ({ index, prompt: getPromptText(c.doc, shotId) as Y.Text, stamps: stampsOf(c.doc, shotId)!, doc: c.doc, rand: rng(seed * 7919 + index), seq: 0 }));

  function edit(w: (typeof writers)[number]) {
    const seq = ++w.seq;
    w.doc.transact(() => {
      if (w.prompt.length > 2000) w.prompt.delete(w.rand.int(w.prompt.length - 3), 3);
      w.prompt.insert(w.rand.int(w.prompt.length + 1), w.rand.letters(3));
      pending.set(`${w.index}|${seq}`, receivers.length);
      w.stamps.set(String(w.index), `${phase}|${seq}|${performance.now()}`);
    });
  }

  return {
    /** `rate` edits/s in total, round-robin over the editors, open loop; then drains. */
    async run(rate: number, seconds: number, drainMs = 3000): Promise<RelayPhase> {
      phase++;
      samples = [];
      pending = new Map();
      const total = Math.max(1, Math.round(rate * seconds));
      const start = performance.now();
      let issued = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
          while (issued < due) edit(writers[issued++ % writers.length]!);
          if (issued >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      const until = performance.now() + drainMs;
      while (pending.size > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
      const missing = [...pending.values()].reduce((a, b) => a + b, 0);
      return { samples, edits: total, deliveries: samples.length, missing };
    },
  };
}
