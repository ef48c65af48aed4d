/**
 * Matching a file's clips to the board: by the ids our export wrote only. A clip naming a take of
 * another shot than it says, a shot named twice, a take the board no longer has, a clip with no
 * ids: listed as unknown with why, never guessed; a slate by its shot id; a clip by its media URL.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, selectTake, setLeftOut, setMeta, upsertTake } from '../../shared/doc/index.js';
import { importBoard } from '../../server/export/import/apply.js';
import { diffTimeline } from '../../server/export/import/diff.js';
import type { ImportedItem } from '../../server/export/import/timeline-file.js';

const TAKE = { jobId: 'job_1', model: 'animatic', status: 'succeeded' as const, durationSec: 2, costMicroUsd: 0, createdBy: 'user_1', createdAt: '2026-12-07T08:00:00.000Z' };

function board() {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Match', defaultModel: 'animatic', fps: 24 });
  const a = addShot(doc, { title: 'A', durationSec: 2 });
  const b = addShot(doc, { title: 'B', durationSec: 2 });
  const c = addShot(doc, { title: 'C', durationSec: 3 });
  upsertTake(doc, a, 'take_a', { ...TAKE, clip: 'clip_a' });
  selectTake(doc, a, 'take_a');
  upsertTake(doc, b, 'take_b', { ...TAKE, clip: 'clip_b' });
  selectTake(doc, b, 'take_b');
  return { doc, a, b, c };
}

const item = (at: string, ids: ImportedItem['ids'], kind: ImportedItem['kind'] = 'clip', range: [number, number] = [0, 48]): ImportedItem => ({
  kind, ids, name: at, inFrame: range[0], outFrame: range[1], fadeIn: 0, at,
});

describe('matching clips to shots', () => {
  it('matches by take id, by clip URL and a slate by shot id; lists the rest with why', () => {
    const { doc, a, b, c } = board();
    const d = diffTimeline(importBoard(doc), {
      format: 'otio', notes: [], items: [
        item('1', { clipId: 'clip_b' }),
        item('2', { shotId: c }, 'slate', [0, 72]),
        item('3', { shotId: a, takeId: 'take_a' }),
        item('4', { shotId: b, takeId: 'take_a' }),
        item('5', { takeId: 'take_a' }),
        item('6', { takeId: 'take_gone' }),
        item('7', {}),
        item('8', { shotId: a }),
      ],
    });
    expect(d.matched).toBe(3);
    expect(d.changes).toEqual([expect.objectContaining({ id: 'order', from: [a, b, c], to: [b, c, a] })]);
    expect(d.unknown.map((u) => [u.at, u.reason])).toEqual([
      ['4', `it names shot ${b} but take take_a of another shot`],
      ['5', 'its shot is already in the file (a shot is one cut of the sequence); only its first appearance counts'],
      ['6', 'take take_gone is not a take of this board (deleted, or from another board)'],
      ['7', 'it carries no Takeboard ids (a clip added in the edit suite, or its ids were lost on the way)'],
      ['8', `it names shot ${a} but no take of it (neither a take id nor the take's media URL)`],
    ]);
  });

  it('offers a left-out shot the file has back, and clamps a trim to the clip', () => {
    const { doc, a, b, c } = board();
    setLeftOut(doc, b, true);
    const d = diffTimeline(importBoard(doc), {
      format: 'edl', notes: [], items: [item('1', { takeId: 'take_a' }, 'clip', [-4, 500]), item('2', { takeId: 'take_b' }), item('3', { shotId: c }, 'slate', [0, 72])],
    });
    expect(d.changes.map((x) => x.id)).toEqual([`restore:${b}`]);
    const trimmed = diffTimeline(importBoard(doc), { format: 'edl', notes: [], items: [item('1', { takeId: 'take_a' }, 'clip', [12, 500])] });
    expect(trimmed.changes.find((x) => x.kind === 'trim')).toMatchObject({ from: { inFrame: 0, outFrame: 48 }, to: { inFrame: 12, outFrame: 48 } });
  });
});
