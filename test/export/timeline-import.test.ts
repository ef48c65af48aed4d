/**
 * The NLE round trip, per format: export the chained board, edit the file as an edit suite would
 * (import-edits.ts), import it back: the differences, accepting part of them, what every export
 * then says, accepting the rest, and the board's own export reading back as no difference at all.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getShot, moveShot, setFadeIn, setLeftOut, setTakeTrim, shotsInOrder } from '../../shared/doc/index.js';
import type { TimelineImportDiff } from '../../shared/timeline-import.js';
import { waitFor } from '../helpers/wait.js';
import { editEdl, editFcpxml, editOtio, type EditIds } from './import-edits.js';
import { getBytes, planOf, probeVideo, useChainedBoard } from './helpers.js';
import { parseCsv, parseEdl, tcFrames } from './parsers.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { srv, b } = useChainedBoard();

const exported = async (file: string) => {
  const res = await b.owner.client.get(`/api/boards/${b.boardId}/export/${file}`);
  expect(res.status).toBe(200);
  return typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
};
const preview = (file: string) => b.owner.client.post(`/api/boards/${b.boardId}/timeline-import`, { file });
const accept = (file: string, ids: string[] | 'all') => b.owner.client.post(`/api/boards/${b.boardId}/timeline-import/accept`, { file, accept: ids });
const ids = (): EditIds => ({ first: b.first, second: b.second, take1: b.take1.id, take2: b.take2.id });
const onServer = <T>(read: (doc: Parameters<Parameters<typeof srv.takeboard.hub.read>[1]>[0]) => T) => srv.takeboard.hub.read(b.boardId, read);

/** Puts the board back as the suite made it: order, no trims, nothing left out, board transitions. */
afterEach(async () => {
  const doc = b.conn.doc;
  moveShot(doc, b.first, { before: b.second });
  moveShot(doc, b.third, { after: b.second });
  setTakeTrim(doc, b.first, b.take1.id, null);
  setTakeTrim(doc, b.second, b.take2.id, null);
  for (const id of [b.first, b.second, b.third]) {
    setLeftOut(doc, id, false);
    setFadeIn(doc, id, null);
  }
  await waitFor(
    () => onServer((d) => {
      const shots = shotsInOrder(d);
      return shots.map((s) => s.id).join() === [b.first, b.second, b.third].join() && shots.every((s) => !s.trims && !s.leftOut && s.fadeInSec === undefined);
    }),
    'the board reset on the server',
  );
});

const FORMATS = [
  { format: 'otio', file: 'timeline.otio', edit: (t: string) => editOtio(t, ids()) },
  { format: 'fcpxml', file: 'sequence.fcpxml', edit: (t: string) => editFcpxml(t, ids(), (takeId) => (takeId === b.take1.id ? b.take1.clip! : b.take2.clip!)) },
  { format: 'edl', file: 'sequence.edl', edit: (t: string) => editEdl(t, ids()) },
] as const;

describe.each(FORMATS)('$format round trip', ({ format, file, edit }) => {
  it('shows the editor’s changes, accepts part, every export carries them, then the rest; the board’s own export reads back unchanged', async () => {
    const edited = edit(await exported(file));
    const before = await onServer((d) => JSON.stringify(shotsInOrder(d)));

    // 1. The differences, and nothing of the board changed by looking.
    const res = await preview(edited);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const diff = res.body as TimelineImportDiff;
    expect(diff.format).toBe(format);
    expect(diff.matched).toBe(2);
    expect(diff.changes.map((c) => c.id).sort()).toEqual(['order', `remove:${b.third}`, `transition:${b.first}`, `trim:${b.first}`].sort());
    expect(diff.changes.find((c) => c.kind === 'order')).toMatchObject({ from: [b.first, b.second], to: [b.second, b.first] });
    expect(diff.changes.find((c) => c.kind === 'trim')).toMatchObject({ shotId: b.first, takeId: b.take1.id, selected: true, from: { inFrame: 0, outFrame: 72 }, to: { inFrame: 6, outFrame: 60 } });
    expect(diff.changes.find((c) => c.kind === 'transition')).toMatchObject({ shotId: b.first, from: 0, to: 12 });
    // The stock clip is listed, never matched to a shot.
    expect(diff.unknown).toHaveLength(1);
    expect(diff.unknown[0]).toMatchObject({ name: 'B-roll harbour', reason: expect.stringMatching(/its media is not a take of this board|carries no Takeboard ids/) });
    expect(await onServer((d) => JSON.stringify(shotsInOrder(d)))).toBe(before);

    // 2. Accept the order and the trim only.
    const part = await accept(edited, ['order', `trim:${b.first}`]);
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body.applied).toEqual(['order', `trim:${b.first}`]);
    expect(part.body.diff.changes.map((c: { id: string }) => c.id).sort()).toEqual([`remove:${b.third}`, `transition:${b.first}`]);
    const shots = await onServer((d) => shotsInOrder(d));
    expect(shots.map((s) => s.id)).toEqual([b.second, b.first, b.third]);
    expect(shots[1]!.trims).toEqual({ [b.take1.id]: { inSec: 6 / 24, outSec: 60 / 24 } });
    expect(shots.some((s) => s.leftOut || s.fadeInSec !== undefined)).toBe(false);

    // The teammate's player (their own copy of the document) plays the new plan.
    await waitFor(() => planOf(b.conn.doc).cuts[1]?.shotId === b.first, 'the teammate’s plan to have the new order');
    const plan = planOf(b.conn.doc);
    expect(plan.cuts.map((c) => [c.shotId, c.inFrame, c.frames])).toEqual([[b.second, 0, 72], [b.first, 6, 54], [b.third, 0, 96]]);

    // 3. Every export carries the trims and the order.
    const otio = JSON.parse(await exported('timeline.otio'));
    const clips = otio.tracks.children[0].children;
    expect(clips.map((c: any) => c.metadata.takeboard.shotId)).toEqual([b.second, b.first, b.third]);
    expect(clips[1].source_range.start_time.value).toBe(6);
    expect(clips[1].source_range.duration.value).toBe(54);
    const edl = parseEdl(await exported('sequence.edl'));
    expect(edl.events[1]).toMatchObject({ srcIn: '00:00:00:06', srcOut: '00:00:02:12' });
    const fcpxml = await exported('sequence.fcpxml');
    expect(fcpxml).toMatch(new RegExp(`<asset-clip ref="a2" name="[^"]*" offset="72/24s" start="6/24s" duration="54/24s"`));
    const [header, ...rows] = parseCsv(await exported('shots.csv'));
    const row = rows.find((r) => r[header!.indexOf('shot_id')] === b.first)!;
    expect(header!.slice(-3)).toEqual(['in_sequence', 'selected_take_in_sec', 'selected_take_out_sec']);
    expect(row.slice(-3)).toEqual(['yes', String(6 / 24), String(60 / 24)]);

    // 4. The rest, then the file and the board agree: nothing left to accept.
    const rest = await accept(edited, 'all');
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(rest.body.applied.sort()).toEqual([`remove:${b.third}`, `transition:${b.first}`]);
    expect(rest.body.diff.changes).toEqual([]);
    expect(await onServer((d) => getShot(d, b.third)?.leftOut)).toBe(true);
    const again = await preview(await exported(file));
    expect(again.status).toBe(200);
    expect(again.body.changes).toEqual([]);
    expect(again.body.unknown).toEqual([]);
  }, 120_000);
});

describe('after acceptance', () => {
  it('renders the sequence with the trims, the dissolve and without the left-out shot', async () => {
    const edited = editOtio(await exported('timeline.otio'), ids());
    expect((await accept(edited, 'all')).status).toBe(200);
    const res = await getBytes(b.owner.client, `/api/boards/${b.boardId}/export/sequence.mp4`);
    expect(res.status, res.bytes.toString('utf8').slice(0, 300)).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-import-'));
    try {
      const out = path.join(dir, 'seq.mp4');
      fs.writeFileSync(out, res.bytes);
      // Second shot whole (72), the first trimmed to 54 frames, 12 of them under the dissolve.
      expect((await probeVideo(out)).frames).toBe(72 + 54 - 12);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const edl = parseEdl(await exported('sequence.edl'));
    expect(edl.events.map((e) => tcFrames(e.recIn, 24) - 86400)).toEqual([0, 60, 60]);
  }, 180_000);

  it('refuses an acceptance of a change the board no longer has, and writes nothing', async () => {
    const edited = editEdl(await exported('sequence.edl'), ids());
    expect((await accept(edited, [`trim:${b.first}`])).status).toBe(200);
    const before = await onServer((d) => JSON.stringify(shotsInOrder(d)));
    const res = await accept(edited, ['order', `trim:${b.first}`]);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^The change "trim:shot_\w+" is not in the file's differences with the board as it is now/);
    expect(await onServer((d) => JSON.stringify(shotsInOrder(d)))).toBe(before);
  });

  it('reads the board once a request, and writes against the board as it is then: a teammate’s trim made after that read is seen (409, nothing written)', async () => {
    const edited = editOtio(await exported('timeline.otio'), ids());
    const hub = srv.takeboard.hub;
    const read = hub.read.bind(hub);
    let reads = 0;
    let teammate = false;
    const spy = vi.spyOn(hub, 'read').mockImplementation(async (boardId, fn) => {
      if (boardId !== b.boardId) return read(boardId, fn);
      reads++;
      const out = await read(boardId, fn);
      // Between the request's read and its document change, a teammate trims the first shot as the file does.
      if (teammate) await hub.change(boardId, (doc) => setTakeTrim(doc, b.first, b.take1.id, { inSec: 6 / 24, outSec: 60 / 24 }));
      return out;
    });
    try {
      expect((await preview(edited)).status).toBe(200);
      expect(reads).toBe(1);
      reads = 0;
      teammate = true;
      const res = await accept(edited, ['order', `trim:${b.first}`]);
      expect(reads).toBe(1);
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.error.message).toMatch(/^The change "trim:shot_\w+" is not in the file's differences with the board as it is now/);
    } finally {
      spy.mockRestore();
    }
    const shots = await onServer((d) => shotsInOrder(d));
    expect(shots.map((s) => s.id)).toEqual([b.first, b.second, b.third]);
    expect(shots[0]!.trims).toEqual({ [b.take1.id]: { inSec: 6 / 24, outSec: 60 / 24 } });
    // The teammate's copy has the trim too (the reset after each test undoes it from there).
    await waitFor(() => getShot(b.conn.doc, b.first)?.trims?.[b.take1.id] !== undefined, 'the teammate’s copy to have the trim');
  });
});

