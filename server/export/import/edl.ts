/**
 * Reads a CMX 3600 EDL: video events in record order, dissolves (`D nnn`, the outgoing clip as
 * the zero-length cut before it), and the comment lines after each event. Provenance: our
 * `* TAKEBOARD SHOT <shotId> TAKE <takeId>` (or `SLATE:`) comment and the `* SOURCE FILE:` URL;
 * a tool that drops comments on export leaves its clips unknown. Timecodes count at the board's
 * nominal rate; `FCM: DROP FRAME` timecodes are counted as drop frame.
 * Any line that is not a title, FCM, event, comment or a known note (M2, SPLIT, AUD…) is refused
 * with its number.
 */
import { nominalFps, type FrameRate } from '../../../shared/sequence/rate.js';
import { assetIdOf, badTimeline, idOf, MAX_TIMELINE_ITEMS, placeDissolve, type ImportedItem, type ImportedTimeline } from './timeline-file.js';

interface EdlEvent {
  line: number;
  reel: string;
  track: string;
  /** C (cut), D (dissolve), W… (wipe), K… (key). */
  transition: string;
  transitionFrames: number;
  srcIn: number;
  srcOut: number;
  recIn: number;
  recOut: number;
  comments: string[];
}

const TC = /^(\d{2}):(\d{2}):(\d{2})[:;.](\d{2})$/;
/** Lines CMX 3600 readers meet besides events and comments: speed changes, split edits, audio notes. */
const KNOWN_NOTE = /^(M2\s|SPLIT:|AUD\s|>>>|EFFECTS NAME|FINAL CUT PRO REEL|REM\s)/i;

export function readEdl(text: string, rate: FrameRate): ImportedTimeline {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  const nominal = nominalFps(rate);
  let drop = false;
  const events: EdlEvent[] = [];
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    const fail = (why: string) => badTimeline('edl', `line ${n}`, why);
    if (line === '' || /^TITLE:/i.test(line) || KNOWN_NOTE.test(line)) return;
    if (/^FCM:/i.test(line)) {
      drop = /DROP FRAME/i.test(line) && !/NON[- ]DROP/i.test(line);
      return;
    }
    if (line.startsWith('*')) {
      events[events.length - 1]?.comments.push(line.slice(1).trim());
      return;
    }
    const fields = line.split(/\s+/);
    if (!/^\d{1,6}$/.test(fields[0]!)) throw fail(`"${line.slice(0, 40)}" is not a CMX 3600 event, comment or note`);
    if (events.length >= MAX_TIMELINE_ITEMS * 2) throw fail(`more than ${MAX_TIMELINE_ITEMS * 2} events`);
    const [, reel, track, transition, ...rest] = fields;
    if (!reel || !track || !transition) throw fail('an event needs a reel, a track and a transition');
    let transitionFrames = 0;
    if (transition.toUpperCase() !== 'C') {
      if (!/^\d{1,4}$/.test(rest[0] ?? '')) throw fail(`the ${transition} transition has no length in frames`);
      transitionFrames = Number(rest.shift());
    }
    if (rest.length !== 4) throw fail('an event needs four timecodes: source in, source out, record in, record out');
    const [srcIn, srcOut, recIn, recOut] = rest.map((tc) => frames(tc, fail));
    events.push({ line: n, reel, track: track.toUpperCase(), transition: transition.toUpperCase(), transitionFrames, srcIn: srcIn!, srcOut: srcOut!, recIn: recIn!, recOut: recOut!, comments: [] });
  });
  if (events.length === 0) throw badTimeline('edl', `line ${lines.length}`, 'there is no event in it');

  const video = events.filter((e) => e.track.includes('V')).sort((a, b) => a.recIn - b.recIn || a.line - b.line);
  const items: ImportedItem[] = [];
  for (const e of video) {
    // The outgoing side of a dissolve: a zero-length cut that only says where the outgoing clip continues.
    if (e.recOut <= e.recIn) continue;
    const item = itemOf(e);
    if (!item) continue;
    if (e.transition === 'D' && e.transitionFrames > 0) placeDissolve(items[items.length - 1], item, 0, e.transitionFrames);
    items.push(item);
  }
  const notes = events.some((e) => e.transition.startsWith('W') || e.transition.startsWith('K')) ? ['Wipes and keys were read as cuts.'] : [];
  return { format: 'edl', items, notes };

  function frames(tc: string, fail: (why: string) => Error): number {
    const m = TC.exec(tc);
    if (!m) throw fail(`"${tc.slice(0, 20)}" is not a timecode (HH:MM:SS:FF)`);
    const [h, mi, s, f] = m.slice(1).map(Number) as [number, number, number, number];
    if (mi > 59 || s > 59 || f >= nominal) throw fail(`"${tc}" is not a timecode at ${nominal} frames a second`);
    const total = ((h * 60 + mi) * 60 + s) * nominal + f;
    if (!drop) return total;
    // Drop frame: frame numbers 0 and 1 (2 per 30) are skipped each minute but every tenth.
    const dropped = Math.round(nominal / 15);
    const minutes = h * 60 + mi;
    return total - dropped * (minutes - Math.floor(minutes / 10));
  }
}

/** The clip an event shows, with the ids its comments carry (null for black or filler without ours). */
function itemOf(e: EdlEvent): ImportedItem | null {
  const base = { inFrame: e.srcIn, outFrame: e.srcIn + (e.recOut - e.recIn), fadeIn: 0, at: `line ${e.line}` };
  let name = '';
  let shotId: string | undefined;
  let takeId: string | undefined;
  let clipId: string | undefined;
  let slate = false;
  for (const c of e.comments) {
    const label = /^(FROM|TO) CLIP NAME:\s*(.*)$/i.exec(c);
    // In a dissolve, TO names the incoming clip; otherwise FROM is the clip.
    if (label && (label[1]!.toUpperCase() === 'TO' || !name)) name = label[2]!.slice(0, 200);
    const source = /^SOURCE FILE:\s*(.*)$/i.exec(c);
    if (source) clipId = assetIdOf(source[1]) ?? clipId;
    const ours = /^TAKEBOARD SHOT (\S+)(?: TAKE (\S+)| SLATE:)/.exec(c);
    if (ours) {
      shotId = idOf(ours[1]);
      takeId = idOf(ours[2]);
      slate = ours[2] === undefined;
    }
  }
  if (slate && shotId) return { kind: 'slate', ids: { shotId }, name, ...base };
  if (e.reel.toUpperCase() === 'BL' && !shotId) return null; // black an editor left
  const ids = Object.fromEntries(Object.entries({ shotId, takeId, clipId }).filter(([, v]) => v !== undefined));
  return { kind: 'clip', ids, name: name || e.reel, ...base };
}
