import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReferenceVersion, addShot, assignReference, createReference, getShot, listTakes, selectTake } from '../../shared/doc/index.js';
import type { VideoJobRequest } from '../../shared/generation/index.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import type { TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { boardWithTwoMembers, jobReaches } from './helpers.js';

let srv: TestServer;
let fx: MediaFixtures;
const conns: BoardConnection[] = [];
beforeAll(async () => {
  fx = await makeMediaFixtures();
  srv = await startTestServer();
}, 60_000);
afterAll(async () => {
  for (const c of conns) c.destroy();
  await srv.close();
  await fx.cleanup();
});

async function upload(client: TestClient, boardId: string, file: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(await fs.readFile(file))]), file.split('/').pop());
  const res = await client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** The request's inputs, read back independently of the code that builds them. */
function carried(req: VideoJobRequest) {
  return {
    images: (req.referenceImages ?? []).map((r) => r.media.assetId),
    clips: (req.referenceVideos ?? []).map((r) => r.assetId),
    first: req.firstFrame?.assetId,
    last: req.lastFrame?.assetId,
  };
}

describe('a take records exactly what its request carried', () => {
  it('references sent with versions and roles; a clip reference, frames in reference mode and references in text mode are left out with reasons', async () => {
    const { owner, boardId, a, b } = await boardWithTwoMembers(srv, conns);
    const [png, jpeg, webm] = await Promise.all([upload(owner.client, boardId, fx.png), upload(owner.client, boardId, fx.jpeg), upload(owner.client, boardId, fx.webm)]);

    const hero = createReference(a.doc, { kind: 'character', name: 'Courier' });
    const heroV = addReferenceVersion(a.doc, hero, { beat: 'act one', assets: [png] });
    const alley = createReference(a.doc, { kind: 'location', name: 'Alley plate' });
    const alleyV = addReferenceVersion(a.doc, alley, { beat: 'night', assets: [jpeg] });
    const clip = createReference(a.doc, { kind: 'clip', name: 'Run cycle' });
    addReferenceVersion(a.doc, clip, { beat: 'v1', assets: [webm] });
    const refShot = addShot(a.doc, { title: 'Run', mode: 'reference', prompt: 'she runs', durationSec: 1, model: 'animatic', startFrame: png });
    const textShot = addShot(a.doc, { title: 'Wide', mode: 'text', prompt: 'the city at night', durationSec: 1, model: 'animatic' });
    for (const shot of [refShot, textShot]) for (const r of [hero, alley, clip]) assignReference(a.doc, shot, r, r === alley ? alleyV : '');
    await waitFor(() => getShot(b.doc, textShot), 'shots on B');
    await srv.takeboard.hub.flush();

    const g = await owner.client.post(`/api/boards/${boardId}/shots/${refShot}/generate`, {});
    expect(g.status).toBe(202);
    const job = (await owner.client.get(`/api/jobs/${g.body.jobId}`)).body;
    const take = await waitFor(() => listTakes(b.doc, refShot).find((t) => t.id === g.body.takeId && t.sent), 'queued take with what it sent, on B');
    const sent = take.sent!;
    expect(sent.references.map((r) => [r.referenceId, r.versionId, r.role, r.pinned])).toEqual([[hero, heroV, 'character', false], [alley, alleyV, 'location', true]]);
    expect(carried(job.request)).toEqual({
      images: sent.references.flatMap((r) => r.assets.filter((x) => x.as === 'image').map((x) => x.assetId)),
      clips: [],
      first: undefined,
      last: undefined,
    });
    expect(carried(job.request).images).toEqual([png, jpeg]);
    expect(sent.frames).toEqual([]);
    expect(sent.left).toEqual([
      { what: 'start frame', why: expect.stringMatching(/^reference mode sends no frames/) },
      { what: "'Run cycle'", why: 'clip references need a model that takes reference video; Animatic (offline) does not' },
    ]);

    const t = await owner.client.post(`/api/boards/${boardId}/shots/${textShot}/generate`, {});
    const textJob = (await owner.client.get(`/api/jobs/${t.body.jobId}`)).body;
    const textTake = await waitFor(() => listTakes(b.doc, textShot).find((x) => x.id === t.body.takeId && x.sent), 'text take on B');
    expect(carried(textJob.request)).toEqual({ images: [], clips: [], first: undefined, last: undefined });
    expect(textTake.sent!.references).toEqual([]);
    expect(textTake.sent!.left.map((l) => l.what)).toEqual(["'Courier'", "'Alley plate'", "'Run cycle'"]);
    expect(new Set(textTake.sent!.left.map((l) => l.why))).toEqual(new Set(['text mode sends no references; use reference or extend mode to send them']));
    await jobReaches(owner.client, g.body.jobId, 'succeeded');
    await jobReaches(owner.client, t.body.jobId, 'succeeded');
  }, 120_000);

  it('a chained take records the tail it was sent, attached as the start frame; takes without a seed asked get different seeds', async () => {
    const { owner, boardId, a } = await boardWithTwoMembers(srv, conns);
    const first = addShot(a.doc, { title: 'Alley', prompt: 'neon rain', durationSec: 1, model: 'animatic' });
    const second = addShot(a.doc, { title: 'Roof', prompt: 'she climbs', durationSec: 1, model: 'animatic', continuesFrom: first });
    await srv.takeboard.hub.flush();
    const takes = await Promise.all([1, 2].map(() => owner.client.post(`/api/boards/${boardId}/shots/${first}/generate`, {})));
    const jobs = await Promise.all(takes.map((r) => jobReaches(owner.client, r.body.jobId, 'succeeded')));
    expect(jobs[0].seed).toEqual(expect.any(Number));
    expect(jobs[0].seed).not.toBe(jobs[1].seed);
    const made = await waitFor(() => {
      const list = listTakes(a.doc, first);
      return list.length === 2 && list.every((x) => x.status === 'succeeded') ? list : null;
    }, 'both takes finished');
    expect(made.map((x) => x.seed).sort()).toEqual(jobs.map((j) => j.seed).sort());
    expect(made.map((x) => x.number).sort()).toEqual([1, 2]);

    selectTake(a.doc, first, takes[0]!.body.takeId);
    await srv.takeboard.hub.flush();
    const g = await owner.client.post(`/api/boards/${boardId}/shots/${second}/generate`, {});
    expect(g.status).toBe(202);
    const job = (await owner.client.get(`/api/jobs/${g.body.jobId}`)).body;
    const take = await waitFor(() => listTakes(a.doc, second).find((x) => x.id === g.body.takeId && x.sent), 'chained take');
    expect(take.sent!.tail).toEqual({ assetId: jobs[0].result.tailAssetId, as: 'start_frame', seconds: 3, frameAssetId: jobs[0].result.tailFrameAssetId });
    expect(carried(job.request)).toEqual({ images: [], clips: [], first: take.sent!.tail!.frameAssetId, last: undefined });
    expect(job.request.mode).toBe('image');
    await jobReaches(owner.client, g.body.jobId, 'succeeded');
  }, 120_000);
});
