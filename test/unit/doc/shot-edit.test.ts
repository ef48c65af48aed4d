/**
 * A shot's place in the edit (trims per take, left out, transition in): the accessors refuse bad
 * values, the sync server's validator refuses a client writing them badly, and the sequence plan
 * plays them (and the render's recipe trims an out point too).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addShot, getShot, roots, selectTake, setFadeIn, setLeftOut, setMeta, setTakeTrim, shotsInOrder, trimKey, upsertTake, listTakes, getMeta,
} from '../../../shared/doc/index.js';
import { planSequence } from '../../../shared/sequence/plan.js';
import { chooseRecipe } from '../../../server/export/sequence-render.js';
import type { ClipStream } from '../../../server/export/stream-info.js';
import { planTimeline } from '../../../server/export/timeline.js';
import { snapshot } from '../../export/snapshot-fixture.js';
import { judgeClientEdit } from './helpers.js';

const TAKE = { jobId: 'job_1', model: 'animatic', status: 'succeeded' as const, durationSec: 3, costMicroUsd: 0, createdBy: 'user_1', createdAt: '2026-12-07T08:00:00.000Z', clip: 'asset_clip' };

function board() {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Edit', defaultModel: 'animatic', fps: 24 });
  const a = addShot(doc, { title: 'A', durationSec: 3 });
  const b = addShot(doc, { title: 'B', durationSec: 2 });
  const c = addShot(doc, { title: 'C', durationSec: 3 });
  for (const [shot, take] of [[a, 'take_a'], [c, 'take_c']] as const) {
    upsertTake(doc, shot, take, { ...TAKE, clip: `clip_${take}` });
    selectTake(doc, shot, take);
  }
  return { doc, a, b, c };
}

const plan = (doc: Y.Doc) => {
  const shots = shotsInOrder(doc);
  return planSequence({ meta: getMeta(doc), shots, takes: Object.fromEntries(shots.map((s) => [s.id, listTakes(doc, s.id)])) });
};

describe('trims, left-out shots and transitions in the document', () => {
  it('the accessors write them and refuse bad values before writing', () => {
    const { doc, a, b } = board();
    setTakeTrim(doc, a, 'take_a', { inSec: 0.25, outSec: 2.5 });
    setLeftOut(doc, b, true);
    setFadeIn(doc, a, 0.5);
    expect(getShot(doc, a)).toMatchObject({ trims: { take_a: { inSec: 0.25, outSec: 2.5 } }, fadeInSec: 0.5 });
    expect(getShot(doc, b)?.leftOut).toBe(true);
    expect(() => setTakeTrim(doc, a, 'take_a', { inSec: 2, outSec: 1 })).toThrow(/inSec must be before outSec/);
    expect(() => setTakeTrim(doc, a, 'take_gone', { inSec: 0, outSec: 1 })).toThrow(/take_gone/);
    expect(() => setFadeIn(doc, a, 3)).toThrow(/fadeInSec: expected a finite number in \[0, 2\]/);
    setLeftOut(doc, b, false);
    expect((roots(doc).shots.get(b) as Y.Map<unknown>).has('leftOut')).toBe(false); // the default is not stored
  });

  it('the sync server refuses a client writing a bad trim record or transition, and lets a good one through', () => {
    const { doc, a } = board();
    const shotMap = (d: Y.Doc) => roots(d).shots.get(a) as Y.Map<unknown>;
    expect(judgeClientEdit(doc, (c) => shotMap(c).set(trimKey('take_a'), { inSec: 1, outSec: 2 }))).toEqual({ ok: true });
    expect(judgeClientEdit(doc, (c) => shotMap(c).set(trimKey('take_a'), { inSec: 2, outSec: 1 }))).toMatchObject({ ok: false, reason: expect.stringMatching(/trim:take_a: inSec must be before outSec/) });
    expect(judgeClientEdit(doc, (c) => shotMap(c).set(trimKey('take_a'), { inSec: 0, outSec: 1, evil: '<script>' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/evil: unknown field/) });
    expect(judgeClientEdit(doc, (c) => shotMap(c).set(trimKey('take_a'), 'whole'))).toMatchObject({ ok: false, reason: expect.stringMatching(/expected a plain record/) });
    expect(judgeClientEdit(doc, (c) => shotMap(c).set('fadeInSec', -1))).toMatchObject({ ok: false, reason: expect.stringMatching(/fadeInSec/) });
    expect(judgeClientEdit(doc, (c) => shotMap(c).set('leftOut', 'yes'))).toMatchObject({ ok: false, reason: expect.stringMatching(/leftOut: expected a boolean/) });
    // A viewer writes nothing at all.
    expect(judgeClientEdit(doc, (c) => shotMap(c).set('leftOut', true), { userId: 'user_9', role: 'viewer' })).toMatchObject({ ok: false });
  });
});

describe('the sequence plan', () => {
  it('plays a take between its in and out points, skips a left-out shot and dissolves where a shot says so', () => {
    const { doc, a, b, c } = board();
    expect(plan(doc).cuts.map((x) => [x.shotId, x.inFrame, x.frames, x.transition.kind])).toEqual([[a, 0, 72, 'cut'], [b, 0, 48, 'cut'], [c, 0, 72, 'cut']]);
    setTakeTrim(doc, a, 'take_a', { inSec: 6 / 24, outSec: 60 / 24 });
    setLeftOut(doc, b, true);
    setFadeIn(doc, c, 12 / 24);
    const p = plan(doc);
    expect(p.cuts.map((x) => [x.index, x.shotId, x.inFrame, x.frames])).toEqual([[1, a, 6, 54], [2, c, 0, 72]]);
    expect(p.cuts[0]).toMatchObject({ trimmed: true });
    expect(p.cuts[1]!.transition).toEqual({ kind: 'crossfade', frames: 12 });
    expect(p.frames).toBe(54 + 72 - 12);
    // A trim belongs to its take: another take of the shot plays whole.
    upsertTake(doc, a, 'take_a2', { ...TAKE, clip: 'clip_a2' });
    selectTake(doc, a, 'take_a2');
    expect(plan(doc).cuts[0]).toMatchObject({ inFrame: 0, frames: 72 });
    // A hard cut asked for at a shot stays a cut even where the board would crossfade.
    setMeta(doc, { crossfadeSec: 0.5 });
    setFadeIn(doc, c, 0);
    expect(plan(doc).cuts[1]!.transition).toEqual({ kind: 'cut' });
  });

  it('renders an out-point trim (a copy of the whole clip would not)', () => {
    const snap = snapshot([{ width: 640, height: 360, durationSec: 3 }, { width: 640, height: 360, durationSec: 3 }]);
    const stream: ClipStream = { codec: 'h264', pixFmt: 'yuv420p', width: 640, height: 360, fps: 24, profile: 'High', durationSec: 3, audio: null };
    expect(chooseRecipe(planTimeline(snap), [stream, stream])).toEqual({ kind: 'copy' });
    snap.shots[1]!.shot.trims = { take_1: { inSec: 0, outSec: 2 } };
    expect(chooseRecipe(planTimeline(snap), [stream, stream])).toEqual({ kind: 'encode', work: [[], ['trim']] });
  });
});
