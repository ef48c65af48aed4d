/**
 * The sequence plan: what the board plays and exports, decided once. Every shot in board order
 * (but those left out of the sequence) becomes one cut: its selected take when that take is usable
 * (succeeded, with a clip), between its in and out points when an editor trimmed it, else a
 * slate (shot number and title) for the shot's planned duration. Frames are counted at the
 * board's rate. The Sequence tab plays this plan and every export (MP4, OTIO, EDL, FCPXML,
 * sequence.json) is written from it, so what the team watches is what they export.
 *
 * Pure and tolerant: it reads plain snapshots (shared/doc views), never throws, and turns any
 * value a document may hold (NaN, negative, huge) into something playable.
 */
import { MAX_CROSSFADE_SEC, MAX_SHOT_DURATION_SEC } from '../doc/schema.js';
import type { ShotView } from '../doc/shot-view.js';
import type { TailAttachment, TakeView } from '../doc/takes.js';
import { frameRate, secondsToFrames, type FrameRate } from './rate.js';

/** What the plan reads of a board: meta, shots in board order and takes per shot id (BoardState has this shape). */
export interface PlanBoard {
  meta: { fps: number; trimOverlap?: boolean; crossfadeSec?: number };
  shots: readonly Pick<ShotView, 'id' | 'title' | 'durationSec' | 'selectedTake' | 'leftOut' | 'fadeInSec' | 'trims'>[];
  takes: Readonly<Record<string, readonly TakeView[] | undefined>>;
}

/** The board's sequence settings, after clamping. */
export interface PlanOptions {
  trimOverlap: boolean;
  crossfadeSec: number;
}

/** How a cut begins: a hard cut, or a crossfade of `frames` frames out of the previous cut. */
export type Transition = { kind: 'cut' } | { kind: 'crossfade'; frames: number };

/** A cut that continues the one before it: the previous cut shows the very take whose tail this take was made from. */
export interface ChainJoin {
  fromShotId: string;
  fromTakeId: string;
  attachedAs: TailAttachment;
  tailSec: number;
  /** Frames dropped from this clip's head (0 unless trimOverlap). */
  trimmedFrames: number;
}

interface CutBase {
  /** 1-based position in the sequence (the shot's position on the board, less the shots left out before it). */
  index: number;
  shotId: string;
  title: string;
  /** Frames of the source (the whole clip, or the slate). */
  sourceFrames: number;
  /** First source frame used. */
  inFrame: number;
  /** Frames on the sequence, crossfade included. */
  frames: number;
  /** Where the cut starts in the sequence; a crossfade makes it overlap the previous cut. */
  recordIn: number;
  transition: Transition;
}

export interface TakeCut extends CutBase {
  kind: 'take';
  takeId: string;
  /** The clip asset id. */
  clipId: string;
  takeNumber?: number;
  chain?: ChainJoin;
  /** The take's in and out points were set by an editor (shot-edit.ts): inFrame and frames come from them. */
  trimmed?: true;
}

export interface SlateCut extends CutBase {
  kind: 'slate';
  /** Why there is no picture: shown on the card and exported. */
  reason: string;
}

export type PlanCut = TakeCut | SlateCut;

export interface SequencePlan {
  rate: FrameRate;
  options: PlanOptions;
  cuts: PlanCut[];
  /** Length of the whole sequence in frames. */
  frames: number;
}

/**
 * Optional server-side check of a usable take (the clip's file must exist to be exported); a
 * message makes the shot a slate with that reason. The client has no such knowledge and leaves it out.
 */
export type ClipCheck = (shotId: string, take: TakeView) => string | undefined;

/** The sequence plan of `board`. */
export function planSequence(board: PlanBoard, clipCheck?: ClipCheck): SequencePlan {
  const rate = frameRate(board.meta.fps);
  const options = planOptions(board.meta);
  const cuts: PlanCut[] = [];
  const fadeOverrides = new Map<string, number>();
  for (const shot of board.shots) {
    if (shot.leftOut === true) continue;
    if (typeof shot.fadeInSec === 'number') fadeOverrides.set(shot.id, clampSec(shot.fadeInSec, MAX_CROSSFADE_SEC));
    const index = cuts.length + 1;
    const title = typeof shot.title === 'string' ? shot.title : '';
    const found = pickTake(shot, board.takes[shot.id], clipCheck);
    if ('reason' in found) {
      const frames = durationFrames(shot.durationSec, rate);
      cuts.push({ kind: 'slate', index, shotId: shot.id, title, reason: found.reason, sourceFrames: frames, inFrame: 0, frames, recordIn: 0, transition: { kind: 'cut' } });
      continue;
    }
    const { take } = found;
    const sourceFrames = durationFrames(take.durationSec, rate);
    const cut: TakeCut = {
      kind: 'take', index, shotId: shot.id, title, takeId: take.id, clipId: take.clip!, sourceFrames, inFrame: 0, frames: sourceFrames, recordIn: 0, transition: { kind: 'cut' },
    };
    if (take.number !== undefined) cut.takeNumber = take.number;
    const trim = shot.trims?.[take.id];
    if (trim) {
      const range = storedTrimFrames(trim, sourceFrames, rate);
      cut.inFrame = range.inFrame;
      cut.frames = range.outFrame - range.inFrame;
      cut.trimmed = true;
    }
    const prev = cuts[cuts.length - 1];
    // Only a real continuation: the cut right before shows the very take whose tail was fed in.
    // A re-selected source (or a legacy take that does not say) repeats nothing of what is on screen.
    if (prev?.kind === 'take' && take.fromShot === prev.shotId && take.fromTake === prev.takeId && take.tailAs) {
      const join: ChainJoin = { fromShotId: prev.shotId, fromTakeId: prev.takeId, attachedAs: take.tailAs, tailSec: clampSec(take.tailSec, MAX_SHOT_DURATION_SEC), trimmedFrames: 0 };
      // An editor's trim is the decision on this clip's head; the automatic overlap trim stands back.
      if (options.trimOverlap && !cut.trimmed) {
        join.trimmedFrames = Math.min(sourceFrames - 1, overlapFrames(join, prev, rate));
        cut.inFrame = join.trimmedFrames;
        cut.frames = sourceFrames - join.trimmedFrames;
      }
      cut.chain = join;
    }
    cuts.push(cut);
  }
  applyCrossfades(cuts, options.crossfadeSec, fadeOverrides, rate);
  let at = 0;
  for (const cut of cuts) {
    if (cut.transition.kind === 'crossfade') at -= cut.transition.frames;
    cut.recordIn = at;
    at += cut.frames;
  }
  return { rate, options, cuts, frames: at };
}

/** Frames of a clip (or a slate) of `durationSec` at `rate`: at least one, and no more than the longest shot. */
export function durationFrames(durationSec: unknown, rate: FrameRate): number {
  return Math.max(1, secondsToFrames(clampSec(durationSec, MAX_SHOT_DURATION_SEC), rate));
}

/** In and out points as frames of a source of `sourceFrames` frames: `outFrame` is the frame after the last one used. */
export interface TrimFrames {
  inFrame: number;
  outFrame: number;
}

/** In and out points kept inside the source and at least one frame long (what the plan plays and an import writes). */
export function trimFrames(inFrame: number, outFrame: number, sourceFrames: number): TrimFrames {
  const first = Math.min(Math.max(inFrame, 0), sourceFrames - 1);
  return { inFrame: first, outFrame: Math.min(Math.max(outFrame, first + 1), sourceFrames) };
}

/** An editor's in and out points as the document holds them (seconds, `SHOT_SPEC` trim) in frames of the take's source. */
export function storedTrimFrames(trim: { inSec: unknown; outSec: unknown }, sourceFrames: number, rate: FrameRate): TrimFrames {
  const at = (sec: unknown) => secondsToFrames(clampSec(sec, MAX_SHOT_DURATION_SEC), rate);
  return trimFrames(at(trim.inSec), at(trim.outSec), sourceFrames);
}

/** The board's trim/crossfade settings, clamped to what the plan allows. */
export function planOptions(meta: PlanBoard['meta']): PlanOptions {
  return { trimOverlap: meta.trimOverlap === true, crossfadeSec: clampSec(meta.crossfadeSec, MAX_CROSSFADE_SEC) };
}

/** The selected take when usable, else why the shot gets a slate. */
function pickTake(shot: PlanBoard['shots'][number], takes: readonly TakeView[] | undefined, clipCheck?: ClipCheck): { take: TakeView } | { reason: string } {
  if (!shot.selectedTake) return { reason: 'no selected take' };
  const take = takes?.find((t) => t.id === shot.selectedTake);
  if (!take) return { reason: 'the selected take no longer exists' };
  if (take.status !== 'succeeded') return { reason: `the selected take is ${take.status}` };
  if (!take.clip) return { reason: 'the selected take has no clip' };
  if (!(clampSec(take.durationSec, MAX_SHOT_DURATION_SEC) > 0)) return { reason: 'the selected take’s clip has no duration' };
  const problem = clipCheck?.(shot.id, take);
  return problem ? { reason: problem } : { take };
}

/**
 * How much of a chained clip repeats its source. With the tail attached as a start frame, the
 * clip's first frame is the source's last frame: one frame. With the tail attached as a reference
 * video, the model re-performs the tail before moving on: its first `tailSec` (never more than
 * the source clip itself, since the tail was cut from it).
 */
function overlapFrames(join: ChainJoin, prev: TakeCut, rate: FrameRate): number {
  if (join.attachedAs === 'start_frame') return 1;
  return Math.min(secondsToFrames(join.tailSec, rate), prev.sourceFrames);
}

/**
 * Crossfades at chain joins (the board's `crossfadeSec`), or wherever a shot says how it begins
 * (`fadeInSec`, set by an accepted timeline import: a dissolve, or 0 for a hard cut even at a
 * chain join). Each is short enough that every clip keeps at least one frame of its own.
 */
function applyCrossfades(cuts: PlanCut[], seconds: number, overrides: ReadonlyMap<string, number>, rate: FrameRate): void {
  const chainFrames = secondsToFrames(seconds, rate);
  for (let i = 1; i < cuts.length; i++) {
    const cut = cuts[i]!;
    const override = overrides.get(cut.shotId);
    const wanted = override !== undefined ? secondsToFrames(override, rate) : cut.kind === 'take' && cut.chain ? chainFrames : 0;
    if (wanted === 0) continue;
    const prev = cuts[i - 1]!;
    // A clip may fade at both ends: half of it (less its own frame) is the most either fade may take.
    const room = Math.min(Math.floor((prev.frames - 1) / 2), Math.floor((cut.frames - 1) / 2));
    const frames = Math.min(wanted, room);
    if (frames > 0) cut.transition = { kind: 'crossfade', frames };
  }
}

/** A number of seconds within [0, max]; anything else (NaN, strings, negative) is 0. */
function clampSec(v: unknown, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(v, 0), max) : 0;
}

/** The label a slate card shows: "Shot 3: Title" (plain ASCII punctuation, which every slate font has). */
export function slateLabel(cut: Pick<PlanCut, 'index' | 'title'>): string {
  const title = cut.title.trim();
  return title ? `Shot ${cut.index}: ${title}` : `Shot ${cut.index}`;
}
