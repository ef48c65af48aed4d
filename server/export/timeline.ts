/**
 * The edit every export shares: selected takes in shot order as cuts on one video track, in
 * frames at the board's rate, with the chain overlap optionally trimmed and chain cuts
 * optionally crossfaded. Pure: the MP4 build, OTIO, EDL, FCPXML and the sidecar all read it.
 */
import type { TailAttachment } from '../../shared/generation/index.js';
import type { AssetsTable } from '../db/schema.js';
import type { ExportShot, ExportSnapshot } from './board-snapshot.js';
import { frameRate, secondsToFrames, type FrameRate } from './timecode.js';

export interface TimelineOptions {
  /** Drop the part of a chained shot that repeats its source's tail. */
  trimOverlap: boolean;
  /** Crossfade length at chain cuts, seconds (0 = hard cuts). MP4 only; timelines get cuts. */
  crossfadeSec: number;
}

export const NO_OPTIONS: TimelineOptions = Object.freeze({ trimOverlap: false, crossfadeSec: 0 });
export const MAX_CROSSFADE_SEC = 2;

/** A cut that continues the previous one (same chain, made from the take that is on screen before it). */
export interface ChainJoin {
  fromShotId: string;
  attachedAs: TailAttachment;
  tailSeconds: number;
  /** Frames dropped from this clip's head (0 unless trimOverlap). */
  trimmedFrames: number;
  /** Frames shared with the previous cut by a crossfade (0 unless asked). */
  crossfadeFrames: number;
}

export interface Cut {
  /** 1-based event number. */
  index: number;
  entry: ExportShot;
  shotId: string;
  title: string;
  takeId: string;
  clip: AssetsTable;
  /** The whole clip, in frames at the board's rate. */
  sourceFrames: number;
  /** First frame used (source in). */
  inFrame: number;
  /** Frames used. */
  frames: number;
  /** Where the cut starts in the sequence; a crossfade makes it overlap the previous cut. */
  recordIn: number;
  chain?: ChainJoin;
}

export interface Timeline {
  title: string;
  rate: FrameRate;
  width: number;
  height: number;
  cuts: Cut[];
  skipped: { shotId: string; title: string; reason: string }[];
  /** Length of the whole sequence in frames. */
  frames: number;
  options: TimelineOptions;
}

/** Lays out the selected takes of `snap` as a sequence. */
export function planTimeline(snap: ExportSnapshot, options: TimelineOptions = NO_OPTIONS): Timeline {
  const rate = frameRate(snap.meta.fps);
  const cuts: Cut[] = [];
  const skipped: Timeline['skipped'] = [];
  for (const entry of snap.shots) {
    if (entry.skip || !entry.clip || !entry.take) {
      skipped.push({ shotId: entry.shot.id, title: entry.shot.title, reason: entry.skip ?? 'no selected take' });
      continue;
    }
    const sourceFrames = Math.max(1, secondsToFrames(entry.clip.duration_sec ?? 0, rate));
    const cut: Cut = {
      index: cuts.length + 1,
      entry,
      shotId: entry.shot.id,
      title: entry.shot.title,
      takeId: entry.take.id,
      clip: entry.clip,
      sourceFrames,
      inFrame: 0,
      frames: sourceFrames,
      recordIn: 0,
    };
    const prev = cuts[cuts.length - 1];
    const chain = entry.provenance?.resolved.chain;
    // Only a real continuation is treated as one: the source must be the cut right before, and
    // still show the very take whose tail was fed in (a re-selected source repeats nothing).
    if (prev && chain && chain.fromShotId === prev.shotId && chain.takeId === prev.takeId) {
      const join: ChainJoin = { fromShotId: chain.fromShotId, attachedAs: chain.attachedAs, tailSeconds: chain.tailSeconds, trimmedFrames: 0, crossfadeFrames: 0 };
      if (options.trimOverlap) {
        join.trimmedFrames = Math.min(sourceFrames - 1, overlapFrames(join, prev, rate));
        cut.inFrame = join.trimmedFrames;
        cut.frames = sourceFrames - join.trimmedFrames;
      }
      cut.chain = join;
    }
    cuts.push(cut);
  }
  applyCrossfades(cuts, options.crossfadeSec, rate);
  let at = 0;
  for (const cut of cuts) {
    at -= cut.chain?.crossfadeFrames ?? 0;
    cut.recordIn = at;
    at += cut.frames;
  }
  const { width, height } = sequenceSize(cuts, snap.meta.aspectRatio);
  return { title: snap.title, rate, width, height, cuts, skipped, frames: at, options };
}

/**
 * How much of a chained clip repeats its source. With the tail attached as a start frame, the
 * clip's first frame is the source's last frame: one frame. With the tail attached as a reference
 * video, the model re-performs the tail before moving on: its first `tailSeconds` (never more than
 * the source clip itself, since the tail was cut from it).
 */
function overlapFrames(join: ChainJoin, prev: Cut, rate: FrameRate): number {
  if (join.attachedAs === 'start_frame') return 1;
  return Math.min(secondsToFrames(join.tailSeconds, rate), prev.sourceFrames);
}

/** Crossfades only at chain cuts, each short enough that every clip keeps at least one frame of its own. */
function applyCrossfades(cuts: Cut[], seconds: number, rate: FrameRate): void {
  const wanted = secondsToFrames(Math.min(Math.max(seconds, 0), MAX_CROSSFADE_SEC), rate);
  if (wanted === 0) return;
  for (let i = 1; i < cuts.length; i++) {
    const cut = cuts[i]!;
    if (!cut.chain) continue;
    const prev = cuts[i - 1]!;
    const room = Math.min(Math.floor((prev.frames - 1) / 2), Math.floor((cut.frames - 1) / 2));
    cut.chain.crossfadeFrames = Math.max(0, Math.min(wanted, room));
  }
}

/**
 * The board's picture size: the most common clip size with the board's shape (fewest clips to
 * scale), ties to the larger. With no clip of that shape, the most common height at the board's
 * aspect ratio. Always even on both sides (yuv420p).
 */
export function sequenceSize(cuts: readonly Cut[], aspect: string): { width: number; height: number } {
  const [aw, ah] = aspect.split(':').map(Number) as [number, number];
  const ratio = aw > 0 && ah > 0 ? aw / ah : 16 / 9;
  const counts = new Map<string, { width: number; height: number; n: number }>();
  for (const c of cuts) {
    const k = `${c.clip.width}x${c.clip.height}`;
    const e = counts.get(k) ?? { width: c.clip.width, height: c.clip.height, n: 0 };
    e.n++;
    counts.set(k, e);
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n || b.width * b.height - a.width * a.height);
  const shaped = ranked.find((s) => Math.abs(s.width / s.height - ratio) / ratio < 0.02);
  if (shaped) return { width: even(shaped.width), height: even(shaped.height) };
  const height = even(ranked[0]?.height ?? 360);
  return { width: even(height * ratio), height };
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/** Reads `trimOverlap` and `crossfade` from a query; a bad value is a 400 naming the field. */
export function parseTimelineOptions(query: (name: string) => string | undefined): TimelineOptions | { error: string; field: string } {
  const trim = query('trimOverlap');
  const fade = query('crossfade');
  const flag = trim === undefined || trim === '' || trim === '0' || trim === 'false' ? false : trim === '1' || trim === 'true' ? true : null;
  if (flag === null) return { error: 'trimOverlap must be 1 or 0', field: 'trimOverlap' };
  const seconds = fade === undefined || fade === '' ? 0 : Number(fade);
  if (!(Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_CROSSFADE_SEC)) {
    return { error: `crossfade must be a number of seconds between 0 and ${MAX_CROSSFADE_SEC}`, field: 'crossfade' };
  }
  return { trimOverlap: flag, crossfadeSec: seconds };
}
