import fs from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addShot, getShot } from '../../shared/doc/index.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { startReplicateFake, type ReplicateFake } from '../providers/fakes/replicate.js';
import { allowFakes, setServedVideo } from '../providers/fakes/core.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { jobReaches } from './helpers.js';

let fake: ReplicateFake;
let fx: MediaFixtures;
let srv: TestServer;
beforeAll(async () => {
  fake = await startReplicateFake();
  fx = await makeMediaFixtures();
  setServedVideo(new Uint8Array(await fs.readFile(fx.clip)));
  const providers = createProviders(
    { REPLICATE_API_TOKEN: fake.key, REPLICATE_BASE_URL: fake.baseUrl, REPLICATE_WEBHOOK_SECRET: fake.webhookSecret },
    { prices: { 'replicate:bytedance/seedance-2.0': { microUsdPerSecond: 100_000, asOf: 'test' } }, ...allowFakes(fake) },
  );
  // Polling is an hour apart: only a callback can move the job along in this test.
  srv = await startTestServer({ app: { providers, generation: { pollMs: 3_600_000 } } });
}, 60_000);
afterAll(async () => {
  await srv.close();
  await fake.close();
  setServedVideo(null);
  await fx.cleanup();
});

it('a signed provider callback makes the worker poll at once; a forged one changes nothing', async () => {
  fake.script({ pollsBeforeDone: 1 });
  const owner = await signedUpClient(srv.url);
  const boardId = await createBoard(owner.client);
  const conn = connectBoard(srv.url, boardId, owner.client);
  await conn.synced();
  const shot = addShot(conn.doc, { title: 'Hooked', prompt: 'x', durationSec: 4, model: 'replicate:bytedance/seedance-2.0' });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'stored');
  const g = (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body;
  const running = await waitFor(async () => {
    const j = (await owner.client.get(`/api/jobs/${g.jobId}`)).body;
    return j.providerJobId ? j : null;
  }, 'submitted');
  const requestId = running.providerJobId as string;

  const hook = (req: Request) =>
    fetch(`${srv.url}/api/webhooks/replicate/${g.jobId}`, { method: 'POST', headers: req.headers, body: req.body, duplex: 'half' } as RequestInit);
  const forged = await hook(fake.signedWebhook(requestId, { tamper: true }));
  expect(forged.status).toBe(204);
  // the job is still waiting on its hour-long poll
  expect((await owner.client.get(`/api/jobs/${g.jobId}`)).body.status).toBe('running');

  // poll() advanced the fake once; the next read says succeeded, so the callback's nudge finishes it
  expect((await hook(fake.signedWebhook(requestId))).status).toBe(204);
  const done = await jobReaches(owner.client, g.jobId, 'succeeded', 30_000);
  expect(done.costMicroUsd).toBe(400_000);
  expect((await fetch(`${srv.url}/api/webhooks/replicate/not-a-job`, { method: 'POST', body: '{}' })).status).toBe(204);
  conn.destroy();
}, 60_000);
