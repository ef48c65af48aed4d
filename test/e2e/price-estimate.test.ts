/**
 * A producer prices a chain before queueing it and reads the drift after: the shot detail shows
 * the Seedance 2.0 estimate in parts (output tokens, the chained tail as input video, the minimum)
 * and the chain's total; a model with no price known asks before it queues; a finished take shows
 * its estimate beside its charge and the drift, and the Costs tab the drift per provider. On a
 * 1280x800 desktop and a 390x844 phone, against the local fake of BytePlus ModelArk.
 */
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addShot, shotsInOrder } from '../../shared/doc/index.js';
import { usdText as usd } from '../../shared/money.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { startArkFake } from '../providers/fakes/ark.js';
import { allowFakes, setServedVideo, type FakeHandle } from '../providers/fakes/core.js';
import { appErrors, describeE2E, newBoard, openBoard, share, startE2E, until, type E2E } from './harness.js';

const SEEDANCE = 'ark:dreamina-seedance-2-0-260128';
const MINI = 'ark:dreamina-seedance-2-0-mini-260128';

/** The page is no wider than the screen (nothing to scroll sideways). */
const noSideScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describeE2E('e2e: exact estimates in parts, the chain total, no price known, and the drift', () => {
  let e2e: E2E;
  let fake: FakeHandle;
  let fx: MediaFixtures;
  beforeAll(async () => {
    [fake, fx] = await Promise.all([startArkFake(), makeMediaFixtures()]);
    setServedVideo(new Uint8Array(await fs.readFile(fx.clip)));
    const providers = createProviders({ ARK_API_KEY: fake.key, ARK_BASE_URL: fake.baseUrl }, allowFakes(fake));
    e2e = await startE2E({ providers, generation: { pollMs: 20, retryBaseMs: 20 } });
  }, 60_000);
  afterAll(async () => {
    setServedVideo(null);
    await Promise.all([e2e?.close(), fake?.close(), fx?.cleanup()]);
  });

  it('shows the breakdown and chain total before queueing, confirms an unpriced model, and the drift after the take (desktop and phone)', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Harbour chain');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      const harbour = addShot(d, { title: 'Harbour', prompt: 'a harbour at dawn', mode: 'text', durationSec: 4, model: SEEDANCE });
      addShot(d, { title: 'Pier', prompt: 'along the pier', mode: 'extend', durationSec: 5, model: SEEDANCE, continuesFrom: harbour });
      addShot(d, { title: 'Gull', prompt: 'a gull lands', mode: 'text', durationSec: 4, model: MINI });
    });
    await openBoard(e2e, ana, boardId);
    const p = ana.page;
    const detailOf = async (n: number) => {
      await p.getByRole('listitem', { name: new RegExp(`^Shot ${n}`) }).locator('.thumb').click();
      return p.getByRole('complementary', { name: `Shot ${n} detail` });
    };

    // Shot 2 continues shot 1: its Seedance 2.0 estimate counts the 3 s tail as input video, and the
    // minimum tops it up to 10 s worth at the video-input rate; the chain's total is both shots.
    const pier = await detailOf(2);
    const parts = pier.getByRole('list', { name: 'What the estimate is made of' });
    await parts.locator('[data-part="input_video"]').waitFor();
    expect(await parts.locator('li').allTextContents()).toEqual([
      '5 s of output at 1280x720, 24 fps · 108,900 tokens$0.44',
      'chained tail 3 s (input video is billed too) · 64,800 tokens$0.26',
      'minimum charge when a video is input (input billed as at least 1x the output seconds) · 43,200 tokens$0.17',
    ]);
    expect(await pier.locator('[data-estimate-total]').textContent()).toBe('$0.87');
    expect(await pier.locator('[data-unverified]').textContent()).toContain('estimate');
    expect(await pier.locator('.price-rate').textContent()).toMatch(/^\$4\.00 per million tokens \(video input rate\), as of 2026-06/);
    // Chain: $0.57 (shot 1, 87,300 tokens) + $0.87.
    expect(await pier.locator('[data-chain-total]').textContent()).toMatch(/^Whole chain, a take of each of its 2 shots: \$1\.44 estimate/);
    await pier.locator('[data-estimate]').scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'price-chain-breakdown-1280');

    // A model with no price known says so, and Generate asks first: Cancel queues nothing.
    const gull = await detailOf(3);
    await gull.locator('[data-price-unknown]').getByText('no price known', { exact: true }).waitFor();
    await gull.getByRole('button', { name: 'Generate' }).click();
    const dialog = p.getByRole('dialog', { name: 'No price known' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('cannot be estimated or counted against the budget');
    await e2e.screenshot(p, 'price-unknown-confirm-1280');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await ana.client.get(`/api/boards/${boardId}/jobs`)).body).toEqual([]);
    // Confirmed, it is queued, and its take says no price was known.
    await gull.getByRole('button', { name: 'Generate' }).click();
    await dialog.getByRole('button', { name: 'Queue without a price' }).click();
    const gullTake = gull.getByRole('region', { name: 'Takes' }).getByRole('listitem', { name: 'Take 1: succeeded' });
    await gullTake.waitFor({ timeout: 60_000 });
    await expect.poll(() => gullTake.locator('[data-take-cost]').textContent()).toBe('no price known · charged $0.00');

    // Shot 1 is queued; the fake reports 108,900 tokens (a 5 s clip for a 4 s ask): charged $0.72 against $0.57.
    const harbour = await detailOf(1);
    expect(await harbour.locator('[data-estimate-total]').textContent()).toBe('$0.57');
    await harbour.getByRole('button', { name: 'Generate' }).click();
    const take = harbour.getByRole('region', { name: 'Takes' }).getByRole('listitem', { name: 'Take 1: succeeded' });
    await take.waitFor({ timeout: 60_000 });
    const cost = take.locator('[data-take-cost]');
    await cost.locator('[data-cost-actual]').waitFor();
    expect(await cost.textContent()).toBe('estimate $0.57 (unverified rate) · charged $0.72 · drift +$0.14 (+24.7%)');
    await e2e.screenshot(p, 'price-take-drift-1280');

    // With the take selected, shot 2's estimate is, token for token, the one the server will check against the budget.
    await take.getByRole('button', { name: 'Select' }).click();
    await take.getByRole('button', { name: 'Selected' }).waitFor();
    const pierAgain = await detailOf(2);
    const pierId = await e2e.server.takeboard.hub.read(boardId, (d) => shotsInOrder(d)[1]!.id);
    await until(() => e2e.server.takeboard.hub.read(boardId, (d) => Boolean(shotsInOrder(d)[0]!.selectedTake)), 'the selected take stored on the server');
    const server = (await ana.client.get(`/api/boards/${boardId}/shots/${pierId}/estimate`)).body.estimate;
    const partsNow = pierAgain.getByRole('list', { name: 'What the estimate is made of' }).locator('li');
    await expect
      .poll(() => partsNow.allTextContents())
      .toEqual(server.parts.map((q: { label: string; tokens: number; microUsd: number }) => `${q.label} · ${q.tokens.toLocaleString('en-US')} tokens${usd(q.microUsd)}`));
    await pierAgain.locator('[data-estimate-total]').waitFor();
    expect(await pierAgain.locator('[data-estimate-total]').textContent()).toBe('$0.87');

    // The Costs tab: estimate against charge per provider.
    await p.getByRole('button', { name: 'Burndown & costs' }).click();
    const ark = p.locator('table[data-costs="drift"] tr[data-row="ark"]');
    await ark.waitFor();
    expect(await ark.locator('[data-cell="estimate"]').textContent()).toBe('$0.57');
    expect(await ark.locator('[data-cell="spent"]').textContent()).toBe('$0.72');
    expect(await ark.locator('[data-cell="drift"]').textContent()).toBe('+$0.14 (+24.7%)');
    expect(await ark.locator('[data-cell="unpriced"]').textContent()).toBe('1 (charged $0 here)');
    await ark.scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'price-costs-drift-1280');

    // On a phone: the same breakdown and drift, nothing wider than the screen.
    const zoe = await e2e.newUser({ name: 'Zoë', device: { width: 390, height: 844, touch: true } });
    await share(ana, zoe, boardId, 'editor');
    await openBoard(e2e, zoe, boardId);
    const z = zoe.page;
    await z.getByRole('listitem', { name: /^Shot 2/ }).locator('.thumb').tap();
    const zPier = z.getByRole('complementary', { name: 'Shot 2 detail' });
    const zParts = zPier.getByRole('list', { name: 'What the estimate is made of' });
    await zParts.locator('[data-part="input_video"]').waitFor();
    await zPier.locator('[data-estimate]').scrollIntoViewIfNeeded();
    expect(await noSideScroll(z)).toBe(true);
    await e2e.screenshot(z, 'price-chain-breakdown-390');
    await z.getByRole('tab', { name: 'Costs' }).tap();
    const zArk = z.locator('table[data-costs="drift"] tr[data-row="ark"]');
    await zArk.waitFor();
    await zArk.scrollIntoViewIfNeeded();
    expect(await zArk.locator('[data-cell="drift"]').textContent()).toBe('+$0.14 (+24.7%)');
    expect(await noSideScroll(z)).toBe(true);
    await e2e.screenshot(z, 'price-costs-drift-390');

    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(zoe.errors)).toEqual([]);
  }, 180_000);
});
