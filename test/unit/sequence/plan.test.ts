import { describe, expect, it } from 'vitest';
import type { TakeView } from '../../../shared/doc/index.js';
import { durationFrames, planSequence, storedTrimFrames, trimFrames, type PlanBoard, type TakeCut } from '../../../shared/sequence/plan.js';
import { frameRate } from '../../../shared/sequence/rate.js';

const take = (id: string, extra: Partial<TakeView> = {}): TakeView => ({
  id, jobId: `job_${id}`, status: 'succeeded', model: 'animatic', durationSec: 3, costMicroUsd: 0, createdBy: 'u', createdAt: '2026-01-01T00:00:00Z', clip: `clip_${id}`, ...extra,
});

/** Three chained shots A → B → C (start-frame tails) and a fourth shot D with nothing yet. */
type Board = PlanBoard & { takes: Record<string, TakeView[]>; shots: PlanBoard['shots'][number][] };

function board(over: { meta?: Partial<PlanBoard['meta']>; takes?: Record<string, TakeView[]>; selected?: Record<string, string | undefined> } = {}): Board {
  const takes: Record<string, TakeView[]> = over.takes ?? {
    A: [take('a1'), take('a2', { durationSec: 4 })],
    B: [take('b1', { fromShot: 'A', fromTake: 'a1', fromTail: 'tail_a1', tailAs: 'start_frame', tailSec: 3 })],
    C: [take('c1', { fromShot: 'B', fromTake: 'b1', fromTail: 'tail_b1', tailAs: 'reference_video', tailSec: 1 })],
  };
  const selected: Record<string, string | undefined> = { A: 'a1', B: 'b1', C: 'c1', ...over.selected };
  return {
    meta: { fps: 24, ...over.meta },
    shots: [
      { id: 'A', title: 'Alley', durationSec: 3, selectedTake: selected.A },
      { id: 'B', title: 'Rooftop', durationSec: 3, selectedTake: selected.B },
      { id: 'C', title: 'Jump', durationSec: 3, selectedTake: selected.C },
      { id: 'D', title: 'Epilogue', durationSec: 2.5, selectedTake: selected.D },
    ],
    takes,
  };
}

const spans = (b: PlanBoard) => planSequence(b).cuts.map((c) => [c.kind, c.recordIn, c.inFrame, c.frames]);

describe('planSequence', () => {
  it('lays out every shot in board order: takes as cuts, a shot without one as a slate of its planned length', () => {
    const plan = planSequence(board());
    expect(plan.cuts.map((c) => [c.index, c.shotId, c.kind])).toEqual([[1, 'A', 'take'], [2, 'B', 'take'], [3, 'C', 'take'], [4, 'D', 'slate']]);
    expect(spans(board())).toEqual([['take', 0, 0, 72], ['take', 72, 0, 72], ['take', 144, 0, 72], ['slate', 216, 0, 60]]);
    expect(plan.frames).toBe(276);
    expect(plan.cuts[3]).toMatchObject({ kind: 'slate', title: 'Epilogue', reason: 'no selected take' });
    // Chain joins are recorded even without a trim, for exports to name.
    expect((plan.cuts[1] as TakeCut).chain).toMatchObject({ fromShotId: 'A', fromTakeId: 'a1', attachedAs: 'start_frame', trimmedFrames: 0 });
    expect((plan.cuts[2] as TakeCut).chain).toMatchObject({ fromShotId: 'B', attachedAs: 'reference_video', tailSec: 1 });
  });

  it('trims one frame for a start-frame tail and tailSec for a reference-video tail', () => {
    expect(spans(board({ meta: { trimOverlap: true } }))).toEqual([['take', 0, 0, 72], ['take', 72, 1, 71], ['take', 143, 24, 48], ['slate', 191, 0, 60]]);
  });

  it('re-selecting the upstream take breaks the join: nothing trimmed, no crossfade, downstream joins intact', () => {
    const b = board({ meta: { trimOverlap: true, crossfadeSec: 0.5 }, selected: { A: 'a2' } });
    const plan = planSequence(b);
    expect((plan.cuts[1] as TakeCut).chain).toBeUndefined();
    expect(plan.cuts[1]).toMatchObject({ inFrame: 0, frames: 72, recordIn: 96, transition: { kind: 'cut' } });
    // B still shows b1, whose tail C was made from.
    expect((plan.cuts[2] as TakeCut).chain).toMatchObject({ trimmedFrames: 24 });
    expect(plan.cuts[2]!.transition).toEqual({ kind: 'crossfade', frames: 12 });
    // Selecting a1 again restores the join.
    expect((planSequence(board({ selected: { A: 'a1' } })).cuts[1] as TakeCut).chain).toBeDefined();
  });

  it('a slate between two shots breaks the chain, and a selected take that failed or vanished is a slate saying so', () => {
    const b = board({ selected: { B: undefined } });
    const plan = planSequence(b);
    expect(plan.cuts[1]).toMatchObject({ kind: 'slate', frames: 72, reason: 'no selected take' });
    expect((plan.cuts[2] as TakeCut).chain).toBeUndefined();
    const failed = board();
    failed.takes.B = [take('b1', { status: 'failed', clip: undefined })];
    expect(planSequence(failed).cuts[1]).toMatchObject({ kind: 'slate', reason: 'the selected take is failed' });
    expect(planSequence(board({ selected: { B: 'gone' } })).cuts[1]).toMatchObject({ kind: 'slate', reason: 'the selected take no longer exists' });
    const clipless = board();
    clipless.takes.B = [take('b1', { clip: undefined })];
    expect(planSequence(clipless).cuts[1]).toMatchObject({ kind: 'slate', reason: 'the selected take has no clip' });
    expect(planSequence(board(), (shotId) => (shotId === 'A' ? 'the clip file is missing' : undefined)).cuts[0]).toMatchObject({ kind: 'slate', reason: 'the clip file is missing' });
  });

  it('legacy takes without provenance are plain cuts', () => {
    const b = board({ meta: { trimOverlap: true, crossfadeSec: 1 } });
    b.takes.B = [take('b1')];
    b.takes.C = [take('c1')];
    expect(spans(b)).toEqual([['take', 0, 0, 72], ['take', 72, 0, 72], ['take', 144, 0, 72], ['slate', 216, 0, 60]]);
    expect(planSequence(b).cuts.every((c) => c.transition.kind === 'cut')).toBe(true);
  });

  it('crossfades only at chain joins, overlapping record time, and leaves each clip a frame of its own', () => {
    const plan = planSequence(board({ meta: { crossfadeSec: 0.5 } }));
    expect(plan.cuts.map((c) => c.transition)).toEqual([{ kind: 'cut' }, { kind: 'crossfade', frames: 12 }, { kind: 'crossfade', frames: 12 }, { kind: 'cut' }]);
    expect(plan.cuts.map((c) => c.recordIn)).toEqual([0, 60, 120, 192]);
    expect(plan.frames).toBe(252);
    // Short clips: a 2 s crossfade is cut to what the room allows (half a 5-frame clip less one frame).
    const short = board({ meta: { crossfadeSec: 2 } });
    short.takes.A = [take('a1', { durationSec: 5 / 24 })];
    short.takes.B = [take('b1', { durationSec: 5 / 24, fromShot: 'A', fromTake: 'a1', tailAs: 'start_frame', tailSec: 1 })];
    const p = planSequence(short);
    expect(p.cuts[1]!.transition).toEqual({ kind: 'crossfade', frames: 2 });
    expect(p.cuts[2]!.transition).toEqual({ kind: 'crossfade', frames: 2 });
    for (const [i, c] of p.cuts.entries()) {
      const fadeIn = c.transition.kind === 'crossfade' ? c.transition.frames : 0;
      const next = p.cuts[i + 1]?.transition;
      const fadeOut = next?.kind === 'crossfade' ? next.frames : 0;
      expect(c.frames - fadeIn - fadeOut).toBeGreaterThanOrEqual(1);
    }
  });

  it('counts frames at the board rate, NTSC rates exactly, rounding to the nearest frame', () => {
    const ntsc = planSequence(board({ meta: { fps: 23.976 } }));
    expect(ntsc.rate).toMatchObject({ num: 24000, den: 1001 });
    expect(ntsc.cuts[0]!.frames).toBe(72); // 3 s * 23.976 = 71.93
    expect(ntsc.cuts[3]!.frames).toBe(60); // 2.5 s * 23.976 = 59.94
    const thirty = planSequence(board({ meta: { fps: 30 } }));
    expect(thirty.cuts.map((c) => c.frames)).toEqual([90, 90, 90, 75]);
    const odd = board({ meta: { fps: 12.5 } });
    odd.takes.A = [take('a1', { durationSec: 1.02 })];
    expect(planSequence(odd).cuts[0]!.frames).toBe(13); // 12.75
  });

  it('turns hostile values into something playable', () => {
    const b = board({ meta: { fps: Number.NaN, crossfadeSec: Number.POSITIVE_INFINITY, trimOverlap: 'yes' as unknown as boolean } });
    b.shots = [
      { id: 'A', title: 'Alley', durationSec: -5, selectedTake: 'a1' },
      { id: 'B', title: 42 as unknown as string, durationSec: Number.NaN, selectedTake: undefined },
      { id: 'C', title: 'Huge', durationSec: 1e9, selectedTake: undefined },
    ];
    b.takes.A = [take('a1', { durationSec: Number.NaN })];
    const plan = planSequence(b);
    expect(plan.rate.value).toBe(24);
    expect(plan.options).toEqual({ trimOverlap: false, crossfadeSec: 0 });
    expect(plan.cuts.map((c) => [c.kind, c.frames, c.title])).toEqual([['slate', 1, 'Alley'], ['slate', 1, ''], ['slate', 60 * 24, 'Huge']]);
    expect(plan.cuts[0]).toMatchObject({ reason: 'the selected take’s clip has no duration' });
    expect(planSequence(board({ meta: { crossfadeSec: 99 } })).options.crossfadeSec).toBe(2);
    expect(planSequence({ meta: { fps: 24 }, shots: [], takes: {} })).toMatchObject({ cuts: [], frames: 0 });
  });

  it('keeps in and out points inside the clip and a frame long: one rule for the plan and a timeline import', () => {
    expect(trimFrames(6, 60, 72)).toEqual({ inFrame: 6, outFrame: 60 });
    expect(trimFrames(-4, 500, 72)).toEqual({ inFrame: 0, outFrame: 72 });
    expect(trimFrames(80, 10, 72)).toEqual({ inFrame: 71, outFrame: 72 });
    expect(trimFrames(30, 30, 72)).toEqual({ inFrame: 30, outFrame: 31 });
    const rate = frameRate(24);
    // Seconds as the document holds them; hostile ones are 0, the longest shot at most.
    expect(storedTrimFrames({ inSec: 0.25, outSec: 2.5 }, 72, rate)).toEqual({ inFrame: 6, outFrame: 60 });
    expect(storedTrimFrames({ inSec: Number.NaN, outSec: 'x' }, 72, rate)).toEqual({ inFrame: 0, outFrame: 1 });
    expect(durationFrames(1e9, rate)).toBe(60 * 24);
    expect(durationFrames(-1, rate)).toBe(1);
    // The plan plays a stored trim as exactly these frames.
    const b = board();
    b.shots[0] = { ...b.shots[0]!, trims: { a1: { inSec: 2.9, outSec: 99 } } };
    expect(planSequence(b).cuts[0]).toMatchObject({ inFrame: 70, frames: 2, trimmed: true });
  });
});
