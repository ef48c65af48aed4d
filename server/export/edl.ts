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
 */
import { oneLine } from './escape.js';
import { fadeIn, type Cut, type Timeline } from './timeline.js';
import { oneHourFrames, timecode } from './timecode.js';

/** The EDL text, CRLF line endings. */
export function toEdl(timeline: Timeline, origin: string): string {
  const { rate } = timeline;
  const start = oneHourFrames(rate);
  const tc = (f: number) => timecode(f, rate);
  const lines = [`TITLE: ${edlTitle(timeline.title)}`, 'FCM: NON-DROP FRAME', ''];
  timeline.cuts.forEach((cut, i) => {
    const num = String(cut.index).padStart(3, '0');
    // The part of this cut before the next one's dissolve starts.
    const shown = cut.frames - fadeIn(timeline.cuts[i + 1]);
    const reel = cut.kind === 'take' ? 'AX' : 'BL';
    const rec = `${tc(start + cut.recordIn)} ${tc(start + cut.recordIn + shown)}`;
    const fade = fadeIn(cut);
    const prev = timeline.cuts[i - 1];
    if (fade > 0 && prev) {
      const prevOut = prev.inFrame + prev.frames - fade;
      lines.push(`${num}  ${'AX'.padEnd(8)} ${'V'.padEnd(5)} ${'C'.padEnd(8)} ${tc(prevOut)} ${tc(prevOut)} ${tc(start + cut.recordIn)} ${tc(start + cut.recordIn)}`);
      lines.push(`${num}  ${reel.padEnd(8)} ${'V'.padEnd(5)} ${`D    ${String(fade).padStart(3, '0')}`} ${tc(cut.inFrame)} ${tc(cut.inFrame + shown)} ${rec}`);
      lines.push(`* FROM CLIP NAME: ${clipName(prev)}`);
      lines.push(`* TO CLIP NAME: ${clipName(cut)}`);
    } else {
      lines.push(`${num}  ${reel.padEnd(8)} ${'V'.padEnd(5)} ${'C'.padEnd(8)} ${tc(cut.inFrame)} ${tc(cut.inFrame + shown)} ${rec}`);
      lines.push(`* FROM CLIP NAME: ${clipName(cut)}`);
    }
    if (cut.kind === 'take') {
      lines.push(`* SOURCE FILE: ${origin}/api/assets/${cut.clip.id}`);
      lines.push(`* TAKEBOARD SHOT ${cut.shotId} TAKE ${cut.takeId}`);
    } else {
      lines.push(`* TAKEBOARD SHOT ${cut.shotId} SLATE: ${oneLine(cut.reason, 80)}`);
    }
    lines.push('');
  });
  return lines.join('\r\n');
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
