/**
 * A timeline file against the board's current sequence. Each clip is matched by the provenance
 * ids our export wrote (take id, else the clip asset in its media URL; a slate by its shot id),
 * never by name or position: a clip without them, naming a take this board does not have, or
 * naming a shot a second time is listed as unknown. The changes are what accepting would write:
 * the new order of the matched shots, each take's new in/out points, shots not in the file (left
 * out of the sequence), shots left out that the file has again, and changed transitions.
 */
import { MAX_CROSSFADE_SEC, type ShotView, type TakeView } from '../../../shared/doc/index.js';
import { planSequence, durationFrames, storedTrimFrames, trimFrames, type PlanBoard } from '../../../shared/sequence/plan.js';
import { frameRate, nominalFps, secondsToFrames, type FrameRate } from '../../../shared/sequence/rate.js';
import type { FrameRange, ImportChange, ImportUnknown, TimelineImportDiff } from '../../../shared/timeline-import.js';
import type { ImportedItem, ImportedTimeline } from './timeline-file.js';

/** The board as the diff reads it: settings, every shot in board order, every take of each. */
export interface ImportBoard {
  meta: PlanBoard['meta'];
  shots: ShotView[];
  takes: Record<string, TakeView[]>;
}

interface Match {
  shot: ShotView;
  take?: TakeView;
  item: ImportedItem;
}

export function diffTimeline(board: ImportBoard, file: ImportedTimeline): TimelineImportDiff {
  const rate = frameRate(board.meta.fps);
  const { matched, unknown } = matchItems(board, file.items);
  const plan = planSequence(board);
  const cuts = new Map(plan.cuts.map((c) => [c.shotId, c]));
  const titles: Record<string, string> = {};
  board.shots.forEach((s, i) => (titles[s.id] = s.title.trim() || `Shot ${i + 1}`));
  const changes: ImportChange[] = [];

  const inFile = new Set(matched.map((m) => m.shot.id));
  const to = matched.map((m) => m.shot.id);
  const from = board.shots.filter((s) => inFile.has(s.id)).map((s) => s.id);
  if (from.join() !== to.join()) {
    changes.push({ id: 'order', kind: 'order', from, to, summary: `New order: ${to.map((id) => titles[id]).join(', ')} (was ${from.map((id) => titles[id]).join(', ')})` });
  }
  for (const m of matched) {
    if (m.shot.leftOut) changes.push({ id: `restore:${m.shot.id}`, kind: 'restore', shotId: m.shot.id, summary: `${titles[m.shot.id]} is back in the sequence` });
  }
  for (const cut of plan.cuts) {
    if (!inFile.has(cut.shotId)) changes.push({ id: `remove:${cut.shotId}`, kind: 'remove', shotId: cut.shotId, summary: `${titles[cut.shotId]} is not in the file: leave it out of the sequence (it stays on the board)` });
  }
  for (const m of matched) {
    // Only a finished take has frames to trim (the export writes no other).
    if (!m.take || m.take.status !== 'succeeded') continue;
    const sourceFrames = durationFrames(m.take.durationSec, rate);
    const cut = cuts.get(m.shot.id);
    const was: FrameRange = cut?.kind === 'take' && cut.takeId === m.take.id
      ? { inFrame: cut.inFrame, outFrame: cut.inFrame + cut.frames }
      : storedTrim(m.shot, m.take.id, sourceFrames, rate);
    const now: FrameRange = trimFrames(m.item.inFrame, m.item.outFrame, sourceFrames);
    if (now.inFrame === was.inFrame && now.outFrame === was.outFrame) continue;
    const selected = m.shot.selectedTake === m.take.id;
    const which = `take${m.take.number ? ` #${m.take.number}` : ''}`;
    changes.push({
      id: `trim:${m.shot.id}`, kind: 'trim', shotId: m.shot.id, takeId: m.take.id, selected, from: was, to: now, sourceFrames,
      summary: `${titles[m.shot.id]}, ${which}: in ${span(was.inFrame, rate)} → ${span(now.inFrame, rate)}, out ${span(was.outFrame, rate)} → ${span(now.outFrame, rate)}`
        + (selected ? '' : ` (not the selected take now: the trim applies when it is selected again)`),
    });
  }
  const maxFade = secondsToFrames(MAX_CROSSFADE_SEC, rate);
  matched.forEach((m, i) => {
    const cut = cuts.get(m.shot.id);
    const was = cut?.transition.kind === 'crossfade' ? cut.transition.frames : 0;
    const now = i === 0 ? 0 : Math.min(m.item.fadeIn, maxFade);
    if (was === now) return;
    const words = (f: number) => (f === 0 ? 'a cut' : `a ${span(f, rate)} dissolve`);
    changes.push({ id: `transition:${m.shot.id}`, kind: 'transition', shotId: m.shot.id, from: was, to: now, summary: `Into ${titles[m.shot.id]}: ${words(was)} → ${words(now)}` });
  });
  return { format: file.format, fps: rate.value, matched: matched.length, changes, unknown, notes: file.notes };
}

/** Matches each item to a shot (and take) of the board by its ids; the rest is unknown. */
export function matchItems(board: ImportBoard, items: readonly ImportedItem[]): { matched: Match[]; unknown: ImportUnknown[] } {
  const find = finder(board);
  const matched: Match[] = [];
  const unknown: ImportUnknown[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const hit = find(item);
    if (typeof hit === 'string') {
      unknown.push({ at: item.at, name: item.name, reason: hit });
    } else if (seen.has(hit.shot.id)) {
      unknown.push({ at: item.at, name: item.name, reason: 'its shot is already in the file (a shot is one cut of the sequence); only its first appearance counts' });
    } else {
      seen.add(hit.shot.id);
      matched.push({ ...hit, item });
    }
  }
  return { matched, unknown };
}

/** The shot (and take) an item's ids name, or why none. */
function finder(board: ImportBoard) {
  const shots = new Map(board.shots.map((s) => [s.id, s]));
  const byTake = new Map<string, { shot: ShotView; take: TakeView }>();
  const byClip = new Map<string, { shot: ShotView; take: TakeView }>();
  for (const shot of board.shots) {
    for (const take of board.takes[shot.id] ?? []) {
      byTake.set(take.id, { shot, take });
      if (take.clip) byClip.set(take.clip, { shot, take });
    }
  }
  return (item: ImportedItem): { shot: ShotView; take?: TakeView } | string => {
    const { shotId, takeId, clipId } = item.ids;
    const agree = (hit: { shot: ShotView; take: TakeView }) =>
      !shotId || shotId === hit.shot.id ? hit : `it names shot ${shotId} but take ${hit.take.id} of another shot`;
    if (takeId) {
      const hit = byTake.get(takeId);
      return hit ? agree(hit) : `take ${takeId} is not a take of this board (deleted, or from another board)`;
    }
    if (clipId && item.kind === 'clip') {
      const hit = byClip.get(clipId);
      return hit ? agree(hit) : 'its media is not a take of this board';
    }
    if (shotId && item.kind === 'slate') {
      const shot = shots.get(shotId);
      return shot ? { shot } : `shot ${shotId} is not on this board (deleted, or from another board)`;
    }
    if (shotId) return `it names shot ${shotId} but no take of it (neither a take id nor the take's media URL)`;
    return 'it carries no Takeboard ids (a clip added in the edit suite, or its ids were lost on the way)';
  };
}

function storedTrim(shot: ShotView, takeId: string, sourceFrames: number, rate: FrameRate): FrameRange {
  const trim = shot.trims?.[takeId];
  return trim ? storedTrimFrames(trim, sourceFrames, rate) : { inFrame: 0, outFrame: sourceFrames };
}

/** Frames as editors read them at this rate: seconds and frames, "2s 12f". */
function span(frames: number, rate: FrameRate): string {
  const nominal = nominalFps(rate);
  return `${Math.floor(frames / nominal)}s ${frames % nominal}f`;
}
