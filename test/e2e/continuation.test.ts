/**
 * A producer sees how each chained shot continues its upstream clip and what each way costs, then
 * queues takes of the whole chain: on Veo 3.1 (Vertex) a 7 s chained shot is extended natively
 * and an 8 s one starts from the last frame (saying why); a Seedance 2.0 shot takes the tail as
 * reference video at its token price, beside the cheaper last-frame price. The chain batch shows
 * its total, is refused over the budget with nothing queued, and then runs take k after take k.
 * On a 1280x800 desktop and a 390x844 phone, against the local Vertex fake.
 */
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addShot, setMeta, shotsInOrder } from '../../shared/doc/index.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { allowFakes, setServedVideo } from '../providers/fakes/core.js';
import { startVertexFake, type VertexFake } from '../providers/fakes/vertex.js';
import { appErrors, describeE2E, newBoard, openBoard, share, startE2E, type E2E } from './harness.js';

const VEO = 'vertex:veo-3.1-generate-001';
const SEEDANCE = 'ark:dreamina-seedance-2-0-260128';
const noSideScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describeE2E('e2e: how a chained shot continues, what each way costs, and takes of the whole chain', () => {
  let e2e: E2E;
  let fake: VertexFake;
  let fx: MediaFixtures;
  beforeAll(async () => {
    [fake, fx] = await Promise.all([startVertexFake(), makeMediaFixtures()]);
    setServedVideo(new Uint8Array(await fs.readFile(fx.clip)));
    const providers = createProviders(
      {
        VERTEX_SERVICE_ACCOUNT_JSON: fake.serviceAccountJson,
        VERTEX_PROJECT: fake.project,
        VERTEX_LOCATION: fake.location,
        VERTEX_OUTPUT_GCS_URI: fake.outputGcsUri,
        VERTEX_BASE_URL: fake.baseUrl,
        VERTEX_STORAGE_BASE_URL: fake.origin,
      },
      allowFakes(fake),
    );
    e2e = await startE2E({ providers, generation: { pollMs: 20, retryBaseMs: 20 } });
  }, 60_000);
  afterAll(async () => {
    setServedVideo(null);
    await Promise.all([e2e?.close(), fake?.close(), fx?.cleanup()]);
  });

  it('shows each chained shot’s path and prices, and queues the chain all or nothing (desktop and phone)', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Rain chain');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      setMeta(d, { budgetMicroUsd: 10_000_000 });
      const street = addShot(d, { title: 'Street', prompt: 'rain on a neon street', mode: 'text', durationSec: 8, model: VEO });
      const walk = addShot(d, { title: 'Walk', prompt: 'she keeps walking', mode: 'text', durationSec: 7, model: VEO, continuesFrom: street });
      addShot(d, { title: 'Door', prompt: 'she opens a door', mode: 'text', durationSec: 8, model: VEO, continuesFrom: walk });
      const harbour = addShot(d, { title: 'Harbour', prompt: 'a harbour at dawn', mode: 'text', durationSec: 4, model: SEEDANCE });
      addShot(d, { title: 'Pier', prompt: 'along the pier', mode: 'text', durationSec: 5, model: SEEDANCE, continuesFrom: harbour });
    });
    await openBoard(e2e, ana, boardId);
    const p = ana.page;
    const detailOf = async (n: number) => {
      await p.getByRole('listitem', { name: new RegExp(`^Shot ${n}`) }).locator('.thumb').click();
      return p.getByRole('complementary', { name: `Shot ${n} detail` });
    };

    // Shot 2 (7 s on Veo 3.1 Vertex) is extended natively: 7 s x $0.40 = $2.80, the clip extended not billed.
    const walk = await detailOf(2);
    const how = walk.getByRole('region', { name: 'How this shot continues' });
    await how.waitFor();
    expect(await how.getAttribute('data-continuation')).toBe('extend');
    expect(await how.locator('.continuation-head').textContent()).toBe('Continues shot 1 by native extend · $2.80');
    expect(await how.getByRole('list', { name: 'What each way of continuing costs' }).locator('li').allTextContents()).toEqual([
      'native extend (used)$2.80',
      'last frame as first frame$2.80',
    ]);
    expect(await walk.locator('[data-part="continuation"]').textContent()).toContain('native extend of the chained tail (3 s): the clip extended is not billed');
    await how.scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'continuation-extend-1280');

    // Shot 3 (8 s) cannot be an extension: last frame as first frame, and why.
    const door = await detailOf(3);
    const doorHow = door.getByRole('region', { name: 'How this shot continues' });
    await doorHow.waitFor();
    expect(await doorHow.locator('.continuation-head').textContent()).toBe('Continues shot 2 by last frame as first frame · $3.20');
    expect(await doorHow.locator('[data-continuation-why]').textContent()).toBe('Not continued natively: Veo 3.1 (Vertex) extends a clip by 7 s; this shot is 8 s.');

    // Shot 5 on Seedance 2.0: the tail as reference video costs more tokens than its last frame would.
    const pier = await detailOf(5);
    const pierHow = pier.getByRole('region', { name: 'How this shot continues' });
    await pierHow.waitFor();
    expect(await pierHow.getByRole('list', { name: 'What each way of continuing costs' }).locator('li').allTextContents()).toEqual([
      'reference video (used)$0.87',
      'last frame as first frame$0.72',
    ]);

    // Takes of the whole chain from shot 1: 3 shots x 2 takes = ($3.20 + $2.80 + $3.20) x 2 = $18.40.
    const street = await detailOf(1);
    await street.getByRole('combobox', { name: 'Takes to queue, each with its own seed' }).selectOption('2');
    const box = street.getByRole('region', { name: 'Takes of the whole chain' });
    await box.waitFor();
    expect(await box.locator('.chain-batch-total').textContent()).toBe('Chain from here: 3 shots × 2 takes = 6 takes, $18.40 estimate');
    await box.scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'chain-batch-1280');
    // Over the $10.00 budget: refused, nothing queued.
    await box.getByRole('button', { name: 'Queue 6 takes of the chain' }).click();
    await p.getByText(/These 6 takes \(2 of each of 3 shots\) are estimated at \$18\.40 but only \$10\.00/).waitFor();
    expect((await ana.client.get(`/api/boards/${boardId}/jobs`)).body).toEqual([]);

    // With room in the budget, one take of each: shot 2 waits for shot 1's take, then extends its tail.
    await e2e.server.takeboard.hub.change(boardId, (d) => setMeta(d, { budgetMicroUsd: 20_000_000 }));
    await street.getByRole('combobox', { name: 'Takes to queue, each with its own seed' }).selectOption('1');
    fake.script({ hang: true }); // Vertex holds shot 1's take a while, so shot 2's can be seen waiting
    await box.getByRole('button', { name: 'Queue 3 takes of the chain' }).click();
    await p.getByText('Queued 3 takes of 3 shots (estimate $9.20 in total)').waitFor();
    const waiting = await detailOf(2);
    const waitingTake = waiting.getByRole('region', { name: 'Takes' }).getByRole('listitem', { name: 'Take 1: queued' });
    await waitingTake.locator('[data-waits-for]').getByText('waits for take #1 of shot 1 to finish').waitFor();
    await waitingTake.scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'chain-batch-waiting-1280');
    // The queue list says it waits too, instead of giving it a place in the queue.
    const metric = p.getByLabel('Queue estimate');
    await metric.getByRole('button', { name: /^(done in|finishing)/ }).click();
    const openJobs = metric.getByRole('list', { name: 'Open jobs' });
    await openJobs.getByText(/^Shot 2 · .+ · waits for take #1 of shot 1 to finish · done in /).waitFor();
    expect(await openJobs.getByText(/^Shot 2 · .+ in queue/).count()).toBe(0);
    await metric.getByRole('button', { name: /^(done in|finishing)/ }).click();
    fake.script({ hang: false });
    fake.state.release();
    const ids = await e2e.server.takeboard.hub.read(boardId, (d) => shotsInOrder(d).map((s) => s.id));
    const jobs = async () => (await ana.client.get(`/api/boards/${boardId}/jobs`)).body as { shotId: string; status: string; request: { extendVideo?: unknown } }[];
    await expect.poll(async () => (await jobs()).map((j) => j.status).sort(), { timeout: 90_000 }).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const walkJob = (await jobs()).find((j) => j.shotId === ids[1])!;
    expect(walkJob.request.extendVideo).toBeDefined();
    const extension = fake.submissions.map((s) => s.body as { instances: { video?: { mimeType: string } }[]; parameters: { durationSeconds: number } }).find((b) => b.instances[0]!.video);
    expect(extension).toMatchObject({ instances: [{ video: { mimeType: 'video/mp4' } }], parameters: { durationSeconds: 7 } });
    // Shot 2's take says it was extended from shot 1's tail.
    const walk2 = await detailOf(2);
    const take = walk2.getByRole('region', { name: 'Takes' }).getByRole('listitem', { name: 'Take 1: succeeded' });
    await take.waitFor();

    // On a phone: the path, the prices and the chain batch fit the screen.
    const zoe = await e2e.newUser({ name: 'Zoë', device: { width: 390, height: 844, touch: true } });
    await share(ana, zoe, boardId, 'editor');
    await openBoard(e2e, zoe, boardId);
    const z = zoe.page;
    await z.getByRole('listitem', { name: /^Shot 5/ }).locator('.thumb').tap();
    const zPier = z.getByRole('complementary', { name: 'Shot 5 detail' });
    const zHow = zPier.getByRole('region', { name: 'How this shot continues' });
    await zHow.waitFor();
    await zHow.scrollIntoViewIfNeeded();
    expect(await noSideScroll(z)).toBe(true);
    await e2e.screenshot(z, 'continuation-reference-390');
    await zPier.getByRole('button', { name: 'Close shot detail' }).tap();
    await z.getByRole('listitem', { name: /^Shot 4/ }).locator('.thumb').tap();
    const zBox = z.getByRole('complementary', { name: 'Shot 4 detail' }).getByRole('region', { name: 'Takes of the whole chain' });
    await zBox.waitFor();
    await zBox.scrollIntoViewIfNeeded();
    expect(await noSideScroll(z)).toBe(true);
    await e2e.screenshot(z, 'chain-batch-390');

    // The one refusal asked for above (402 over budget) is the browser's only complaint.
    expect(appErrors(ana.errors)).toEqual(['Failed to load resource: the server responded with a status of 402 (Payment Required)']);
    expect(appErrors(zoe.errors)).toEqual([]);
  }, 240_000);
});
