import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  SHOT,
  addShot,
  compareRanked,
  deleteShot,
  duplicateShot,
  moveShot,
  placeAt,
  roots,
  setShotFields,
  shotsInOrder,
  validateDocument,
} from '../../../shared/doc/index.js';
import { applyAsServer, pick, prng, replicaOf, serverCopy, syncAll } from './helpers.js';

const ids = (doc: Y.Doc) => shotsInOrder(doc).map((s) => s.id);
const titles = (doc: Y.Doc) => shotsInOrder(doc).map((s) => s.title);
const setRank = (doc: Y.Doc, id: string, rank: string) => (roots(doc).shots.get(id) as Y.Map<unknown>).set(SHOT.rank, rank);

describe('shot order', () => {
  it('follows rank, not insertion order, with ties broken by id', () => {
    const doc = new Y.Doc();
    const [a, b, c] = ['A', 'B', 'C'].map((title) => addShot(doc, { title }));
    expect(titles(doc)).toEqual(['A', 'B', 'C']);
    setRank(doc, a!, 'a5');
    expect(titles(doc)).toEqual(['B', 'C', 'A']);
    setRank(doc, b!, 'a5');
    setRank(doc, c!, 'a5');
    expect(ids(doc)).toEqual([a, b, c].sort());
  });

  it('places new shots at the end, after or before a shot', () => {
    const doc = new Y.Doc();
    const a = addShot(doc, { title: 'A' });
    const c = addShot(doc, { title: 'C' });
    addShot(doc, { title: 'B', after: a });
    addShot(doc, { title: '0', before: a });
    addShot(doc, { title: 'D' });
    expect(titles(doc)).toEqual(['0', 'A', 'B', 'C', 'D']);
    expect(() => addShot(doc, { after: 'shot_nope' })).toThrow(/not found/);
    expect(() => moveShot(doc, c, { after: a, before: a })).toThrow(/either/);
  });

  it('moves shots before, after and to the end', () => {
    const doc = new Y.Doc();
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((title) => addShot(doc, { title }));
    moveShot(doc, a!, { after: c! });
    expect(titles(doc)).toEqual(['B', 'C', 'A', 'D']);
    moveShot(doc, d!, { before: b! });
    expect(titles(doc)).toEqual(['D', 'B', 'C', 'A']);
    moveShot(doc, d!, {});
    expect(titles(doc)).toEqual(['B', 'C', 'A', 'D']);
    const before = Y.encodeStateVector(doc);
    moveShot(doc, a!, { after: c! }); // already there: no update at all
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('inserts and moves between shots with equal ranks without throwing', () => {
    const doc = new Y.Doc();
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((title) => addShot(doc, { title }));
    for (const id of [a, b, c]) setRank(doc, id!, 'a1');
    const tied = ids(doc).slice(0, 3);
    const x = addShot(doc, { title: 'X', after: tied[0] });
    expect(ids(doc)).toEqual([tied[0], x, tied[1], tied[2], d]);
    moveShot(doc, d!, { before: tied[2]! });
    expect(ids(doc)).toEqual([tied[0], x, tied[1], d, tied[2]]);
    expect(new Set(shotsInOrder(doc).map((s) => s.rank)).size).toBe(5); // the tie got resolved
    expect(validateDocument(doc)).toEqual([]);
  });

  it('recovers from ranks the library cannot read', () => {
    const doc = new Y.Doc();
    const [a, b] = ['A', 'B'].map((title) => addShot(doc, { title }));
    setRank(doc, a!, '');
    setRank(doc, b!, '!!');
    const x = addShot(doc, { title: 'X', after: a });
    expect(ids(doc)).toEqual([a, x, b]);
    expect(validateDocument(doc)).toEqual([]);
  });

  it('placeAt returns keys strictly between its neighbours', () => {
    const ordered = [{ id: 'p', rank: 'a0' }, { id: 'q', rank: 'a0' }, { id: 'r', rank: 'a1' }];
    const { rank, rerank } = placeAt(ordered, 1);
    const after = [{ id: 'p', rank: 'a0' }, { id: 'new', rank }, ...rerank, { id: 'r', rank: 'a1' }];
    expect([...after].sort(compareRanked).map((s) => s.id)).toEqual(['p', 'new', 'q', 'r']);
  });
});

describe('concurrent ordering', () => {
  it('two clients inserting after the same shot both keep their shot, in the same order', () => {
    const base = new Y.Doc();
    const a = addShot(base, { title: 'A' });
    const b = addShot(base, { title: 'B' });
    const [d1, d2] = [replicaOf(base), replicaOf(base)];
    const x = addShot(d1!, { title: 'X', after: a });
    const y = addShot(d2!, { title: 'Y', after: a });
    syncAll([d1!, d2!]);
    expect(ids(d1!)).toEqual(ids(d2!));
    expect(ids(d1!)).toEqual([a, ...[x, y].sort(), b]); // same rank, so by id, both between A and B
    const z = addShot(d1!, { title: 'Z', after: [x, y].sort()[0] }); // into the tie
    syncAll([d1!, d2!]);
    expect(ids(d2!)).toEqual([a, [x, y].sort()[0], z, [x, y].sort()[1], b]);
  });

  it('concurrent moves of the same shot converge to one position', () => {
    const base = new Y.Doc();
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((title) => addShot(base, { title }));
    const [d1, d2] = [replicaOf(base), replicaOf(base)];
    moveShot(d1!, a!, { after: d! });
    moveShot(d2!, a!, { after: b! });
    syncAll([d1!, d2!]);
    expect(ids(d1!)).toEqual(ids(d2!));
    expect(ids(d1!).filter((id) => id === a)).toHaveLength(1);
    expect(new Set(ids(d1!))).toEqual(new Set([a, b, c, d]));
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random inserts, moves, duplicates and deletes converge (seed %i)', (seed) => {
    const rand = prng(seed);
    const base = new Y.Doc();
    const created = new Set<string>();
    const deleted = new Set<string>();
    for (let i = 0; i < 5; i++) created.add(addShot(base, { title: `s${i}` }));
    const docs = Array.from({ length: 2 + (seed % 2) }, () => replicaOf(base));
    // Every update any replica emits also goes to a server copy, judged as the sync server would.
    const server = serverCopy(base);
    const refused: string[] = [];
    for (const doc of docs) {
      doc.on('update', (u: Uint8Array) => {
        const verdict = applyAsServer(server, u, 'client');
        if (!verdict.ok) refused.push(verdict.reason);
      });
    }
    for (let round = 0; round < 30; round++) {
      for (const doc of docs) {
        for (let op = 0; op < 1 + Math.floor(rand() * 3); op++) randomOp(doc, rand, created, deleted);
      }
      if (rand() < 0.5) syncAll([pick(rand, docs), pick(rand, docs)]); // partial sync: some pairs lag
    }
    syncAll(docs);
    const order = ids(docs[0]!);
    for (const doc of docs) expect(ids(doc)).toEqual(order);
    expect(new Set(order).size).toBe(order.length);
    expect(new Set(order)).toEqual(new Set([...created].filter((id) => !deleted.has(id))));
    for (const doc of docs) expect(validateDocument(doc)).toEqual([]);
    expect(refused).toEqual([]);
    expect(ids(server)).toEqual(order);
  });
});

function randomOp(doc: Y.Doc, rand: () => number, created: Set<string>, deleted: Set<string>): void {
  const current = ids(doc);
  const anchor = current.length > 0 ? pick(rand, current) : undefined;
  const where = anchor === undefined ? {} : pick(rand, [{ after: anchor }, { before: anchor }, {}]);
  const r = rand();
  if (r < 0.3 || current.length === 0) {
    created.add(addShot(doc, { title: `n${created.size}`, ...where }));
  } else if (r < 0.75) {
    moveShot(doc, pick(rand, current), where);
  } else if (r < 0.85) {
    created.add(duplicateShot(doc, pick(rand, current)));
  } else if (r < 0.95) {
    const victim = pick(rand, current);
    deleteShot(doc, victim);
    deleted.add(victim);
  } else {
    setShotFields(doc, pick(rand, current), { title: `t${Math.floor(rand() * 100)}` });
  }
}
