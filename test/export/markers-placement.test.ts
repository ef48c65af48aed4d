/**
 * Where review markers land, on a snapshot in memory: the rules of server/export/markers.ts case
 * by case (the files themselves are read back in markers.test.ts), and the review note sent with
 * a prompt (shared/generation/review-note.ts).
 */
import { describe, expect, it } from 'vitest';
import { reviewMarkers, type ExportComment } from '../../server/export/markers.js';
import { planTimeline } from '../../server/export/timeline.js';
import { noteProblem, promptWithNote } from '../../shared/generation/index.js';
import { snapshot } from './snapshot-fixture.js';

const note = (over: Partial<ExportComment>): ExportComment => ({
  id: `cmt_${Math.random().toString(36).slice(2)}`, shotId: 'shot_1', takeId: 'take_1', atSec: 1, author: 'u1', authorName: 'Rae', text: 'note', createdAt: '', resolved: false, mentions: [], ...over,
});

describe('review marker placement', () => {
  // Two 3 s clips at 24 fps, the second continuing the first through a 1 s reference-video tail.
  const snap = snapshot([{ width: 640, height: 360, durationSec: 3 }, { width: 640, height: 360, durationSec: 3, chained: 'reference_video' }]);

  it('places a note at the take’s record time minus the head trim, and leaves out what is not on screen, saying why', () => {
    const t = planTimeline(snap, { trimOverlap: true });
    expect(t.cuts[1]).toMatchObject({ inFrame: 24, recordIn: 72 });
    const keep = note({ atSec: 2 });
    const trimmed = note({ atSec: 0.5 });
    const late = note({ atSec: 3 });
    const r = reviewMarkers(t, [keep, trimmed, late]);
    expect(r.byCut.get(2)).toEqual([{ commentId: keep.id, author: 'Rae', text: 'note', resolved: false, atSec: 2, sourceFrame: 48, recordFrame: 72 + 48 - 24 }]);
    expect(r.leftOut.map((m) => [m.commentId, m.why])).toEqual([
      [trimmed.id, 'in the part of the clip trimmed from its head'],
      [late.id, 'after the end of the clip'],
    ]);
  });

  it('is not about other takes, untimed notes, removed or empty ones; sorts by time', () => {
    const t = planTimeline(snap);
    const second = note({ shotId: 'shot_0', takeId: 'take_0', atSec: 2 });
    const first = note({ shotId: 'shot_0', takeId: 'take_0', atSec: 0 });
    const r = reviewMarkers(t, [
      second,
      note({ takeId: 'an_older_take' }),
      note({ takeId: undefined, atSec: undefined }),
      note({ removedBy: 'u2', removedAt: 'x', text: '' }),
      note({ text: '  \n ' }),
      note({ atSec: Number.NaN }),
      first,
    ]);
    expect(r.byCut.get(1)?.map((m) => [m.commentId, m.recordFrame])).toEqual([[first.id, 0], [second.id, 48]]);
    expect(r.byCut.get(2)).toBeUndefined();
    expect(r.leftOut).toEqual([]);
  });

  it('a note past a cut’s out point (a tail trim, as an edit suite may send back) is left out', () => {
    const t = planTimeline(snap);
    t.cuts[0]!.frames = 48;
    const cut = note({ shotId: 'shot_0', takeId: 'take_0', atSec: 2.5 });
    expect(reviewMarkers(t, [cut]).leftOut.map((m) => m.why)).toEqual(['in the part of the clip trimmed from its tail']);
  });

  it('a note under the dissolve into the next cut is left out', () => {
    const t = planTimeline(snap, { trimOverlap: true, crossfadeSec: 0.5 });
    const under = note({ shotId: 'shot_0', takeId: 'take_0', atSec: 2.9 });
    expect(reviewMarkers(t, [under]).leftOut).toEqual([{ commentId: under.id, shotId: 'shot_0', takeId: 'take_0', atSec: 2.9, why: 'under the dissolve into the next shot' }]);
  });
});

describe('the note sent with a prompt', () => {
  it('is the last paragraph, labelled, quoted, on one line; nothing in it can end it early', () => {
    expect(promptWithNote('a wide shot  \n', 'warmer\r\n\u2028light, "less" blue\u202e')).toBe('a wide shot\n\nReview note to apply: "warmer light, \'less\' blue"');
    expect(promptWithNote('', 'tighter')).toBe('Review note to apply: "tighter"');
  });

  it('says in words why a note cannot be sent', () => {
    expect(noteProblem('p', 'fine')).toBeUndefined();
    expect(noteProblem('p', ' \n ')).toBe('This comment has no text to send.');
    expect(noteProblem('p', 'x'.repeat(501))).toMatch(/^The note is 501 characters; at most 500/);
    expect(noteProblem('p'.repeat(1990), 'tighter')).toMatch(/^The shot's prompt with this note is 2023 characters; a prompt may have at most 2000/);
  });
});
