/**
 * The exported MP4 is the plan: a board with a chain (crossfaded), a slate and a plain shot,
 * built with the board's own trim/crossfade settings, measured with ffprobe (length) and ffmpeg
 * scene detection (where the picture changes), against `planSequence` as a client computes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getMeta, setMeta, setShotFields } from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { chainedBoard, generateAndSelect, getBytes, planOf, probeVideo, sceneCuts, storedShot, type ChainedBoard } from './helpers.js';

let srv: TestServer;
let b: ChainedBoard;
let fourth: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-plan-match-'));
beforeAll(async () => {
  srv = await startTestServer();
  b = await chainedBoard(srv);
  // A shot after the slate that continues nothing: a hard cut from the card to a new picture.
  fourth = addShot(b.conn.doc, { title: 'Harbour', prompt: 'wide harbour at dawn, gulls', durationSec: 2, model: 'animatic' });
  await storedShot(srv, b.boardId, fourth);
  await generateAndSelect(srv, b.owner.client, b.conn, b.boardId, fourth, 31);
}, 300_000);
afterAll(async () => {
  b?.conn.destroy();
  await srv.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function setSettings(trimOverlap: boolean, crossfadeSec: number) {
  setMeta(b.conn.doc, { trimOverlap, crossfadeSec });
  await waitFor(() => srv.takeboard.hub.read(b.boardId, (d) => getMeta(d).crossfadeSec === crossfadeSec && getMeta(d).trimOverlap === trimOverlap), 'settings stored');
}

async function build() {
  const res = await getBytes(b.owner.client, `/api/boards/${b.boardId}/export/sequence.mp4`);
  expect(res.status, res.bytes.toString('utf8').slice(0, 300)).toBe(200);
  const file = path.join(tmp, `seq-${res.headers.get('x-takeboard-sequence-key')}.mp4`);
  fs.writeFileSync(file, res.bytes);
  return { file, key: res.headers.get('x-takeboard-sequence-key')!, video: await probeVideo(file) };
}

describe('the exported MP4 matches the plan', () => {
  it('has the plan’s length and cut points within a frame, with the board’s crossfade and a slate', async () => {
    await setSettings(true, 0.5);
    const plan = planOf(b.conn.doc);
    expect(plan.cuts.map((c) => [c.kind, c.transition.kind])).toEqual([['take', 'cut'], ['take', 'crossfade'], ['slate', 'cut'], ['take', 'cut']]);
    const frame = 1 / plan.rate.value;
    const { file, video } = await build();
    expect(video.frames).toBe(plan.frames);
    expect(Math.abs(video.durationSec - plan.frames * frame)).toBeLessThanOrEqual(frame);

    // Hard cuts between different pictures: into the slate card and out of it. The chain join is
    // a dissolve between continuous pictures, which scene detection must not see as a cut.
    const hard = [plan.cuts[2]!, plan.cuts[3]!].map((c) => c.recordIn * frame);
    const seen = await sceneCuts(file);
    for (const t of hard) expect(seen.some((s) => Math.abs(s - t) <= frame + 1e-3), `a cut at ${t}s in ${seen.join(', ')}`).toBe(true);
    for (const s of seen) expect(hard.some((t) => Math.abs(s - t) <= frame + 1e-3), `an unplanned cut at ${s}s`).toBe(true);
  }, 120_000);

  it('builds anew when the board’s settings or a slate’s text change (the cache key covers the plan)', async () => {
    await setSettings(true, 0.5);
    const faded = await build();
    await setSettings(true, 0);
    const cut = await build();
    expect(cut.key).not.toBe(faded.key);
    expect(cut.video.frames).toBe(faded.video.frames + 12);
    expect(cut.video.frames).toBe(planOf(b.conn.doc).frames);
    setShotFields(b.conn.doc, b.third, { title: 'Epilogue, renamed' });
    await waitFor(() => srv.takeboard.hub.read(b.boardId, (d) => planOf(d).cuts[2]!.title === 'Epilogue, renamed'), 'title stored');
    const renamed = await b.owner.client.get(`/api/boards/${b.boardId}/export/sequence.json`);
    expect(renamed.body.key).not.toBe(cut.key);
    expect(renamed.body.cuts[2].slate.label).toBe('Shot 3: Epilogue, renamed');
  }, 120_000);
});
