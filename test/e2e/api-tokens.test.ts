import { expect, it } from 'vitest';
import { appErrors, describeE2E, newBoard, useE2E, type E2E, type E2EUser } from './harness.js';

/** A script's request with the token: no cookie, no Origin. */
async function jobsWith(e2e: E2E, secret: string, boardId: string): Promise<number> {
  return (await fetch(`${e2e.server.url}/api/boards/${boardId}/jobs`, { headers: { authorization: `Bearer ${secret}` } })).status;
}

async function openAccount(e2e: E2E, u: E2EUser) {
  await u.page.goto(`${e2e.server.url}/account`);
  await u.page.getByRole('heading', { name: 'API tokens' }).waitFor();
}

describeE2E('e2e: API tokens on the account page', () => {
  const e2e = useE2E();

  it('creates a token for one board, shows and copies its secret once, lists it, and revokes it', async () => {
    const u = await e2e.newUser({ name: 'Ana Scripts' });
    await u.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.url });
    const cutting = await newBoard(u, 'Cutting room');
    const other = await newBoard(u, 'Other board');
    const { page } = u;
    await openAccount(e2e, u);
    await page.getByText('No tokens yet.').waitFor();

    await page.getByLabel('Token name').fill('Render farm');
    await page.getByLabel('Write').check();
    await page.getByLabel('Cutting room').check();
    await page.getByLabel('Expires after').selectOption({ label: '7 days' });
    await page.getByRole('button', { name: 'Create token' }).click();
    const secretBox = page.getByLabel('Token secret');
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^tb_pat_[a-z2-7]{32}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const rows = page.getByRole('list', { name: 'API tokens' }).getByRole('listitem');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/Render farm.*Write.*Cutting room.*never used.*expires/);
    await e2e.screenshot(page, 'tokens-created-desktop');

    // The token works as its grant says: its board, not the other one.
    expect(await jobsWith(e2e, secret, cutting)).toBe(200);
    expect(await jobsWith(e2e, secret, other)).toBe(404);

    // Once: after Done, and after a reload, the secret is nowhere on the page.
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => secretBox.count()).toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await expect.poll(() => rows.first().textContent()).toMatch(/last used just now/);
    expect(await page.content()).not.toContain(secret);
    await rows.first().scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'tokens-list-desktop');

    await rows.first().getByRole('button', { name: 'Revoke' }).click();
    await rows.first().getByRole('button', { name: 'Revoke Render farm now' }).click();
    await page.getByText('No tokens yet.').waitFor();
    expect(await jobsWith(e2e, secret, cutting)).toBe(401);
    expect(appErrors(u.errors)).toEqual([]);
  });

  it('works on a phone: the form wraps, the secret and its buttons fit, every control is reachable', async () => {
    const u = await e2e.newUser({ name: 'Ana Phone', device: { width: 390, height: 844, touch: true } });
    await newBoard(u, 'Night shoot');
    const { page } = u;
    await openAccount(e2e, u);
    await page.getByRole('heading', { name: 'API tokens' }).scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'tokens-form-phone');
    await page.getByLabel('Token name').fill('Phone check');
    await page.getByLabel('All my boards, now and later').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByLabel('Token secret').waitFor();
    await page.getByRole('region', { name: 'New token' }).scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'tokens-created-phone');
    // Nothing sticks out sideways, and the touch targets are finger-sized.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const name of ['Copy', 'Done', 'Create token']) {
      const box = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      expect(box.height, name).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width, name).toBeLessThanOrEqual(390);
    }
    const row = page.getByRole('list', { name: 'API tokens' }).getByRole('listitem').first();
    expect(await row.textContent()).toMatch(/Phone check.*Read.*All your boards/);
    await row.scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'tokens-list-phone');
    expect(appErrors(u.errors)).toEqual([]);
  });
});
