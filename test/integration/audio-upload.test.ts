/**
 * Uploading audio references over HTTP: a voice line is stored under a generated name with its
 * probed length and served back as audio; a file named as audio that is not, and one past the
 * audio size limit, are refused with a message naming what is wrong.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { ffmpeg } from '../assets/media-fixtures.js';

let srv: TestServer;
let dir: string;
let owner: Awaited<ReturnType<typeof signedUpClient>>;
let boardId: string;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-audio-up-'));
  await Promise.all([
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3', '-c:a', 'libmp3lame', '-b:a', '64k', f('voice.mp3')),
    // 20 s of 48 kHz stereo 16-bit PCM: ~3.8 MB, past the 1 MB audio limit set below.
    ffmpeg('-f', 'lavfi', '-i', 'anoisesrc=sample_rate=48000:duration=20', '-ac', '2', '-c:a', 'pcm_s16le', f('ambience.wav')),
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1', f('still.png')),
    // What a browser's recorder saves: Opus in WebM, a video container with only sound.
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=200:sample_rate=48000:duration=2', '-c:a', 'libopus', '-f', 'webm', f('memo.webm')),
  ]);
  srv = await startTestServer({ app: { assetLimits: { imageMaxBytes: 2 * 1024 * 1024, videoMaxBytes: 8 * 1024 * 1024, audioMaxBytes: 1024 * 1024 } } });
  owner = await signedUpClient(srv.url, { name: 'Owner' });
  boardId = await createBoard(owner.client);
}, 60_000);
afterAll(async () => {
  await srv?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function upload(file: string, name: string) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(await fs.readFile(file))]), name);
  return owner.client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
}

describe('audio uploads', () => {
  it('stores a voice line as audio with its length, under a generated name, and serves it back as audio', async () => {
    const res = await upload(f('voice.mp3'), '../../etc/line one.mp3');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'audio', mime: 'audio/mpeg', width: 0, height: 0 });
    expect(res.body.durationSec).toBeCloseTo(3, 0);
    expect(res.body.name).not.toContain('/');
    const served = await fetch(`${srv.url}/api/assets/${res.body.id}`, { headers: { cookie: owner.client.cookieHeader } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(await fs.readFile(f('voice.mp3')))).toBe(true);
    const poster = await owner.client.get(`/api/assets/${res.body.id}/poster`);
    expect(poster.status).toBe(404);
    expect(poster.body.error.message).toMatch(/audio file has no poster/);
  });

  it('stores a voice memo recorded as WebM (sound, no picture) as audio', async () => {
    const res = await upload(f('memo.webm'), 'memo.webm');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'audio', mime: 'audio/webm', name: 'memo.webm' });
  });

  it('refuses a PNG renamed .wav, naming what it holds and the audio formats', async () => {
    const res = await upload(f('still.png'), 'line.wav');
    expect(res.status).toBe(415);
    expect(res.body.error.message).toBe('"line.wav" is named as audio but holds an image (image/png); an audio file must be WAV, MP3, AAC/M4A, OGG/Opus or FLAC');
  });

  it('refuses audio past the audio size limit, naming the limit, and keeps nothing', async () => {
    const res = await upload(f('ambience.wav'), 'ambience.wav');
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/larger than 1 MB/);
    const names = (await owner.client.get(`/api/boards/${boardId}/assets`)).body.map((a: { name: string }) => a.name);
    expect(names).not.toContain('ambience.wav');
  });
});
