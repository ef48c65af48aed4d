import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { describeE2E, newBoard, openBoard, useE2E } from './harness.js';

/** A receiver on loopback (allowed for this server by its operator setting) that fails each delivery's first attempt. */
let receiver: http.Server;
let receiverUrl = '';
const seen = new Set<string>();
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const first = !seen.has(id);
      seen.add(id);
      res.writeHead(first ? 500 : 200).end(first ? 'busy, try later' : 'ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/takeboard`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describeE2E('e2e: outgoing webhooks in the board menu', () => {
  const e2e = useE2E({ webhooks: { allowHosts: ['127.0.0.1'], retryDelaysMs: [300, 300, 300, 300], pollMs: 300 } });
  const hub = () => e2e.server.takeboard.hub;

  it('an owner adds a webhook, copies the secret once, sees a refused inside address and the delivery log with a retry, resends, edits and rotates it; fits a phone', async () => {
    const olga = await e2e.newUser({ name: 'Olga' });
    const boardId = await newBoard(olga, 'Harbour');
    let shotId = '';
    await hub().change(boardId, (d) => {
      shotId = addShot(d, { title: 'Wide', prompt: 'harbour at dusk', durationSec: 1, model: 'animatic' });
    });
    await openBoard(e2e, olga, boardId);
    const page = olga.page;
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    const menu = page.getByRole('dialog', { name: 'Board' });
    const hooks = menu.getByRole('region', { name: 'Webhooks' });
    await hooks.getByText('No webhooks yet.').waitFor();

    // An inside address the operator did not allow is refused with the reason.
    await hooks.getByLabel('URL').fill('http://10.0.0.7/hook');
    await hooks.getByRole('button', { name: 'Add webhook' }).click();
    await hooks.getByRole('alert').filter({ hasText: 'a private address' }).waitFor();

    await hooks.getByLabel('URL').fill(receiverUrl);
    await hooks.getByLabel('Export ready').check();
    await hooks.getByRole('button', { name: 'Add webhook' }).click();
    const secret = hooks.getByRole('status');
    await secret.getByText('it is not shown again').waitFor();
    expect(await secret.locator('code').textContent()).toMatch(/^whsec_/);
    expect(await hooks.getByRole('alert').count()).toBe(0);
    await hooks.locator('.webhook-url', { hasText: receiverUrl }).waitFor();
    expect(await hooks.getByText('Take finished, Take failed, Export ready').count()).toBe(1);
    await e2e.screenshot(page, 'webhooks-secret-1280');
    await secret.getByRole('button', { name: 'I have copied it' }).click();
    expect(await hooks.locator('code').count()).toBe(0);

    // A take finishes: the receiver fails the first attempt, the retry succeeds; the log says both.
    const res = await olga.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
    expect(res.status).toBe(202);
    await hooks.getByRole('button', { name: 'Deliveries' }).click();
    await expect
      .poll(async () => {
        await hooks.getByRole('button', { name: 'Refresh' }).click();
        return hooks.locator('.webhook-log > li').first().textContent();
      }, { timeout: 60_000 })
      .toMatch(/^succeeded Take finished/);
    const attempts = hooks.locator('.webhook-log > li').first().locator('ul > li');
    expect(await attempts.allTextContents()).toEqual([expect.stringMatching(/^HTTP 500 in \d+ ms: busy, try later$/), expect.stringMatching(/^HTTP 200 in \d+ ms: ok$/)]);
    await hooks.locator('.webhook-log').scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'webhooks-log-1280');

    // Resent by hand: the same delivery (same webhook-id) gets a third attempt, logged with the others.
    await hooks.locator('.webhook-log > li').first().getByRole('button', { name: /^Resend Take finished/ }).click();
    await expect
      .poll(async () => {
        await hooks.getByRole('button', { name: 'Refresh' }).click();
        const row = hooks.locator('.webhook-log > li').first();
        return `${await row.locator('ul > li').count()} ${await row.textContent()}`;
      }, { timeout: 30_000 })
      .toMatch(/^3 succeeded Take finished/);

    // Edited in place: an inside address is refused with the reason, a good one saved with fewer events.
    await hooks.getByRole('button', { name: `Edit webhook ${receiverUrl}` }).click();
    const edit = hooks.getByRole('form', { name: `Edit webhook ${receiverUrl}` });
    await edit.getByLabel('URL').fill('http://10.0.0.7/hook');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByRole('alert').filter({ hasText: 'a private address' }).waitFor();
    await edit.getByLabel('URL').fill(`${receiverUrl}/v2`);
    await edit.getByLabel('Take failed').uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await hooks.locator('.webhook-url', { hasText: `${receiverUrl}/v2` }).waitFor();
    expect(await hooks.getByText('Take finished, Export ready').count()).toBe(1);

    // A rotated secret is shown once, and the row says until when the old one still signs.
    await hooks.getByRole('button', { name: `Rotate the signing secret of ${receiverUrl}/v2` }).click();
    const rotated = hooks.getByRole('status');
    await rotated.getByText('New signing secret').waitFor();
    expect(await rotated.locator('code').textContent()).toMatch(/^whsec_/);
    await hooks.getByText(/^Old secret also signs until/).waitFor();
    await e2e.screenshot(page, 'webhooks-rotated-1280');
    await rotated.getByRole('button', { name: 'I have copied it' }).click();

    // The same menu on a phone: nothing wider than the screen, the log readable.
    await page.setViewportSize({ width: 390, height: 844 });
    await hooks.getByRole('button', { name: 'Add webhook' }).scrollIntoViewIfNeeded();
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await menu.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await hooks.getByRole('button', { name: 'Deliveries' }).click();
    await hooks.locator('.webhook-log').scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'webhooks-log-390');
    await hooks.getByRole('button', { name: `Edit webhook ${receiverUrl}/v2` }).click();
    await hooks.getByRole('form', { name: `Edit webhook ${receiverUrl}/v2` }).scrollIntoViewIfNeeded();
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await e2e.screenshot(page, 'webhooks-edit-390');
    await hooks.getByRole('button', { name: 'Cancel' }).click();

    // Removing the webhook empties the list.
    await hooks.getByRole('button', { name: `Remove webhook ${receiverUrl}/v2` }).click();
    await hooks.getByText('No webhooks yet.').waitFor();
    expect(olga.errors.filter((e) => !e.includes('400'))).toEqual([]);
  }, 120_000);
});
