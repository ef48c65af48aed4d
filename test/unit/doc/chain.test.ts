/**
 * The stale rule: computed from server-written take fields, cleared by
 * re-selecting the original upstream take, by a take made from the current tail, or by keep anyway.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  SHOT,
  STALE_ACCEPTED_IS_SERVER_ONLY,
  addShot,
  chainOf,
  chainStates,
  deleteShot,
  getShot,
  listTakes,
  roots,
  selectTake,
  setShotFields,
  upsertTake,
  validateDocument,
  type ChainState,
} from '../../../shared/doc/index.js';
import { judgeClientEdit } from './helpers.js';

let clock = 0;
/** A finished take of `shot` (server side), made from `fromTail` of `fromTake` when given. */
function take(doc: Y.Doc, shot: string, id: string, made?: { fromShot: string; fromTake: string; fromTail: string }) {
  const n = listTakes(doc, shot);
  upsertTake(doc, shot, id, {
    jobId: `job_${id}`, model: 'animatic', durationSec: 4, createdBy: 'user_gen', status: 'succeeded',
    createdAt: new Date(Date.UTC(2026, 11, 1, 10, 0, clock++)).toISOString(),
    number: n.length + 1, clip: `clip_${id}`, tail: `tail_${id}`, ...(made ?? {}),
  });
}

/** A take of `shot` generated now from `up`'s selected take, as the server would record it. */
function takeFrom(doc: Y.Doc, shot: string, id: string, up: string) {
  const upTake = getShot(doc, up)!.selectedTake!;
  take(doc, shot, id, { fromShot: up, fromTake: upTake, fromTail: `tail_${upTake}` });
}

/** Shots a → b → c, each with one fresh selected take made from the one above. */
function threeChain() {
  const doc = new Y.Doc();
  const a = addShot(doc, { title: 'A' });
  const b = addShot(doc, { title: 'B', continuesFrom: a });
  const c = addShot(doc, { title: 'C', continuesFrom: b });
  take(doc, a, 'take_a1');
  selectTake(doc, a, 'take_a1');
  takeFrom(doc, b, 'take_b1', a);
  selectTake(doc, b, 'take_b1');
  takeFrom(doc, c, 'take_c1', b);
  selectTake(doc, c, 'take_c1');
  take(doc, a, 'take_a2');
  return { doc, a, b, c };
}

const states = (doc: Y.Doc, ids: string[]): ChainState[] => ids.map((id) => chainStates(doc).get(id)!.state);
const accept = (doc: Y.Doc, shot: string, rec: object) => (roots(doc).shots.get(shot) as Y.Map<unknown>).set(SHOT.staleAccepted, rec);

describe('chain states', () => {
  it('three chained shots start fresh and say what they continue from', () => {
    const { doc, a, b, c } = threeChain();
    expect(states(doc, [a, b, c])).toEqual(['unchained', 'fresh', 'fresh']);
    expect(chainStates(doc).get(c)).toEqual({
      state: 'fresh',
      upstream: { shotId: b, position: 2, takeId: 'take_b1', takeNumber: 1, tail: 'tail_take_b1' },
      takeId: 'take_c1',
      madeFrom: { takeId: 'take_b1', takeNumber: 1, tail: 'tail_take_b1' },
    });
  });

  it('another upstream take makes the next shot stale and the one after it upstream stale; the original clears both', () => {
    const { doc, a, b, c } = threeChain();
    selectTake(doc, a, 'take_a2');
    expect(states(doc, [a, b, c])).toEqual(['unchained', 'stale', 'upstream-stale']);
    expect(chainStates(doc).get(b)).toMatchObject({ upstream: { takeId: 'take_a2', takeNumber: 2 }, madeFrom: { takeId: 'take_a1', takeNumber: 1 } });
    expect(chainStates(doc).get(c)!.staleAt).toBe(2);
    // selectTake writes nothing but the selection: no mark for a client to forget to clear.
    expect((roots(doc).shots.get(b) as Y.Map<unknown>).has(SHOT.stale)).toBe(false);
    selectTake(doc, a, 'take_a1');
    expect(states(doc, [a, b, c])).toEqual(['unchained', 'fresh', 'fresh']);
  });

  it('a new take generated from the current tail clears it; the shot below then waits on its own tail', () => {
    const { doc, a, b, c } = threeChain();
    selectTake(doc, a, 'take_a2');
    takeFrom(doc, b, 'take_b2', a);
    expect(states(doc, [b, c])).toEqual(['stale', 'upstream-stale']); // not selected yet
    selectTake(doc, b, 'take_b2');
    expect(states(doc, [b, c])).toEqual(['fresh', 'stale']);
    takeFrom(doc, c, 'take_c2', b);
    selectTake(doc, c, 'take_c2');
    expect(states(doc, [a, b, c])).toEqual(['unchained', 'fresh', 'fresh']);
  });

  it('keep anyway clears it for exactly that take and tail, and goes stale again when the upstream changes once more', () => {
    const { doc, a, b, c } = threeChain();
    take(doc, a, 'take_a3');
    selectTake(doc, a, 'take_a2');
    const rec = { take: 'take_b1', tail: 'tail_take_a2', by: 'user_ana', at: '2026-12-01T10:05:00.000Z' };
    accept(doc, b, rec);
    expect(states(doc, [b, c])).toEqual(['accepted', 'fresh']);
    expect(chainStates(doc).get(b)!.accepted).toEqual(rec);
    selectTake(doc, a, 'take_a3');
    expect(states(doc, [b, c])).toEqual(['stale', 'upstream-stale']);
    expect(chainStates(doc).get(b)!.accepted).toBeUndefined();
    selectTake(doc, a, 'take_a2'); // back to the tail it was kept against
    expect(states(doc, [b, c])).toEqual(['accepted', 'fresh']);
    selectTake(doc, a, 'take_a1'); // the tail it was made from
    expect(states(doc, [b, c])).toEqual(['fresh', 'fresh']);
    // The record names a take: another selected take of b is judged on its own.
    selectTake(doc, a, 'take_a2');
    take(doc, b, 'take_b_plain');
    selectTake(doc, b, 'take_b_plain');
    expect(states(doc, [b])).toEqual(['stale']);
    // A record of the wrong shape counts as none.
    selectTake(doc, b, 'take_b1');
    accept(doc, b, { take: 'take_b1', tail: 'tail_take_a2' });
    expect(states(doc, [b])).toEqual(['stale']);
  });

  it('a take made from no tail is stale in a chained shot; a shot without a selected take has none to judge', () => {
    const doc = new Y.Doc();
    const a = addShot(doc);
    const b = addShot(doc);
    const c = addShot(doc, { continuesFrom: b });
    take(doc, a, 'take_a1');
    selectTake(doc, a, 'take_a1');
    take(doc, b, 'take_b1'); // made before b was chained
    selectTake(doc, b, 'take_b1');
    expect(states(doc, [b, c])).toEqual(['unchained', 'no-take']);
    setShotFields(doc, b, { continuesFrom: a });
    expect(states(doc, [b, c])).toEqual(['stale', 'upstream-stale']);
    expect(chainStates(doc).get(b)!.madeFrom).toEqual({});
    // An upstream that has no selected take any more: a take made from a tail no longer continues it.
    selectTake(doc, b, 'take_b1');
    setShotFields(doc, b, { continuesFrom: null });
    takeFrom(doc, c, 'take_c1', b);
    selectTake(doc, c, 'take_c1');
    expect(states(doc, [c])).toEqual(['fresh']);
    selectTake(doc, b, null);
    expect(states(doc, [c])).toEqual(['stale']);
    expect(chainStates(doc).get(c)!.upstream).toEqual({ shotId: b, position: 2 });
  });

  it('a deleted upstream unchains the shot below; the rest of the chain is judged from there', () => {
    const { doc, a, b, c } = threeChain();
    selectTake(doc, a, 'take_a2');
    deleteShot(doc, a);
    expect(states(doc, [b, c])).toEqual(['unchained', 'fresh']);
    expect(chainStates(doc).get(c)!.upstream!.position).toBe(1);
    // A dangling link (a concurrent delete, a hostile client) is no chain either.
    (roots(doc).shots.get(b) as Y.Map<unknown>).set(SHOT.continuesFrom, 'shot_gone');
    expect(states(doc, [b, c])).toEqual(['unchained', 'fresh']);
  });

  it('the legacy stale key is ignored', () => {
    const { doc, b } = threeChain();
    (roots(doc).shots.get(b) as Y.Map<unknown>).set(SHOT.stale, true);
    expect(states(doc, [b])).toEqual(['fresh']);
    expect(getShot(doc, b)).not.toHaveProperty('stale');
  });

  it('survives loops in a hostile document', () => {
    const { doc, a, b, c } = threeChain();
    // a → c → b → a, written by hand (setShotFields refuses loops).
    (roots(doc).shots.get(a) as Y.Map<unknown>).set(SHOT.continuesFrom, c);
    const s = chainStates(doc);
    expect([a, b, c].map((id) => s.get(id)!.state)).toEqual(['stale', 'upstream-stale', 'upstream-stale']);
    expect(s.get(b)!.staleAt).toBe(1);
    // A loop of fresh shots, and a shot continuing from itself.
    const pure = chainOf([
      { id: 'x', continuesFrom: 'y', selectedTake: 'tx', takes: [{ id: 'tx', tail: 'TX', fromTail: 'TY' }] },
      { id: 'y', continuesFrom: 'x', selectedTake: 'ty', takes: [{ id: 'ty', tail: 'TY', fromTail: 'TX' }] },
      { id: 'z', continuesFrom: 'z', selectedTake: 'tz', takes: [{ id: 'tz', tail: 'TZ', fromTail: 'TZ' }] },
      { id: 'w', continuesFrom: 'x', takes: [] },
    ]);
    expect([...pure.values()].map((v) => v.state)).toEqual(['fresh', 'fresh', 'unchained', 'no-take']);
  });

  it('a chain of 50,000 shots, listed bottom first, is judged without running out of stack', () => {
    const n = 50_000;
    const shots = Array.from({ length: n }, (_, i) => ({
      id: `s${i}`,
      ...(i > 0 ? { continuesFrom: `s${i - 1}` } : {}),
      selectedTake: `t${i}`,
      takes: [{ id: `t${i}`, tail: `T${i}`, ...(i > 0 ? { fromTail: i === 1 ? 'old' : `T${i - 1}` } : {}) }],
    })).reverse();
    const s = chainOf(shots);
    expect(s.get('s1')).toMatchObject({ state: 'stale', upstream: { position: n } });
    expect(s.get(`s${n - 1}`)).toMatchObject({ state: 'upstream-stale', staleAt: n - 1 });
  });
});

describe('keep anyway is the server’s to write', () => {
  const { doc, b } = threeChain();
  const rec = { take: 'take_b1', tail: 'tail_take_a2', by: 'user_ana', at: '2026-12-01T10:05:00.000Z' };
  it('a client writing, changing or deleting the record is refused', () => {
    const verdict = judgeClientEdit(doc, (c) => accept(c, b, rec));
    expect(verdict).toEqual({ ok: false, reason: STALE_ACCEPTED_IS_SERVER_ONLY });
    const withRecord = new Y.Doc();
    Y.applyUpdate(withRecord, Y.encodeStateAsUpdate(doc));
    accept(withRecord, b, rec);
    expect(judgeClientEdit(withRecord, (c) => (roots(c).shots.get(b) as Y.Map<unknown>).delete(SHOT.staleAccepted)).ok).toBe(false);
    expect(judgeClientEdit(withRecord, (c) => accept(c, b, { ...rec, tail: 'tail_take_a3' })).ok).toBe(false);
  });
  it('a client creating a shot that already holds one is refused', () => {
    const verdict = judgeClientEdit(doc, (c) => {
      const shot = new Y.Map<unknown>();
      const fields = { rank: 'a5', mode: 'text', durationSec: 5, model: 'm', status: 'draft' };
      for (const [k, v] of Object.entries(fields)) shot.set(k, v);
      shot.set(SHOT.title, new Y.Text('hand made'));
      shot.set(SHOT.prompt, new Y.Text());
      shot.set(SHOT.notes, new Y.Text());
      shot.set(SHOT.staleAccepted, rec);
      roots(c).shots.set('shot_hand', shot);
    });
    expect(verdict).toEqual({ ok: false, reason: STALE_ACCEPTED_IS_SERVER_ONLY });
  });
  it('the server may write it, and the document stays valid', () => {
    expect(judgeClientEdit(doc, (c) => accept(c, b, rec), 'server')).toEqual({ ok: true });
    expect(validateDocument(doc)).toEqual([]);
  });
});
