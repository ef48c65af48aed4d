/**
 * Audio references through the whole loop: a character's voice line is sent as reference audio
 * (the animatic takes one), a second sound is left out naming the limit, and the animatic's take
 * carries the voice line as its soundtrack.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMedia } from '../../server/assets/media.js';
import { addReferenceVersion, addShot, assignReference, createReference, listTakes } from '../../shared/doc/index.js';
import { ffmpeg } from '../assets/media-fixtures.js';
import type { TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { boardWithTwoMembers, jobReaches } from './helpers.js';

let srv: TestServer;
let dir: string;
const conns: BoardConnection[] = [];
const f = (name: string) => path.join(dir, name);
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-audio-take-'));
  await Promise.all([
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x180', '-frames:v', '1', f('face.png')),
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=44100:duration=1', '-c:a', 'pcm_s16le', f('line.wav')),
    ffmpeg('-f', 'lavfi', '-i', 'anoisesrc=sample_rate=44100:duration=3', '-c:a', 'flac', f('rain.flac')),
  ]);
  srv = await startTestServer();
}, 60_000);
afterAll(async () => {
  for (const c of conns) c.destroy();
  await srv?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function upload(client: TestClient, boardId: string, file: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(await fs.readFile(file))]), path.basename(file));
  const res = await client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('audio references in a take', () => {
  it('the voice line is sent and becomes the animatic\'s soundtrack; a second sound is left out naming the limit', async () => {
    const { owner, boardId, a } = await boardWithTwoMembers(srv, conns);
    const [face, line, rain] = await Promise.all([f('face.png'), f('line.wav'), f('rain.flac')].map((p) => upload(owner.client, boardId, p)));
    const mara = createReference(a.doc, { kind: 'character', name: 'Mara' });
    addReferenceVersion(a.doc, mara, { beat: 'act one', assets: [face!, line!] });
    const ambience = createReference(a.doc, { kind: 'style', name: 'Rain' });
    addReferenceVersion(a.doc, ambience, { beat: 'night', assets: [rain!] });
    const shot = addShot(a.doc, { title: 'Answer', mode: 'reference', prompt: 'she answers', durationSec: 1, model: 'animatic' });
    assignReference(a.doc, shot, mara, '');
    assignReference(a.doc, shot, ambience, '');
    await srv.takeboard.hub.flush();

    const g = await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {});
    expect(g.status).toBe(202);
    const job = (await owner.client.get(`/api/jobs/${g.body.jobId}`)).body;
    expect(job.request.referenceAudios).toEqual([{ assetId: line }]);
    expect(job.request.referenceImages).toEqual([{ media: { assetId: face }, role: 'character' }]);
    await jobReaches(owner.client, g.body.jobId, 'succeeded');
    const take = await waitFor(() => listTakes(a.doc, shot).find((t) => t.id === g.body.takeId && t.status === 'succeeded' && t.clip), 'the finished take');
    expect(take.sent!.references.map((r) => r.assets)).toEqual([[{ assetId: face, as: 'image', slot: 1 }, { assetId: line, as: 'audio', slot: 1 }]]);
    expect(take.sent!.left).toEqual([{ what: "'Rain' audio", why: 'Animatic (offline) takes at most 1 reference audio file' }]);

    const res = await fetch(`${srv.url}/api/assets/${take.clip}`, { headers: { cookie: owner.client.cookieHeader } });
    expect(res.status).toBe(200);
    await fs.writeFile(f('take.mp4'), Buffer.from(await res.arrayBuffer()));
    const info = await createMedia().probe(f('take.mp4'));
    expect(info).toMatchObject({ kind: 'video', hasAudio: true });
  }, 120_000);
});
