/**
 * CMX 3600 edit decision list: one video cut per selected take, source and record timecodes at
 * the board's rate (non-drop), record starting at 01:00:00:00. Reel names are limited to 8
 * characters, so every event uses the auxiliary reel `AX` and names its clip in a
 * `* FROM CLIP NAME:` comment, as Premiere, Resolve and Avid read it.
 */
import { oneLine } from './escape.js';
import type { Timeline } from './timeline.js';
import { oneHourFrames, timecode } from './timecode.js';

/** The EDL text, CRLF line endings. Crossfades are not written: EDLs get the cuts. */
export function toEdl(timeline: Timeline, origin: string): string {
  const { rate } = timeline;
  const start = oneHourFrames(rate);
  const lines = [`TITLE: ${edlTitle(timeline.title)}`, 'FCM: NON-DROP FRAME', ''];
  let record = start;
  for (const cut of timeline.cuts) {
    const num = String(cut.index).padStart(3, '0');
    const src = `${timecode(cut.inFrame, rate)} ${timecode(cut.inFrame + cut.frames, rate)}`;
    const rec = `${timecode(record, rate)} ${timecode(record + cut.frames, rate)}`;
    lines.push(`${num}  ${'AX'.padEnd(8)} ${'V'.padEnd(5)} ${'C'.padEnd(8)} ${src} ${rec}`);
    lines.push(`* FROM CLIP NAME: ${oneLine(cut.title || `Shot ${cut.entry.order}`, 120) || `Shot ${cut.entry.order}`}`);
    lines.push(`* SOURCE FILE: ${origin}/api/assets/${cut.clip.id}`);
    lines.push(`* TAKEBOARD SHOT ${cut.shotId} TAKE ${cut.takeId}`);
    lines.push('');
    record += cut.frames;
  }
  return lines.join('\r\n');
}

/** TITLE: is one line of plain ASCII in the classic readers; 70 characters is the safe length. */
function edlTitle(title: string): string {
  const ascii = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '');
  return oneLine(ascii, 70) || 'Takeboard sequence';
}
