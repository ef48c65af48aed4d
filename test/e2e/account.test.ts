import { expect, it } from 'vitest';
import { TestClient } from '../helpers/http.js';
import { appErrors, describeE2E, newBoard, openBoard, useE2E } from './harness.js';

describeE2E('e2e: devices and sessions, under the app’s Content-Security-Policy', () => {
  const e2e = useE2E();

  it('the policy is live: inline script is refused and reported, the app itself causes no violation', async () => {
    const u = await e2e.newUser({ name: 'Ana Policy' });
    const boardId = await newBoard(u);
    await openBoard(e2e, u, boardId);
    expect(appErrors(u.errors)).toEqual([]);
    // The name in the top bar is now the way to Devices and sessions, on a phone too (in its menu).
    await u.page.setViewportSize({ width: 390, height: 844 });
    await u.page.getByRole('button', { name: 'Menu' }).click();
    await e2e.screenshot(u.page, 'board-top-bar-phone');
    expect(await u.page.getByRole('link', { name: 'Ana Policy' }).getAttribute('href')).toBe('/account');
    const ran = await u.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.body.append(s);
      return (window as unknown as { __inline?: boolean }).__inline === true;
    });
    expect(ran).toBe(false);
    expect(u.errors.some((e) => /Content Security Policy/.test(e))).toBe(true);
  });

  it('lists this browser and the others, ends another device (which is logged out at once), then all others', async () => {
    const u = await e2e.newUser({ name: 'Ana Devices', loggedIn: false });
    const { page } = u;
    await page.goto(`${e2e.server.url}/login`);
    await page.getByLabel('Email').fill(u.email);
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Your boards' }).waitFor();
    // Two more browsers of hers, a phone and a laptop (and the harness's signup, an unnamed client).
    const devices: TestClient[] = [];
    for (const agent of [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
    ]) {
      const c = new TestClient(e2e.server.url);
      expect((await c.request('POST', '/api/auth/login', { email: u.email, password: u.password }, { headers: { 'user-agent': agent } })).status).toBe(200);
      devices.push(c);
    }
    const [phone, laptop] = devices as [TestClient, TestClient];

    await page.getByRole('link', { name: 'Ana Devices' }).click();
    await page.getByRole('heading', { name: 'Devices and sessions' }).waitFor();
    const rows = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    await expect.poll(() => rows.count()).toBe(4);
    const current = page.locator('li[data-current="true"]');
    await expect.poll(() => current.textContent()).toMatch(/Chrome on Linux.*This device/);
    await e2e.screenshot(page, 'account-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(page, 'account-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await rows.filter({ hasText: 'Safari on iPhone' }).getByRole('button', { name: 'End session' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    expect((await phone.get('/api/me')).status).toBe(401);
    expect((await laptop.get('/api/me')).status).toBe(200);

    await page.getByRole('button', { name: 'Log out all other devices' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await laptop.get('/api/me')).status).toBe(401);
    expect((await u.client.get('/api/me')).status).toBe(401);
    expect(await page.getByRole('button', { name: 'Log out all other devices' }).isDisabled()).toBe(true);
    await e2e.screenshot(page, 'account-alone');

    await current.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(appErrors(u.errors)).toEqual([]);
  });
});
