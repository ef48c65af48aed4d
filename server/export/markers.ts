/**
 * Review markers: comments pinned to a time in a take (shared/doc/comments.ts `takeId` + `atSec`)
 * placed on the sequence, once, for every timeline writer (OTIO, FCPXML, EDL). Each writer spells
 * them in its own syntax from the same two times: `sourceFrame` (in the take's clip, what OTIO and
 * FCPXML markers on a clip count in) and `recordFrame` (on the sequence, what an EDL locator uses).
 *
 * Which comments become markers, and why the others do not:
 * - only comments on the very take the cut shows (a note on an older take is about a picture that
 *   is not in the sequence: not a marker, not listed);
 * - only live ones with a time and text (an owner-removed comment keeps no text);
 * - a comment on the cut's take whose frame is not on screen (trimmed from the head or the tail,
 *   under the dissolve into the next cut, or past the clip's end) is left out and listed with the reason
 *   (`leftOut`, written into the OTIO timeline's metadata), never moved to a frame it is not about.
 */
import type { CommentView } from '../../shared/doc/index.js';
import { secondsToFrames } from '../../shared/sequence/rate.js';
import { bounded, oneLine, wellFormed } from './escape.js';
import { fadeIn, type Cut, type Timeline } from './timeline.js';

/** A comment as an export reads it: with its author's display name (never an email). */
export interface ExportComment extends CommentView {
  authorName: string;
}

export interface ReviewMarker {
  commentId: string;
  /** Display name of the comment's author. */
  author: string;
  /** The comment's text as written; each writer escapes and bounds it for its format. */
  text: string;
  resolved: boolean;
  /** Seconds into the take, as commented. */
  atSec: number;
  /** Frame in the take's clip (the clip's own time: OTIO `marked_range`, FCPXML `start`). */
  sourceFrame: number;
  /** Frame on the sequence from its first frame (the EDL adds its 01:00:00:00 start). */
  recordFrame: number;
}

export interface LeftOutMarker {
  commentId: string;
  shotId: string;
  takeId: string;
  atSec: number;
  why: string;
}

export interface ReviewMarkers {
  /** Markers of each take cut, by cut index (1-based, `Cut.index`), in time order. */
  byCut: ReadonlyMap<number, readonly ReviewMarker[]>;
  leftOut: readonly LeftOutMarker[];
}

/** Longest marker name (the label an NLE shows on its timeline) and note (the marker's notes field). */
const MARKER_NAME_MAX = 120;
const MARKER_NOTE_MAX = 2000;

/** A marker's name on the timeline: who, then what, on one bounded line (OTIO name, FCPXML value). */
export const markerName = (m: Pick<ReviewMarker, 'author' | 'text'>, max = MARKER_NAME_MAX) => oneLine(`${m.author}: ${m.text}`, max);

/** A marker's note: the whole comment (line breaks kept), bounded; each format escapes it. */
export const markerNote = (m: Pick<ReviewMarker, 'text'>) => bounded(wellFormed(m.text), MARKER_NOTE_MAX);

/** Places every timed comment on the timeline's take cuts (see the module comment for the rules). */
export function reviewMarkers(timeline: Timeline, comments: readonly ExportComment[]): ReviewMarkers {
  const byCut = new Map<number, ReviewMarker[]>();
  const leftOut: LeftOutMarker[] = [];
  const cutOfTake = new Map<string, { cut: Extract<Cut, { kind: 'take' }>; shown: number }>();
  timeline.cuts.forEach((cut, i) => {
    if (cut.kind === 'take') cutOfTake.set(`${cut.shotId}\n${cut.takeId}`, { cut, shown: cut.frames - fadeIn(timeline.cuts[i + 1]) });
  });
  for (const c of comments) {
    if (c.takeId === undefined || c.atSec === undefined || !Number.isFinite(c.atSec) || c.atSec < 0) continue;
    if (c.removedBy !== undefined || !c.text.trim()) continue;
    const placed = cutOfTake.get(`${c.shotId}\n${c.takeId}`);
    if (!placed) continue;
    const { cut, shown } = placed;
    const sourceFrame = secondsToFrames(c.atSec, timeline.rate);
    const why =
      sourceFrame >= cut.sourceFrames
        ? 'after the end of the clip'
        : sourceFrame < cut.inFrame
          ? 'in the part of the clip trimmed from its head'
          : sourceFrame >= cut.inFrame + cut.frames
            ? 'in the part of the clip trimmed from its tail'
            : sourceFrame >= cut.inFrame + shown
              ? 'under the dissolve into the next shot'
              : undefined;
    if (why) {
      leftOut.push({ commentId: c.id, shotId: c.shotId, takeId: c.takeId, atSec: c.atSec, why });
      continue;
    }
    const list = byCut.get(cut.index) ?? [];
    list.push({ commentId: c.id, author: c.authorName, text: c.text, resolved: c.resolved, atSec: c.atSec, sourceFrame, recordFrame: cut.recordIn + sourceFrame - cut.inFrame });
    byCut.set(cut.index, list);
  }
  for (const list of byCut.values()) list.sort((a, b) => a.sourceFrame - b.sourceFrame);
  return { byCut, leftOut };
}
