/**
 * A timeline file as the import reads it, whatever its format: the clips of the first video track
 * in record order, each with the provenance ids our export wrote (shot, take, clip asset), its in
 * and out points in the source at the board's frame rate, and the dissolve into it. The three
 * readers (otio.ts, fcpxml.ts, edl.ts) produce this; match.ts and diff.ts work only from it.
 *
 * In and out follow the sequence plan's model (shared/sequence/plan.ts): a dissolve starts where
 * the incoming clip starts, so the incoming clip's in point is the first frame seen in the dissolve
 * and the outgoing clip's out point includes the frames under it (its handle). A reader given a
 * centred dissolve moves the points accordingly.
 */
import { AppError } from '../../errors.js';

export const TIMELINE_FORMATS = ['otio', 'fcpxml', 'edl'] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

/** Largest file read (a 1,000-shot board's OTIO with full provenance is about 4 MB). */
export const MAX_TIMELINE_BYTES = 8 * 1024 * 1024;
/** Most clips read from one file. */
export const MAX_TIMELINE_ITEMS = 5_000;

export interface ImportedIds {
  shotId?: string;
  takeId?: string;
  /** The clip asset id, from the media URL `/api/assets/<id>`. */
  clipId?: string;
}

export interface ImportedItem {
  /** A clip, or a slate (a named gap/black our export wrote for a shot without a take). */
  kind: 'clip' | 'slate';
  ids: ImportedIds;
  name: string;
  /** First source frame used, at the board's rate. */
  inFrame: number;
  /** Source frame after the last one used (handle under a dissolve out included). */
  outFrame: number;
  /** Dissolve into this item, frames at the board's rate (0 = cut). */
  fadeIn: number;
  /** Where in the file, for people: "line 12" or "<asset-clip> at line 40". */
  at: string;
}

export interface ImportedTimeline {
  format: TimelineFormat;
  items: ImportedItem[];
  /** What was read but not used (other tracks, effects), said to the editor. */
  notes: string[];
}

/** The 400 for a file that cannot be read: where it failed and why, in plain words. */
export function badTimeline(format: TimelineFormat | 'file', at: string, why: string): AppError {
  const name = format === 'file' ? 'The file' : `This ${FORMAT_NAMES[format]}`;
  return new AppError('bad_request', `${name} cannot be read (${at}): ${why}`, { field: 'file', details: { at } });
}

export const FORMAT_NAMES: Record<TimelineFormat, string> = { otio: 'OpenTimelineIO file', fcpxml: 'FCPXML file', edl: 'CMX 3600 EDL' };

/**
 * The format of `text` by its content (a file's name can say anything): OTIO is JSON, FCPXML is
 * XML, a CMX 3600 EDL is lines of text starting with TITLE:, FCM: or an event number.
 */
export function sniffFormat(text: string): TimelineFormat {
  const head = text.replace(/^\ufeff/, '').trimStart();
  if (head.startsWith('{')) return 'otio';
  if (head.startsWith('<')) return 'fcpxml';
  const first = head.split(/\r\n|\r|\n/, 1)[0] ?? '';
  if (/^(TITLE:|FCM:|\d{3,6}\s)/.test(first)) return 'edl';
  throw badTimeline('file', 'line 1', 'it is not an OpenTimelineIO (.otio), FCPXML (.fcpxml) or CMX 3600 EDL (.edl) file');
}

/** The clip asset id in a media URL our export wrote (`…/api/assets/<id>`), if it is one. */
export function assetIdOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const m = /\/api\/assets\/([A-Za-z0-9_-]{1,64})(?:[/?#]|$)/.exec(url);
  return m?.[1];
}

/** An id read from a file: a short token of id characters, or nothing. */
export function idOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;
}

/**
 * Applies the dissolves: `fades[i]` is the dissolve before item i with `inOffset` frames before the
 * cut and `outOffset` after it; the plan's model puts all of it at the incoming clip's head.
 */
export function placeDissolve(prev: ImportedItem | undefined, next: ImportedItem, inOffset: number, outOffset: number): void {
  const frames = Math.max(0, inOffset) + Math.max(0, outOffset);
  if (frames === 0 || !prev) return;
  next.fadeIn = frames;
  next.inFrame = Math.max(0, next.inFrame - Math.max(0, inOffset));
  prev.outFrame += Math.max(0, outOffset);
}
