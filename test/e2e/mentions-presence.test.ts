import { expect, it } from 'vitest';
import { addShot, listTakes } from '../../shared/doc/index.js';
import { joinWithRole, signedUpClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { appErrors, describeE2E, newBoard, openBoard, share, until, useE2E, type E2E } from './harness.js';

/** A board of Ana's shared with Kenji, with one shot; both have it open. */
async function twoOnABoard(e2e: E2E) {
  // Ana gave her city; Kenji did not, so teammates see the city of his time zone.
  const ana = await e2e.newUser({ name: 'Ana Lisboa', city: 'Lisbon', timezoneId: 'Europe/Lisbon' });
  const kenji = await e2e.newUser({ name: 'Kenji Mori', timezoneId: 'Asia/Tokyo' });
  const boardId = await newBoard(ana, 'Harbour spot');
  await share(ana, kenji, boardId, 'editor');
  let shotId = '';
  await e2e.server.takeboard.hub.change(boardId, (d) => {
    shotId = addShot(d, { title: 'Pier at dusk', prompt: 'gulls over the pier', durationSec: 3, model: 'animatic' });
  });
  return { ana, kenji, boardId, shotId };
}

describeE2E('e2e: mentions, notifications and presence you can read', () => {
  const e2e = useE2E();

  it('Ana @mentions Kenji on a take: his unread count rises live, and the link opens the shot and plays the take from the comment’s time', async () => {
    const { ana, kenji, boardId, shotId } = await twoOnABoard(e2e);
    const queued = await ana.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
    expect(queued.status).toBe(202);
    await until(async () => (await e2e.server.takeboard.hub.read(boardId, (d) => listTakes(d, shotId)[0]?.status)) === 'succeeded', 'the take to render', 60_000);
    await openBoard(e2e, ana, boardId);
    await kenji.page.goto(`${e2e.server.url}/`);
    const bell = kenji.page.locator('.notif-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications: none unread');

    // Ana opens the take, goes to 1.5 s and types "@ke": the list offers Kenji; Enter picks him.
    const ap = ana.page;
    await ap.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = ap.getByRole('complementary', { name: 'Shot 1 detail' });
    await detail.getByRole('button', { name: 'Open take 1' }).click();
    const video = detail.locator('.player video');
    await video.evaluate((v: HTMLVideoElement) => new Promise<void>((done) => {
      const go = () => {
        v.addEventListener('seeked', () => done(), { once: true });
        v.currentTime = 1.5;
      };
      if (v.readyState >= 1) go();
      else v.addEventListener('loadedmetadata', go, { once: true });
    }));
    const box = detail.getByRole('combobox', { name: /^Comment on Take 1 at 0:01/ });
    await box.click();
    const list = detail.getByRole('listbox', { name: 'People on this board' });
    const options = list.getByRole('option');
    // Escape closes the list and nothing else; typing on brings it back.
    await box.pressSequentially('The gulls @k');
    await expect.poll(() => options.allTextContents()).toEqual(['Kenji Mori']);
    await box.press('Escape');
    await expect.poll(() => list.count()).toBe(0);
    expect(await detail.isVisible()).toBe(true);
    await box.pressSequentially('e');
    await expect.poll(() => options.allTextContents()).toEqual(['Kenji Mori']);
    expect(await box.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'));
    await e2e.screenshot(ap, 'mention-autocomplete-1280');
    await box.press('Enter');
    expect(await box.inputValue()).toBe('The gulls @Kenji Mori ');
    await box.pressSequentially('look too fast here');
    await box.press('Enter');
    const comment = detail.getByRole('list', { name: 'Comments on Take 1' }).getByRole('listitem');
    await comment.locator(`.mention[data-mention="${kenji.user.id}"]`).getByText('@Kenji Mori').waitFor();

    // Kenji, on his boards list, sees the count rise without reloading.
    await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Notifications: 1 unread');
    expect(await kenji.page.locator('.notif-count').textContent()).toBe('1');
    await bell.click();
    const entry = kenji.page.getByRole('region', { name: 'Notifications' }).locator('[data-kind="mention"]');
    await entry.getByText('Ana Lisboa mentioned you').waitFor();
    await entry.getByText('The gulls @Kenji Mori look too fast here').waitFor();
    await entry.getByText('Harbour spot').waitFor();
    await e2e.screenshot(kenji.page, 'notifications-panel-1280');
    await kenji.page.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(kenji.page, 'notifications-panel-390');
    expect(await kenji.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const panelBox = await kenji.page.getByRole('region', { name: 'Notifications' }).boundingBox();
    expect(panelBox!.x).toBeGreaterThanOrEqual(0);
    expect(panelBox!.x + panelBox!.width).toBeLessThanOrEqual(390);
    await kenji.page.setViewportSize({ width: 1280, height: 800 });

    await entry.getByRole('link').click();
    await kenji.page.waitForURL((u) => u.pathname === `/boards/${boardId}` && u.searchParams.get('shot') === shotId && u.searchParams.get('t') === '1.5');
    const kDetail = kenji.page.getByRole('complementary', { name: 'Shot 1 detail' });
    const kVideo = kDetail.locator('.player video');
    await expect.poll(() => kVideo.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeCloseTo(1.5, 1);
    await kDetail.locator('.comments li.comment-target').getByText('look too fast here').waitFor();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications: none unread');
    await e2e.screenshot(kenji.page, 'notification-opened-take-1280');
    await kenji.page.setViewportSize({ width: 390, height: 844 });
    await kDetail.locator('.comments li.comment-target').scrollIntoViewIfNeeded();
    await e2e.screenshot(kenji.page, 'notification-opened-take-390');

    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 120_000);

  it('labels each teammate’s open shot and focus with name and city, in colours no two people share, and stacks avatars past four', async () => {
    const { ana, kenji, boardId } = await twoOnABoard(e2e);
    // Five more teammates, present through their own sockets.
    const extra: BoardConnection[] = [];
    for (const name of ['Lea', 'Omar', 'Priya', 'Sven', 'Yara']) {
      const u = await signedUpClient(e2e.server.url, { name, city: 'Berlin' });
      await joinWithRole(ana.client, u.client, boardId, 'editor');
      const conn = connectBoard(e2e.server.url, boardId, u.client);
      extra.push(conn);
      await conn.synced();
      conn.provider.awareness.setLocalState({ tz: 'Europe/Berlin', focus: null, selection: null });
    }
    try {
      await openBoard(e2e, ana, boardId);
      await openBoard(e2e, kenji, boardId);
      await ana.page.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();

      // Kenji sees Ana's open shot labelled "Ana Lisboa · Lisbon" in her colour.
      const anaTag = kenji.page.getByRole('listitem', { name: /^Shot 1/ }).locator(`.peer-tag[data-peer="${ana.user.id}"]`);
      await expect.poll(() => anaTag.textContent()).toBe('Ana Lisboa · Lisbon');
      // Kenji types in the prompt: Ana sees "Kenji Mori · Tokyo · in prompt" (his city from his time zone).
      await kenji.page.getByLabel('Prompt of shot 1').click();
      const kenjiTag = ana.page.getByRole('listitem', { name: /^Shot 1/ }).locator(`.peer-tag[data-peer="${kenji.user.id}"]`);
      await expect.poll(() => kenjiTag.textContent()).toBe('Kenji Mori · Tokyo · in prompt');
      const colourOfAna = await anaTag.getAttribute('data-color');
      const colourOfKenji = await kenjiTag.getAttribute('data-color');
      expect(colourOfAna).toMatch(/^#[0-9a-f]{6}$/);
      expect(colourOfKenji).not.toBe(colourOfAna);
      // The tag is painted in that colour.
      expect(await kenjiTag.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(hexToRgb(colourOfKenji!));

      // Seven people: Ana sees six teammates as four avatars and "+2"; everyone has their own colour.
      const stack = ana.page.locator('.presence-stack');
      await expect.poll(() => stack.locator('.avatar:not(.avatar-more)').count()).toBe(4);
      expect(await stack.locator('.avatar-more').textContent()).toBe('+2');
      expect(await stack.getAttribute('aria-label')).toMatch(/^6 teammates here: /);
      await stack.click();
      const list = ana.page.getByRole('list', { name: 'People on this board' });
      await expect.poll(() => list.getByRole('listitem').count()).toBe(6);
      await list.getByText('Kenji Mori · Tokyo').waitFor();
      await list.getByText('Yara · Berlin').waitFor();
      await e2e.screenshot(ana.page, 'presence-labels-1280');
      // Everyone's colour as the server gave it (a socket is not sent back its own state: two views).
      const seen = () => {
        const byUser = new Map<string, string>();
        for (const c of extra.slice(0, 2)) {
          for (const s of c.provider.awareness.getStates().values()) {
            const u = (s as { user?: { id: string; color: string } }).user;
            if (u) byUser.set(u.id, u.color);
          }
        }
        return byUser;
      };
      await until(() => seen().size === 7, 'seven people present');
      const byUser = seen();
      expect(byUser.size).toBe(7);
      expect(new Set(byUser.values()).size).toBe(7);

      await stack.click();
      await expect.poll(() => list.count()).toBe(0);
      await ana.page.setViewportSize({ width: 390, height: 844 });
      await stack.click();
      await list.getByText('Yara · Berlin').waitFor();
      const listBox = (await list.boundingBox())!;
      expect(listBox.y).toBeGreaterThanOrEqual((await stack.boundingBox())!.y + 30);
      await e2e.screenshot(ana.page, 'presence-list-390');
      // A tap anywhere else closes the list.
      await ana.page.mouse.click(2, 420); // the sheet's margin (the tab bar runs along the bottom)
      await expect.poll(() => list.count()).toBe(0);
      await ana.page.getByRole('button', { name: 'Close shot detail' }).click();
      await e2e.screenshot(ana.page, 'presence-labels-390');
      expect(await ana.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(appErrors(ana.errors)).toEqual([]);
      expect(appErrors(kenji.errors)).toEqual([]);
    } finally {
      for (const c of extra) c.destroy();
    }
  }, 90_000);

  it('a city set on the account page is what teammates see next to the name', async () => {
    const { ana, kenji, boardId } = await twoOnABoard(e2e);
    const kp = kenji.page;
    await kp.goto(`${e2e.server.url}/account`);
    const city = kp.getByLabel('City');
    // Nothing given yet: the field suggests his time zone's city.
    expect(await city.getAttribute('placeholder')).toBe('Tokyo');
    await city.fill('Osaka');
    await kp.getByRole('button', { name: 'Save city' }).click();
    await kp.getByRole('status').getByText('Teammates now see Osaka next to your name').waitFor();
    await e2e.screenshot(kp, 'account-city-1280');
    await kp.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(kp, 'account-city-390');
    expect(await kp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);
    const avatar = ana.page.locator(`.presence-stack [data-user="${kenji.user.id}"]`);
    await expect.poll(() => avatar.getAttribute('title')).toMatch(/^Kenji Mori · Osaka · /);
    expect(appErrors(kenji.errors)).toEqual([]);
  });
});

function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}
