/**
 * Accepting a timeline's new order: the board ends in the edit suite's order (shots the file does
 * not have keep their places), and only the shots whose place changes get a new rank, all in the
 * one document change the accept is.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, setMeta, shotsInOrder } from '../../shared/doc/index.js';
import type { ImportChange } from '../../shared/timeline-import.js';
import { applyChanges } from '../../server/export/import/apply.js';

function board(n: number) {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Order', defaultModel: 'animatic', fps: 24 });
  const ids = Array.from({ length: n }, (_, i) => addShot(doc, { title: `Shot ${i + 1}`, durationSec: 2 }));
  return { doc, ids };
}

const ranks = (doc: Y.Doc) => new Map(shotsInOrder(doc).map((s) => [s.id, s.rank]));
const order = (doc: Y.Doc) => shotsInOrder(doc).map((s) => s.id);

/** Accepts the file's order `to` (of the shots the file has); answers the shots whose rank changed and the updates written. */
function accept(doc: Y.Doc, to: string[]) {
  const before = ranks(doc);
  const from = order(doc).filter((id) => to.includes(id));
  const change: ImportChange = { id: 'order', kind: 'order', from, to, summary: '' };
  let updates = 0;
  const count = () => updates++;
  doc.on('update', count);
  doc.transact(() => applyChanges(doc, [change]));
  doc.off('update', count);
  const after = ranks(doc);
  return { moved: [...after].filter(([id, rank]) => before.get(id) !== rank).map(([id]) => id), updates };
}

/** Length of a longest increasing run of `values` (the plain quadratic way, to check against). */
function lisLength(values: number[]): number {
  const best = values.map(() => 1);
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < i; j++) if (values[j]! < values[i]!) best[i] = Math.max(best[i]!, best[j]! + 1);
  }
  return Math.max(0, ...best);
}

/** A small seeded generator (mulberry32): the same shuffles every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('accepting a new order', () => {
  it('moves only the shot the editor moved', () => {
    const { doc, ids } = board(6);
    const [a, b, c, d, e, f] = ids as [string, string, string, string, string, string];
    const toFront = accept(doc, [f, a, b, c, d, e]);
    expect(order(doc)).toEqual([f, a, b, c, d, e]);
    expect(toFront.moved).toEqual([f]);
    expect(toFront.updates).toBe(1);
    const toEnd = accept(doc, [a, b, c, d, e, f]);
    expect(order(doc)).toEqual([a, b, c, d, e, f]);
    expect(toEnd.moved).toEqual([f]);
    const swap = accept(doc, [a, c, b, d, e, f]);
    expect(order(doc)).toEqual([a, c, b, d, e, f]);
    expect(swap.moved).toHaveLength(1);
    // Already in that order: nothing written.
    expect(accept(doc, [a, c, b, d, e, f])).toEqual({ moved: [], updates: 0 });
  });

  it('keeps the places of shots the file does not have', () => {
    const { doc, ids } = board(5);
    const [a, b, x, c, d] = ids as [string, string, string, string, string];
    accept(doc, [d, c, b, a]);
    expect(order(doc)).toEqual([d, c, x, b, a]);
  });

  it('gives the edit suite’s order for any shuffle, moving as few shots as can be', () => {
    const next = random(26);
    for (let round = 0; round < 150; round++) {
      const { doc, ids } = board(2 + Math.floor(next() * 14));
      const shuffled = [...ids];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const { moved } = accept(doc, shuffled);
      expect(order(doc)).toEqual(shuffled);
      expect(moved.length).toBe(ids.length - lisLength(shuffled.map((id) => ids.indexOf(id))));
    }
  });
});
