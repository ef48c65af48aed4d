import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addShot, listTakes, shotsInOrder } from '../../shared/doc/index.js';
import { appErrors, describeE2E, newBoard, openBoard, share, startE2E, type E2E } from './harness.js';

const noSideScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describeE2E('e2e: several takes of a shot from one Generate', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 60_000);
  afterAll(() => e2e?.close());

  it('queues three takes with their own seeds in one click; a teammate sees all three; the control fits a phone', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const kenji = await e2e.newUser({ name: 'Kenji', device: { width: 390, height: 844, touch: true } });
    const boardId = await newBoard(ana, 'Batches');
    await share(ana, kenji, boardId, 'editor');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      addShot(d, { title: 'Harbour', prompt: 'Mara walks the pier at dawn', mode: 'text', model: 'animatic', durationSec: 2 });
    });
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);

    const p = ana.page;
    await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
    await detail.getByRole('combobox', { name: 'Takes to queue, each with its own seed' }).selectOption('3');
    const total = detail.locator('[data-batch-total]');
    await total.waitFor();
    expect(await total.textContent()).toMatch(/^3 takes × \$0\.00 = \$0\.00, checked against the budget/);
    await total.scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'batch-takes-1280');
    await detail.getByRole('button', { name: 'Generate 3 takes' }).click();
    await p.getByText(/Queued 3 takes/).waitFor();

    // The teammate, on a phone, sees the three takes arrive.
    const k = kenji.page;
    await k.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').tap();
    const kDetail = k.getByRole('complementary', { name: 'Shot 1 detail' });
    const kTakes = kDetail.getByRole('region', { name: 'Takes' });
    for (const n of [1, 2, 3]) await kTakes.getByRole('listitem', { name: `Take ${n}: succeeded` }).waitFor({ timeout: 60_000 });
    const shotId = await e2e.server.takeboard.hub.read(boardId, (d) => shotsInOrder(d)[0]!.id);
    const seeds = await e2e.server.takeboard.hub.read(boardId, (d) => listTakes(d, shotId).map((t) => t.seed));
    expect(new Set(seeds).size).toBe(3);
    await kDetail.getByRole('combobox', { name: 'Takes to queue, each with its own seed' }).scrollIntoViewIfNeeded();
    expect(await noSideScroll(k)).toBe(true);
    await e2e.screenshot(k, 'batch-takes-390');

    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 120_000);
});
