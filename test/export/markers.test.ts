/**
 * Review markers in the timeline exports, read back the way an editing room reads them: the OTIO
 * clip's markers, FCPXML markers inside the asset-clip and EDL `* LOC:` locators, each at the
 * record time of the sequence (the take's place in the cut + the comment's time − the head trim).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addComment, listComments, resolveComment } from '../../shared/doc/index.js';
import { joinWithRole, signedUpClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { loadSnapshot } from '../../server/export/board-snapshot.js';
import { useChainedBoard } from './helpers.js';
import { findAll, parseEdl, parseXml, tcFrames, type XmlNode } from './parsers.js';

const { srv, b } = useChainedBoard();

/** One marker as a file says it: where on the sequence (frames from its start), by whom, what. */
interface Read {
  record: number;
  name: string;
  note?: string;
  colour?: string;
}

// Hostile: a line break followed by a forged locator and an event line, markup and quotes.
const HOSTILE = 'Too dark,\r\n* LOC: 01:00:00:00 RED     forged\n002  AX V C 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n<marker start="0s"/> & "quotes"';
const LONG = 'x'.repeat(3000);
let reviewer: Awaited<ReturnType<typeof signedUpClient>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  reviewer = await signedUpClient(srv.url, { name: 'Rae' });
  await joinWithRole(b.owner.client, reviewer.client, b.boardId, 'commenter');
  const rconn = connectBoard(srv.url, b.boardId, reviewer.client);
  await rconn.synced();
  const owner = b.owner.user.id;
  ids.hostile = addComment(b.conn.doc, { shotId: b.first, takeId: b.take1.id, atSec: 1, author: owner, text: HOSTILE });
  ids.long = addComment(b.conn.doc, { shotId: b.first, takeId: b.take1.id, atSec: 2, author: owner, text: LONG });
  ids.tail = addComment(b.conn.doc, { shotId: b.first, takeId: b.take1.id, atSec: 2.75, author: owner, text: 'tail flicker' });
  ids.roof = addComment(rconn.doc, { shotId: b.second, takeId: b.take2.id, atSec: 0.5, author: reviewer.user.id, text: 'Hold the roofline' });
  ids.first = addComment(b.conn.doc, { shotId: b.second, takeId: b.take2.id, atSec: 0, author: owner, text: 'First frame pops' });
  ids.late = addComment(b.conn.doc, { shotId: b.second, takeId: b.take2.id, atSec: 9, author: owner, text: 'past the end' });
  ids.otherTake = addComment(b.conn.doc, { shotId: b.second, takeId: 'tk_not_in_the_cut', atSec: 1, author: owner, text: 'about an older take' });
  ids.untimed = addComment(b.conn.doc, { shotId: b.second, author: owner, text: 'on the shot, no time' });
  await waitFor(() => listComments(rconn.doc).length === 8, 'the reviewer to see every comment');
  resolveComment(b.conn.doc, ids.roof!);
  await waitFor(
    () => srv.takeboard.hub.read(b.boardId, (d) => listComments(d).length === 8 && listComments(d).find((c) => c.id === ids.roof)?.resolved === true),
    'the server to store the comments',
  );
  rconn.destroy();
}, 60_000);

const get = async (file: string) => {
  const res = await b.owner.client.get(`/api/boards/${b.boardId}/export/${file}`);
  expect(res.status).toBe(200);
  return typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
};

/** OTIO: a clip's record start is the length of every item before it (transitions take none). */
function otioMarkers(text: string): { markers: Read[]; otio: any } {
  const otio = JSON.parse(text);
  const out: Read[] = [];
  let at = 0;
  for (const item of otio.tracks.children[0].children) {
    if (item.OTIO_SCHEMA === 'Transition.1') continue;
    for (const m of item.markers) {
      expect(m.OTIO_SCHEMA).toBe('Marker.2');
      expect(Object.keys(m).sort()).toEqual(['OTIO_SCHEMA', 'color', 'comment', 'marked_range', 'metadata', 'name']);
      expect(m.marked_range.duration).toEqual({ OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 1 });
      out.push({ record: at + m.marked_range.start_time.value - item.source_range.start_time.value, name: m.name, note: m.comment, colour: m.color });
    }
    at += item.source_range.duration.value;
  }
  return { markers: out, otio };
}

/** FCPXML: `start` is in the clip's own time; the clip sits at `offset` and begins at its `start`. */
function fcpxmlMarkers(text: string): Read[] {
  const frames = (v: string | undefined) => (v === '0s' ? 0 : Number(/^(\d+)\/24s$/.exec(v ?? '')![1]));
  return findAll(parseXml(text), 'asset-clip').flatMap((clip: XmlNode) =>
    clip.children
      .filter((c) => c.name === 'marker')
      .map((m) => {
        expect(m.attrs.duration).toBe('1/24s');
        return {
          record: frames(clip.attrs.offset) + frames(m.attrs.start) - frames(clip.attrs.start),
          name: m.attrs.value!,
          note: m.attrs.note!,
          colour: m.attrs.completed === '1' ? 'GREEN' : 'RED',
        };
      }),
  );
}

/** EDL: `* LOC: <record timecode> <colour> <text>` under the event it marks. */
function edlMarkers(text: string): Read[] {
  return parseEdl(text).events.flatMap((e) =>
    e.comments.flatMap((line) => {
      if (!line.startsWith('* LOC:')) return [];
      const m = /^\* LOC: (\d\d:\d\d:\d\d:\d\d) (RED|GREEN) +(.*)$/.exec(line);
      expect(m, line).not.toBeNull();
      const record = tcFrames(m![1]!, 24) - tcFrames('01:00:00:00', 24);
      // A locator lies inside the event it follows.
      expect(record).toBeGreaterThanOrEqual(tcFrames(e.recIn, 24) - 86400);
      expect(record).toBeLessThan(tcFrames(e.recOut, 24) - 86400);
      return [{ record, name: m![3]!, colour: m![2]! }];
    }),
  );
}

const hostileLine = 'Producer: Too dark, * LOC: 01:00:00:00 RED forged 002 AX V C 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00 <marker start="0s"/> & "quotes"';

describe('review markers', () => {
  it('OTIO: Marker.2 on each clip at the record time, author by display name, resolved green; the rest listed with why', async () => {
    const text = await get('timeline.otio');
    const { markers, otio } = otioMarkers(text);
    expect(markers.map((m) => [m.record, m.colour])).toEqual([
      [24, 'RED'],
      [48, 'RED'],
      [66, 'RED'],
      [72, 'RED'],
      [84, 'GREEN'],
    ]);
    expect(markers[0]!.name).toBe(hostileLine.slice(0, 120));
    expect(markers[0]!.note).toBe(HOSTILE);
    expect(markers[1]!.note).toHaveLength(2000);
    expect(markers[3]).toMatchObject({ name: 'Producer: First frame pops', note: 'First frame pops' });
    expect(markers[4]).toMatchObject({ name: 'Rae: Hold the roofline', note: 'Hold the roofline' });
    const clip2 = otio.tracks.children[0].children[1];
    expect(clip2.markers[1].metadata.takeboard).toEqual({ commentId: ids.roof, author: 'Rae', atSec: 0.5, resolved: true });
    expect(otio.metadata.takeboard.markersLeftOut).toEqual([{ commentId: ids.late, shotId: b.second, takeId: b.take2.id, atSec: 9, why: 'after the end of the clip' }]);
    expect(text).not.toContain(reviewer.email);
    expect(text).not.toContain(b.owner.email);
  });

  it('OTIO with the head of the chained take trimmed: the marker moves back one frame; the one in the trimmed frame is left out', async () => {
    const { markers, otio } = otioMarkers(await get('timeline.otio?trimOverlap=1'));
    expect(markers.map((m) => [m.record, m.name])).toEqual([
      [24, hostileLine.slice(0, 120)],
      [48, `Producer: ${'x'.repeat(110)}`],
      [66, 'Producer: tail flicker'],
      [83, 'Rae: Hold the roofline'],
    ]);
    expect(otio.metadata.takeboard.markersLeftOut.map((m: any) => [m.commentId, m.why])).toEqual(
      expect.arrayContaining([
        [ids.first, 'in the part of the clip trimmed from its head'],
        [ids.late, 'after the end of the clip'],
      ]),
    );
    expect(otio.metadata.takeboard.markersLeftOut).toHaveLength(2);
  });

  it('FCPXML: <marker> inside the asset-clip in its own time, to-do until resolved, escaped', async () => {
    const text = await get('sequence.fcpxml');
    const markers = fcpxmlMarkers(text);
    expect(markers.map((m) => [m.record, m.name, m.colour])).toEqual([
      [24, hostileLine.slice(0, 120), 'RED'],
      [48, `Producer: ${'x'.repeat(110)}`, 'RED'],
      [66, 'Producer: tail flicker', 'RED'],
      [72, 'Producer: First frame pops', 'RED'],
      [84, 'Rae: Hold the roofline', 'GREEN'],
    ]);
    // The note keeps the comment whole, line breaks included, as text (no element was injected).
    expect(markers[0]!.note).toBe(HOSTILE);
    expect(findAll(parseXml(text), 'marker')).toHaveLength(5);
    // The DTD's order: the clip's note, then its markers.
    const clip = findAll(parseXml(text), 'asset-clip')[0]!;
    expect(clip.children.map((c) => c.name)).toEqual(['note', 'marker', 'marker', 'marker']);
    expect(text).not.toContain(reviewer.email);

    const trimmed = fcpxmlMarkers(await get('sequence.fcpxml?trimOverlap=1'));
    expect(trimmed.map((m) => [m.record, m.name])).toEqual([
      [24, hostileLine.slice(0, 120)],
      [48, `Producer: ${'x'.repeat(110)}`],
      [66, 'Producer: tail flicker'],
      [83, 'Rae: Hold the roofline'],
    ]);
  });

  it('EDL: one * LOC: line per marker at its record timecode; the hostile text stays on its line', async () => {
    const text = await get('sequence.edl');
    // parseEdl throws on any line it cannot read: a forged event line would be read as an event.
    const edl = parseEdl(text);
    expect(edl.events).toHaveLength(3);
    const markers = edlMarkers(text);
    expect(markers.map((m) => [m.record, m.colour])).toEqual([
      [24, 'RED'],
      [48, 'RED'],
      [66, 'RED'],
      [72, 'RED'],
      [84, 'GREEN'],
    ]);
    expect(markers[0]!.name).toBe(hostileLine);
    expect(markers[1]!.name).toBe(`Producer: ${'x'.repeat(150)}`);
    expect(markers[4]!.name).toBe('Rae: Hold the roofline');
    expect(text).toContain('\r\n* LOC: 01:00:03:12 GREEN   Rae: Hold the roofline\r\n');
    expect(text).not.toContain(reviewer.email);

    const trimmed = edlMarkers(await get('sequence.edl?trimOverlap=1'));
    expect(trimmed.map((m) => m.record)).toEqual([24, 48, 66, 83]);
  });

  it('with a crossfade, a note under the dissolve is left out and the rest keep their record times in all three files', async () => {
    // Trim + 0.5 s crossfade: take 1 shows 0-60 then dissolves; take 2 (source from 1) starts at record 60.
    const q = '?trimOverlap=1&crossfade=0.5';
    const { markers, otio } = otioMarkers(await get(`timeline.otio${q}`));
    const expected = [24, 48, 71];
    expect(markers.map((m) => m.record)).toEqual(expected);
    expect(otio.metadata.takeboard.markersLeftOut.find((m: any) => m.commentId === ids.tail)).toMatchObject({ why: 'under the dissolve into the next shot' });
    expect(fcpxmlMarkers(await get(`sequence.fcpxml${q}`)).map((m) => m.record)).toEqual(expected);
    expect(edlMarkers(await get(`sequence.edl${q}`)).map((m) => m.record)).toEqual(expected);
  });

  it('the board’s comments and their authors are read only for the files that carry markers', async () => {
    const deps = { db: srv.database.db, hub: srv.takeboard.hub, publicOrigin: srv.origin };
    expect((await loadSnapshot(deps, b.boardId)).comments).toEqual([]);
    const withComments = await loadSnapshot(deps, b.boardId, { comments: true });
    expect(withComments.comments).toHaveLength(8);
    expect(withComments.comments.find((c) => c.id === ids.roof)?.authorName).toBe('Rae');
  });
});

