import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { generateAndSelect, getBytes, probeVideo, useChainedBoard } from './helpers.js';

const { srv, b } = useChainedBoard();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-export-test-'));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const url = (query = '') => `/api/boards/${b.boardId}/export/sequence.mp4${query}`;

async function fetchSequence(query = '', headers: Record<string, string> = {}) {
  const res = await getBytes(b.owner.client, url(query), headers);
  expect(res.status, res.bytes.toString('utf8').slice(0, 300)).toBe(200);
  const file = path.join(tmp, `seq-${Math.random().toString(36).slice(2)}.mp4`);
  fs.writeFileSync(file, res.bytes);
  return { ...res, file, video: await probeVideo(file) };
}

async function sidecar(query = '') {
  const res = await b.owner.client.get(`/api/boards/${b.boardId}/export/sequence.json${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('sequence.mp4', () => {
  it('joins the selected takes in shot order at their size and rate, with a slate for the shot without a take', async () => {
    const { headers, video } = await fetchSequence();
    expect(headers.get('content-type')).toBe('video/mp4');
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="Neon Run Cafe one-take - sequence\.mp4"; filename\*=UTF-8''Neon%20Run%20%E2%80%94%20Caf%C3%A9%2C%20one-take%20-%20sequence\.mp4$/);
    expect(headers.get('x-takeboard-skipped-shots')).toBe(b.third);
    expect(video).toMatchObject({ codec: 'h264', width: 640, height: 360, fps: 24, hasAudio: false });
    // Two 3 s takes and the third shot's planned 4 s as a slate.
    const sum = b.take1.durationSec + b.take2.durationSec + 4;
    expect(Math.abs(video.durationSec - sum)).toBeLessThanOrEqual(2 / 24);
    expect(video.frames).toBe(240);

    const json = await sidecar();
    expect(json).toMatchObject({ boardId: b.boardId, fps: 24, width: 640, height: 360, frames: 240, durationSec: 10 });
    expect(json.cuts.map((c: any) => [c.kind, c.shotId, c.takeId, c.startSec, c.endSec])).toEqual([
      ['take', b.first, b.take1.id, 0, 3],
      ['take', b.second, b.take2.id, 3, 6],
      ['slate', b.third, null, 6, 10],
    ]);
    expect(json.cuts[1].chain).toMatchObject({ fromShotId: b.first, fromTakeId: b.take1.id, attachedAs: 'start_frame', trimmedSec: 0 });
    expect(json.cuts[2].slate).toEqual({ label: 'Shot 3: Epilogue, not shot yet', reason: 'no selected take' });
    expect(json.slates).toEqual([{ shotId: b.third, title: 'Epilogue, not shot yet', reason: 'no selected take' }]);
  }, 60_000);

  it('answers the stored build again (cached by content) and honours ranges', async () => {
    const one = await getBytes(b.owner.client, url());
    const two = await getBytes(b.owner.client, url());
    expect(two.headers.get('etag')).toBe(one.headers.get('etag'));
    expect(two.headers.get('x-takeboard-sequence-key')).toBe(one.headers.get('x-takeboard-sequence-key'));
    expect(two.bytes.equals(one.bytes)).toBe(true);
    const notModified = await getBytes(b.owner.client, url(), { 'if-none-match': one.headers.get('etag')! });
    expect(notModified.status).toBe(304);
    const part = await getBytes(b.owner.client, url(), { range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(one.bytes.subarray(0, 100))).toBe(true);
  }, 60_000);

  it('trims the frame a start-frame chain repeats from its source', async () => {
    const { video } = await fetchSequence('?trimOverlap=1');
    expect(video.frames).toBe(239);
    expect(Math.abs(video.durationSec - (10 - 1 / 24))).toBeLessThanOrEqual(2 / 24);
    const json = await sidecar('?trimOverlap=1');
    expect(json.cuts[1].startSec).toBe(3);
    expect(json.cuts[1].sourceInSec).toBeCloseTo(1 / 24, 5);
    expect(json.cuts[1].chain.trimmedSec).toBeCloseTo(1 / 24, 5);
    expect(json.frames).toBe(239);
  }, 60_000);

  it('crossfades chain cuts (blend, which 4.1 has too), shortening the sequence by the fade', async () => {
    const { video } = await fetchSequence('?trimOverlap=1&crossfade=0.5');
    expect(video.frames).toBe(239 - 12);
    expect(video).toMatchObject({ width: 640, height: 360, fps: 24 });
    const json = await sidecar('?trimOverlap=1&crossfade=0.5');
    expect(json.cuts[1].startSec).toBe(2.5);
    expect(json.cuts[1].endSec).toBeCloseTo(131 / 24, 5);
    expect(json.cuts[1].chain.crossfadeSec).toBe(0.5);
    expect(json.cuts[1].transition).toEqual({ kind: 'crossfade', frames: 12, sec: 0.5 });
  }, 60_000);

  it('builds in the background when asked to, with progress as SSE export events, then answers the file', async () => {
    const ctl = new AbortController();
    const events = await fetch(`${srv.url}/api/boards/${b.boardId}/export/events`, { headers: { cookie: b.owner.client.cookieHeader }, signal: ctl.signal });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = events.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
        if (/"status":"(succeeded|failed)"/.test(text)) return;
      }
    })();
    await waitFor(() => text.includes('event: ready'), 'event stream ready');

    const started = await b.owner.client.request('GET', url('?crossfade=0.25'), undefined, { headers: { prefer: 'respond-async' } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'sequence.mp4', status: 'running', id: expect.any(String), url: url('?crossfade=0.25') });
    expect(started.headers.get('location')).toBe(url('?crossfade=0.25'));
    expect(started.headers.get('x-takeboard-skipped-shots')).toBe(b.third);
    await reading;
    ctl.abort();
    const sent = [...text.matchAll(/event: export\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!));
    expect(sent[0]).toMatchObject({ id: started.body.id, status: 'running' });
    expect(sent[sent.length - 1]).toMatchObject({ id: started.body.id, status: 'succeeded', progress: 1 });

    const { video, headers } = await fetchSequence('?crossfade=0.25');
    expect(headers.get('x-takeboard-sequence-key')).toBe(started.body.id);
    expect(video.frames).toBe(240 - 6);
  }, 90_000);

  it('rejects bad options and a board with nothing to assemble', async () => {
    expect((await b.owner.client.get(url('?crossfade=9'))).status).toBe(400);
    expect((await b.owner.client.get(url('?trimOverlap=maybe'))).body.error.field).toBe('trimOverlap');
  });

  it('a newly selected take changes the sequence; the stale chain is no longer trimmed', async () => {
    const before = await fetchSequence('?trimOverlap=1');
    const newer = await generateAndSelect(srv, b.owner.client, b.conn, b.boardId, b.first, 99);
    const after = await fetchSequence('?trimOverlap=1');
    expect(after.headers.get('x-takeboard-sequence-key')).not.toBe(before.headers.get('x-takeboard-sequence-key'));
    const json = await sidecar('?trimOverlap=1');
    expect(json.cuts[0].takeId).toBe(newer.id);
    // The second take was made from the old take's tail: nothing of the new take repeats in it.
    expect(json.cuts[1].chain).toBeNull();
    expect(after.video.frames).toBe(240);
  }, 120_000);
});
