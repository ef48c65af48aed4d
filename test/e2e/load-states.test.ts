/**
 * Each board feature loads its own list (the asset library, the models, the job queue) and, when
 * that request fails, says so where the list is used, with a Retry that loads it: the rest of the
 * board keeps working meanwhile. Desktop (1280x800) and phone (390x844).
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { describeE2E, newBoard, openBoard, useE2E, type Device } from './harness.js';

const SCREENS: ReadonlyArray<[string, Device]> = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844, touch: true }],
];

/** The three lists the board asks for; while `failing` each is answered as by a proxy whose server is down. */
const LISTS = /\/api\/(models|boards\/[^/]+\/(assets|jobs))(\?.*)?$/;

async function failLists(page: Page) {
  const state = { failing: true };
  await page.route(LISTS, (route) =>
    state.failing
      ? route.fulfill({ status: 502, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'The server is down for a moment' } }) })
      : route.continue(),
  );
  return state;
}

describeE2E('e2e: a list that could not be loaded', () => {
  const e2e = useE2E();

  for (const [screen, device] of SCREENS) {
    it(`on the ${screen}: says what is missing where it is used, and Retry loads it`, async () => {
      const u = await e2e.newUser({ name: 'Ana', device });
      const boardId = await newBoard(u, 'Rain');
      await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'Window', prompt: 'Mara at the window', durationSec: 2, model: 'animatic', mode: 'image' }));
      const lists = await failLists(u.page);
      const asked: string[] = [];
      u.page.on('request', (r) => void (LISTS.test(r.url()) && asked.push(r.url())));
      await openBoard(e2e, u, boardId);
      const p = u.page;

      // The queue metric in the sprint bar: not "idle", not silent.
      const queue = p.getByLabel('Queue estimate');
      await queue.getByText('could not load').waitFor();

      // The shot: Generate waits for the models, saying why; the sync connection is untouched.
      await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
      const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
      const modelsFailed = detail.getByRole('alert').filter({ hasText: 'Could not load the models: The server is down for a moment' });
      await modelsFailed.waitFor();
      expect(await detail.getByRole('button', { name: 'Generate' }).isDisabled()).toBe(true);
      // No price is known yet, and the estimate says why (not that the model has none).
      expect(await detail.locator('.estimate').innerText()).toContain('unknown until the models load');
      // The start frame picker still offers the board's own images; only the uploads are missing.
      const start = detail.getByRole('group', { name: 'Start frame' });
      await start.getByRole('button', { name: 'Choose start frame' }).click();
      const uploadsFailed = start.getByRole('alert').filter({ hasText: "Could not load the board's uploads" });
      await uploadsFailed.waitFor();
      await uploadsFailed.scrollIntoViewIfNeeded();
      await e2e.screenshot(p, `load-failed-uploads-${screen}`);
      // Offline and back: the board asks again, once, and still says what it could not load.
      await u.context.setOffline(true);
      await p.locator('[role="status"][data-status="offline"]').waitFor();
      await u.context.setOffline(false);
      await p.locator('[role="status"][data-status="online"]').waitFor();
      await queue.getByText('could not load').waitFor();
      await modelsFailed.scrollIntoViewIfNeeded();
      await e2e.screenshot(p, `load-failed-${screen}`);

      // The server answers again: each Retry loads its own list and the message goes.
      lists.failing = false;
      await uploadsFailed.getByRole('button', { name: 'Retry' }).click();
      await start.getByText('No images on this board yet').waitFor();
      await expect.poll(() => uploadsFailed.count()).toBe(0);
      await modelsFailed.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => modelsFailed.count()).toBe(0);
      await expect.poll(() => detail.locator('.estimate').innerText()).not.toContain('until the models load');
      // With the models known, the shot's own checks decide: image mode has no start frame yet.
      await detail.getByRole('list', { name: 'Problems to fix before generating' }).waitFor();
      await detail.getByRole('radio', { name: 'text' }).check();
      await expect.poll(() => detail.getByRole('button', { name: 'Generate' }).isDisabled()).toBe(false);
      await queue.getByRole('button', { name: 'Retry' }).click();
      await queue.getByText('idle').waitFor();
      await e2e.screenshot(p, `load-retried-${screen}`);
      // A failed list is asked again when the board comes online, after the reconnect and on Retry, never in a loop.
      const jobsAsked = asked.filter((url) => /\/jobs$/.test(url)).length;
      expect(jobsAsked, asked.join('\n')).toBeLessThanOrEqual(5);
    }, 60_000);
  }
});
