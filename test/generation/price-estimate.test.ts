/**
 * Estimates over the API, against the local fake of BytePlus ModelArk (Seedance 2.0, priced by
 * tokens): the shot's estimate comes in parts before anything is queued, a model with no price
 * known is queued only once the person confirms it, the charge follows the tokens the provider
 * reported, and the cost report shows estimate against charge per provider. A chained shot's
 * estimate carries the tail it will send as input video.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot, listTakes, selectTake } from '../../shared/doc/index.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, type TestClient } from '../helpers/http.js';
import { waitFor } from '../helpers/wait.js';
import { startArkFake } from '../providers/fakes/ark.js';
import { allowFakes, setServedVideo, type FakeHandle } from '../providers/fakes/core.js';
import { makeMediaFixtures } from '../assets/media-fixtures.js';
import { jobReaches } from './helpers.js';

const SEEDANCE = 'ark:dreamina-seedance-2-0-260128';
const MINI = 'ark:dreamina-seedance-2-0-mini-260128'; // no rate published: "no price known"

let srv: TestServer;
let fake: FakeHandle;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  fake = await startArkFake();
  const fx = await makeMediaFixtures();
  setServedVideo(new Uint8Array(await fs.readFile(fx.clip)));
  const providers = createProviders({ ARK_API_KEY: fake.key, ARK_BASE_URL: fake.baseUrl }, allowFakes(fake));
  srv = await startTestServer({ app: { providers, generation: { pollMs: 20, retryBaseMs: 20 } } });
  cleanup = async () => {
    setServedVideo(null);
    await fx.cleanup();
    await fake.close();
  };
}, 60_000);
afterAll(async () => {
  await srv?.close();
  await cleanup?.();
});

async function board(): Promise<{ owner: TestClient; boardId: string; shots: Record<string, string> }> {
  const { client: owner } = await signedUpClient(srv.url, { name: 'Producer' });
  const boardId = await createBoard(owner);
  const shots: Record<string, string> = {};
  await srv.takeboard.hub.change(boardId, (doc) => {
    shots.harbour = addShot(doc, { title: 'Harbour', prompt: 'a harbour at dawn', durationSec: 4, model: SEEDANCE });
    shots.mini = addShot(doc, { title: 'Gull', prompt: 'a gull lands', durationSec: 4, model: MINI });
  });
  return { owner, boardId, shots };
}

describe('estimates before queueing', () => {
  it('answers the shot estimate in parts, by the provider formula, with its rate, date and unverified mark', async () => {
    const { owner, boardId, shots } = await board();
    const r = await owner.get(`/api/boards/${boardId}/shots/${shots.harbour}/estimate`);
    expect(r.status).toBe(200);
    // 4 s at 720p 16:9: 1280 x 720 x 97 frames / 1024 = 87,300 tokens at $6.571429 per million.
    expect(r.body.estimate).toMatchObject({
      known: true, formula: 'tokens', totalMicroUsd: 573_686, unverified: true, asOf: '2026-06',
      rate: '$6.571429 per million tokens',
      parts: [{ kind: 'output', tokens: 87_300, microUsd: 573_686, label: '4 s of output at 1280x720, 24 fps' }],
    });
    const bad = await owner.get(`/api/boards/${boardId}/shots/${shots.harbour}/estimate?model=${'x'.repeat(201)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_field', field: 'model' });
  });

  it('asks for confirmation before queueing a model with no price known, then queues it at no counted cost', async () => {
    const { owner, boardId, shots } = await board();
    const est = (await owner.get(`/api/boards/${boardId}/shots/${shots.mini}/estimate`)).body.estimate;
    expect(est).toMatchObject({ known: false, reason: expect.stringMatching(/has no rate for this model/) });

    const refused = await owner.post(`/api/boards/${boardId}/shots/${shots.mini}/generate`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'conflict', field: 'confirmUnpriced', message: expect.stringMatching(/^No price is known for Seedance 2\.0 Mini .*Confirm to queue it anyway/) });
    expect(refused.body.details).toMatchObject({ reason: 'price_unknown', estimate: { known: false } });
    expect((await owner.get(`/api/boards/${boardId}/jobs`)).body).toEqual([]);

    const typo = await owner.post(`/api/boards/${boardId}/shots/${shots.mini}/generate`, { confirmUnpriced: 'yes' });
    expect(typo.status).toBe(400);
    expect(typo.body.error.field).toBe('confirmUnpriced');

    const ok = await owner.post(`/api/boards/${boardId}/shots/${shots.mini}/generate`, { confirmUnpriced: true });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ estimateMicroUsd: 0, estimate: { known: false } });
    const job = await jobReaches(owner, ok.body.jobId, 'succeeded');
    expect(job.costMicroUsd).toBe(0);
    const costs = (await owner.get(`/api/boards/${boardId}/costs`)).body;
    expect(costs.providers).toEqual([{ provider: 'ark', unpricedJobs: 1, jobs: 1, openJobs: 0, estimateMicroUsd: 0, spentMicroUsd: 0, committedMicroUsd: 0 }]);
  }, 60_000);

  it('charges the tokens the provider reported and shows the drift per provider; a chained shot is priced with its tail', async () => {
    const { owner, boardId, shots } = await board();
    const g = await owner.post(`/api/boards/${boardId}/shots/${shots.harbour}/generate`, {});
    expect(g.status).toBe(202);
    expect(g.body).toMatchObject({ estimateMicroUsd: 573_686, estimate: { known: true, totalMicroUsd: 573_686 } });
    // The fake delivers a 5 s clip and reports 108,900 tokens for it: the charge is what it reported.
    const job = await jobReaches(owner, g.body.jobId, 'succeeded');
    expect(job).toMatchObject({ estimateMicroUsd: 573_686, costMicroUsd: 715_629 });
    const costs = (await owner.get(`/api/boards/${boardId}/costs`)).body;
    expect(costs.providers).toEqual([{ provider: 'ark', unpricedJobs: 0, jobs: 1, openJobs: 0, estimateMicroUsd: 573_686, spentMicroUsd: 715_629, committedMicroUsd: 0 }]);

    // A shot continuing this take sends its tail as reference video: input seconds billed at the video-input rate.
    let next = '';
    await srv.takeboard.hub.change(boardId, (doc) => {
      const take = listTakes(doc, shots.harbour!).find((t) => t.status === 'succeeded')!;
      selectTake(doc, shots.harbour!, take.id);
      next = addShot(doc, { title: 'Pier', prompt: 'along the pier', durationSec: 5, model: SEEDANCE, continuesFrom: shots.harbour });
    });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, next)), 'shot stored');
    const chained = (await owner.get(`/api/boards/${boardId}/shots/${next}/estimate`)).body.estimate;
    expect(chained).toMatchObject({ known: true, rate: '$4.00 per million tokens (video input rate)' });
    // 5 s out (108,900 tokens) + the 3 s tail (64,800) + the minimum (43,200) = 216,900 tokens at $4/M.
    expect(chained.parts.map((p: { kind: string; tokens: number }) => [p.kind, p.tokens])).toEqual([['output', 108_900], ['input_video', 64_800], ['minimum', 43_200]]);
    expect(chained.parts[1].label).toBe('chained tail 3 s (input video is billed too)');
    expect(chained.totalMicroUsd).toBe(867_600);
    expect(chained.parts.reduce((s: number, p: { microUsd: number }) => s + p.microUsd, 0)).toBe(chained.totalMicroUsd);
  }, 90_000);
});
