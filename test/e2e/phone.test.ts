import { expect, it } from 'vitest';
import { addShot, listTakes, selectTake } from '../../shared/doc/index.js';
import { jobReaches } from '../generation/helpers.js';
import { describeE2E, newBoard, useE2E, type E2EUser } from './harness.js';

describeE2E('explore', () => {
  const e2e = useE2E();
  it('screens', async () => {
    const owner = await e2e.newUser({ name: 'Ana Director', city: 'Lisbon' });
    const boardId = await newBoard(owner, 'Lisbon one-take: a long board title');
    const ids: string[] = [];
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      for (const [t, p] of [['Window', 'Mara looks out at the rain'], ['Door', 'she walks out into the street'], ['Street', 'rain on the street'], ['Harbour', 'wide harbour at dawn']]) ids.push(addShot(d, { title: t, prompt: p, durationSec: 2, model: 'animatic' }));
    });
    for (const seed of [1, 2]) {
      const g = await owner.client.post(`/api/boards/${boardId}/shots/${ids[0]}/generate`, { seed });
      await jobReaches(owner.client, g.body.jobId, 'succeeded', 90_000);
    }
    for (const [name, device] of [['phone', { width: 390, height: 844, touch: true }], ['tablet', { width: 768, height: 1024, touch: true }]] as const) {
      const u: E2EUser = await e2e.newUser({ name: `Viewer ${name}`, device });
      const inv = await owner.client.post(`/api/boards/${boardId}/invites`, { role: 'editor' });
      await u.client.post(`/api/invites/${inv.body.token}/accept`);
      const p = u.page;
      await p.goto(e2e.server.url + '/');
      await p.getByRole('link', { name: /Lisbon/ }).waitFor();
      await e2e.screenshot(p, `${name}-0-boards`);
      await p.getByRole('link', { name: /Lisbon/ }).click();
      await p.locator('[role="status"][data-status="online"]').waitFor();
      await p.locator('.shot-row').first().waitFor();
      await e2e.screenshot(p, `${name}-1-board`);
      await p.getByRole('button', { name: 'Menu' }).click();
      await e2e.screenshot(p, `${name}-1b-menu`);
      await p.getByRole('button', { name: 'Menu' }).click();
      await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
      await p.getByRole('complementary', { name: 'Shot 1 detail' }).waitFor();
      await e2e.screenshot(p, `${name}-2-detail`);
      const takes = p.getByRole('region', { name: 'Takes' });
      await takes.scrollIntoViewIfNeeded();
      await e2e.screenshot(p, `${name}-3-takes`);
      await takes.getByRole('button', { name: 'Open take 1' }).click();
      await p.locator('.player video').scrollIntoViewIfNeeded();
      await e2e.screenshot(p, `${name}-4-player`);
      await p.getByRole('tab', { name: 'Sequence' }).click();
      await p.locator('.seq-cut').first().waitFor();
      await e2e.screenshot(p, `${name}-5-sequence`);
      console.log(name, await p.evaluate(() => [document.scrollingElement!.scrollWidth, innerWidth]));
    }
    expect(1).toBe(1);
  }, 240_000);
});
