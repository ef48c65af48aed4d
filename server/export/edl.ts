/**
 * CMX 3600 edit decision list of the sequence plan, source and record timecodes at the board's
 * rate (non-drop), record starting at 01:00:00:00. Reel names are limited to 8 characters, so
 * every take uses the auxiliary reel `AX` and names its clip in a `* FROM CLIP NAME:` comment, as
 * Premiere, Resolve and Avid read it; a slate is black (`BL`), named the same way.
 *
 * A crossfade is a CMX dissolve: the outgoing event ends where the dissolve starts, then the
 * dissolve event is two lines with one number, the outgoing clip as a zero-length cut at that
 * point and the incoming clip as `D` with the length in frames. The outgoing clip's frames under
 * the dissolve are its handle, as every reader expects.
 *
 * Review comments at a time in the cut's take follow its event as locators, the comment lines
 * Avid writes and Resolve and Premiere read: `* LOC: <record timecode> <COLOUR> <author>: <text>`,
 * RED while open, GREEN once resolved, at the marker's record time (markers.ts).
 *
 * No user text can add an event: every comment line is built by `comment` (one line, control
 * characters, line separators and bidi controls removed, bounded), the title is one line of
 * ASCII, and reels pass `reel` (CMX 3600: 1–8 of A–Z, 0–9, _). Ids in comments come from the
 * board document, which clients write, so they are treated as text like any title.
 */
import { oneLine } from './escape.js';
import { markerName, type ReviewMarkers } from './markers.js';
import { fadeIn, type Cut, type Timeline } from './timeline.js';
import { oneHourFrames, timecode } from './timecode.js';

/** The EDL text, CRLF line endings. */
export function toEdl(timeline: Timeline, origin: string, review: ReviewMarkers): string {
  const { rate } = timeline;
  const start = oneHourFrames(rate);
  const tc = (f: number) => timecode(f, rate);
  const lines = [`TITLE: ${edlTitle(timeline.title)}`, 'FCM: NON-DROP FRAME', ''];
  timeline.cuts.forEach((cut, i) => {
    const num = String(cut.index).padStart(3, '0');
    // The part of this cut before the next one's dissolve starts.
    const shown = cut.frames - fadeIn(timeline.cuts[i + 1]);
    const source = reel(cut.kind === 'take' ? 'AX' : 'BL');
    const rec = `${tc(start + cut.recordIn)} ${tc(start + cut.recordIn + shown)}`;
    const fade = fadeIn(cut);
    const prev = timeline.cuts[i - 1];
    if (fade > 0 && prev) {
      const prevOut = prev.inFrame + prev.frames - fade;
      lines.push(`${num}  ${reel('AX').padEnd(8)} ${'V'.padEnd(5)} ${'C'.padEnd(8)} ${tc(prevOut)} ${tc(prevOut)} ${tc(start + cut.recordIn)} ${tc(start + cut.recordIn)}`);
      lines.push(`${num}  ${source.padEnd(8)} ${'V'.padEnd(5)} ${`D    ${String(fade).padStart(3, '0')}`} ${tc(cut.inFrame)} ${tc(cut.inFrame + shown)} ${rec}`);
      lines.push(comment('FROM CLIP NAME:', clipName(prev)), comment('TO CLIP NAME:', clipName(cut)));
    } else {
      lines.push(`${num}  ${source.padEnd(8)} ${'V'.padEnd(5)} ${'C'.padEnd(8)} ${tc(cut.inFrame)} ${tc(cut.inFrame + shown)} ${rec}`);
      lines.push(comment('FROM CLIP NAME:', clipName(cut)));
    }
    if (cut.kind === 'take') {
      lines.push(comment('SOURCE FILE:', `${origin}/api/assets/${cut.clip.id}`), comment('TAKEBOARD SHOT', `${cut.shotId} TAKE ${cut.takeId}`));
    } else {
      lines.push(comment('TAKEBOARD SHOT', `${cut.shotId} SLATE: ${cut.reason}`));
    }
    for (const m of review.byCut.get(cut.index) ?? []) {
      // The timecode and colour are ours; the text is one bounded line (markerName → oneLine).
      lines.push(`* LOC: ${tc(start + m.recordFrame)} ${(m.resolved ? 'GREEN' : 'RED').padEnd(7)} ${markerName(m, COMMENT_MAX)}`);
    }
    lines.push('');
  });
  return lines.join('\r\n');
}

/** Longest comment line text; readers differ, and none needs more to name a clip. */
const COMMENT_MAX = 160;

/** A `* LABEL text` comment line: the text reduced to one bounded line (escape.ts `oneLine`). */
function comment(label: string, text: string): string {
  return `* ${label} ${oneLine(text, COMMENT_MAX)}`;
}

/** CMX 3600 reel names are 1–8 characters of A–Z, 0–9 and `_`. */
function reel(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '').slice(0, 8) || 'AX';
}

function clipName(cut: Cut): string {
  const name = cut.kind === 'slate' ? cut.label : cut.title || `Shot ${cut.index}`;
  return oneLine(name, 120) || `Shot ${cut.index}`;
}

/** TITLE: is one line of plain ASCII in the classic readers; 70 characters is the safe length. */
function edlTitle(title: string): string {
  const ascii = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '');
  return oneLine(ascii, 70) || 'Takeboard sequence';
}
