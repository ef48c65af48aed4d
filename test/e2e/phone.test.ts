/**
 * A director reviewing on a phone (390x844) and a tablet (768x1024), touch screens both: from the
 * boards list to the sprint clock, the queue, the shot list, a take played, selected, approved and
 * commented at a time, and the sequence played, with no sideways scrolling on any screen and every
 * control used at least 44 px. Desktop (1280x800) keeps its two-column layout and top tabs.
 */
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { addShot, getShot, listComments, listTakes, setMeta, type TakeView } from '../../shared/doc/index.js';
import { jobReaches } from '../generation/helpers.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E, type Device, type E2E, type E2EUser } from './harness.js';

const DEVICES: ReadonlyArray<[string, Device]> = [
  ['phone', { width: 390, height: 844, touch: true }],
  ['tablet', { width: 768, height: 1024, touch: true }],
];

/** Nothing scrolls sideways: not the page, and not a panel inside it (the old shot list did). */
async function expectNoSideScroll(page: Page, screen: string) {
  const wide = await page.evaluate(() => {
    const out: string[] = [];
    const doc = document.scrollingElement!;
    if (doc.scrollWidth > innerWidth) out.push(`page ${doc.scrollWidth} > ${innerWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('.board-main *, .page *')) {
      const style = getComputedStyle(el);
      if (/(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1) out.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  });
  expect(wide, `sideways scrolling on the ${screen}`).toEqual([]);
}

/** On screen now, entirely, as a person sees it (no scrolling done for them). */
async function expectInView(page: Page, target: Locator, what: string) {
  const box = await target.boundingBox();
  const vp = page.viewportSize()!;
  expect(box, `${what} is rendered`).not.toBeNull();
  expect(
    { left: box!.x >= -0.5, right: box!.x + box!.width <= vp.width + 0.5, top: box!.y >= -0.5, bottom: box!.y + box!.height <= vp.height + 0.5 },
    `${what} is within the ${vp.width}x${vp.height} viewport`,
  ).toEqual({ left: true, right: true, top: true, bottom: true });
}

/** A control a finger can hit: at least 44 px both ways. */
async function expectTouchSize(target: Locator, what: string) {
  const box = await target.boundingBox();
  expect(box, `${what} is rendered`).not.toBeNull();
  expect({ width: Math.round(box!.width) >= 44, height: Math.round(box!.height) >= 44 }, `${what} is ${Math.round(box!.width)}x${Math.round(box!.height)} px`).toEqual({ width: true, height: true });
}

/** Scrolls a control into view as a person would, checks it, and taps it. */
async function tap(page: Page, target: Locator, what: string) {
  await target.scrollIntoViewIfNeeded();
  await expectInView(page, target, what);
  await expectTouchSize(target, what);
  await target.tap();
}

/** A board with three shots and two real animatic takes of the first; the sprint ends in two days. */
async function reviewBoard(e2e: E2E, owner: E2EUser, title: string) {
  const boardId = await newBoard(owner, title);
  const shots: string[] = [];
  await e2e.server.takeboard.hub.change(boardId, (d) => {
    shots.push(addShot(d, { title: 'Window', prompt: 'Mara looks out at the rain, a long slow push-in on her face', durationSec: 2, model: 'animatic' }));
    shots.push(addShot(d, { title: 'Door', prompt: 'she walks out into the street', durationSec: 2, model: 'animatic' }));
    shots.push(addShot(d, { title: 'Harbour', prompt: 'wide harbour at dawn', durationSec: 2, model: 'animatic' }));
    setMeta(d, { sprintStart: new Date(Date.now() - 86_400_000).toISOString(), sprintEnd: new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString() });
  });
  for (const seed of [1, 2]) {
    const g = await owner.client.post(`/api/boards/${boardId}/shots/${shots[0]}/generate`, { seed });
    expect(g.status, JSON.stringify(g.body)).toBe(202);
    await jobReaches(owner.client, g.body.jobId, 'succeeded', 90_000);
  }
  return { boardId, shots };
}

describeE2E('e2e: reviewing on a phone and a tablet', () => {
  const e2e = useE2E();
  const serverDoc = <T>(boardId: string, fn: (doc: import('yjs').Doc) => T) => e2e.server.takeboard.hub.read(boardId, fn);

  for (const [name, device] of DEVICES) {
    it(`${name} ${device.width}x${device.height}: open a board, read the shots, play, select, approve and comment on a take, play the sequence, see the queue and the sprint clock`, async () => {
      const owner = await e2e.newUser({ name: 'Producer' });
      const title = `Lisbon one-take on a ${name}: the long title of a long board`;
      const { boardId, shots } = await reviewBoard(e2e, owner, title);
      const director = await e2e.newUser({ name: 'Zoë Director', city: 'Porto', device });
      await share(owner, director, boardId, 'editor');
      const p = director.page;

      // The boards list: the board is a link a finger can hit.
      await p.goto(`${e2e.server.url}/`);
      const link = p.getByRole('link', { name: title });
      await link.waitFor();
      await expectNoSideScroll(p, 'boards list');
      await e2e.screenshot(p, `phone-${name}-boards`);
      await tap(p, link, 'the board link');
      await p.locator('[role="status"][data-status="online"]').waitFor();

      // The board: sprint clock and queue in view at once, shots readable, tabs in reach.
      const clock = p.getByLabel('Time left in sprint');
      const queue = p.getByLabel('Queue estimate');
      const row1 = p.getByRole('listitem', { name: 'Shot 1: Window' });
      await row1.waitFor();
      await expect.poll(() => clock.locator('.metric-value').textContent()).toMatch(/^2d [01]h$/);
      await expect.poll(() => queue.locator('.metric-value').textContent()).toMatch(/idle|done in|finishing/);
      await expectInView(p, clock, 'the sprint clock');
      await expectInView(p, queue, 'the queue');
      for (const [i, t] of ['Window', 'Door', 'Harbour'].entries()) {
        const row = p.getByRole('listitem', { name: `Shot ${i + 1}: ${t}` });
        await expectInView(p, row, `shot ${i + 1}'s row`);
        await expectInView(p, row.getByLabel(`Title of shot ${i + 1}`, { exact: true }), `shot ${i + 1}'s title`);
        await expectInView(p, row.getByLabel(`Status of shot ${i + 1}`, { exact: true }), `shot ${i + 1}'s status`);
      }
      // The prompt is there to read, not cut to nothing.
      expect((await row1.getByLabel('Prompt of shot 1').boundingBox())!.width).toBeGreaterThanOrEqual(140);
      await expectNoSideScroll(p, 'shot list');
      await e2e.screenshot(p, `phone-${name}-shots`);

      // The queue: with jobs open, its estimate opens the list of jobs, on screen.
      for (let i = 0; i < 6; i++) expect((await owner.client.post(`/api/boards/${boardId}/shots/${shots[2]}/generate`, {})).status).toBe(202);
      const eta = queue.getByRole('button', { name: /^(done in|finishing)/ });
      await eta.waitFor();
      await tap(p, eta, 'the queue estimate');
      const jobs = queue.getByRole('list', { name: 'Open jobs' });
      await jobs.getByText(/^Shot 3 · Animatic \(offline\) · (rendering|#\d+ in queue)/).first().waitFor();
      await expectInView(p, jobs, 'the open jobs');
      await expectNoSideScroll(p, 'queue list');
      await e2e.screenshot(p, `phone-${name}-queue`);
      // Closed again (or gone by itself once the queue is done), so it covers nothing.
      if (await eta.isVisible()) await eta.tap();
      await expect.poll(() => jobs.isVisible()).toBe(false);

      // The top bar's menu holds the rest (undo, members, account, log out), and fits too.
      const menu = p.getByRole('button', { name: 'Menu' });
      await tap(p, menu, 'the menu button');
      for (const b of ['Members', 'Log out']) await expectInView(p, p.getByRole('button', { name: b }), `the ${b} button`);
      await expectNoSideScroll(p, 'open menu');
      await e2e.screenshot(p, `phone-${name}-menu`);
      await tap(p, menu, 'the menu button');
      await expect.poll(() => p.getByRole('button', { name: 'Log out' }).isVisible()).toBe(false);

      // A tap on a row opens the shot as a sheet: takes first, with a way back.
      await tap(p, row1, "shot 1's row");
      const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
      await detail.waitFor();
      const back = detail.getByRole('button', { name: 'Close shot detail' });
      await expectInView(p, back, 'the back button');
      await expectTouchSize(back, 'the back button');
      const sheet = (await detail.boundingBox())!;
      expect(sheet.width).toBeGreaterThanOrEqual(device.width - 1);
      const takes = detail.getByRole('region', { name: 'Takes' });
      await expectInView(p, takes.getByRole('listitem', { name: 'Take 1: succeeded' }), 'take 1');
      await expectInView(p, clock, 'the sprint clock over the sheet');
      await expectNoSideScroll(p, 'shot sheet');

      // Play take 2: the player is as wide as the sheet and plays.
      await tap(p, takes.getByRole('button', { name: 'Open take 2' }), 'Open take 2');
      const video = takes.getByLabel('Take 2 video');
      await video.waitFor();
      await video.scrollIntoViewIfNeeded();
      await expectInView(p, video, 'the take player');
      expect((await video.boundingBox())!.width).toBeGreaterThanOrEqual(sheet.width - 40);
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
      expect(await video.evaluate((v: HTMLVideoElement) => v.controls)).toBe(true);
      // A tap on the native controls' play button (bottom left of Chromium's control bar).
      const vbox = (await video.boundingBox())!;
      await video.tap({ position: { x: 24, y: vbox.height - 48 } });
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
      await video.evaluate((v: HTMLVideoElement) => {
        v.pause();
        v.currentTime = 1.2;
      });
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => !v.seeking && v.currentTime)).toBeCloseTo(1.2, 1);
      await e2e.screenshot(p, `phone-${name}-player`);

      // Comment at the player's time: the composer is right under the player.
      const input = takes.getByPlaceholder('Comment at 0:01');
      await tap(p, input, 'the comment box');
      await input.fill('Hold on her eyes a beat longer');
      await tap(p, takes.getByRole('button', { name: 'Comment', exact: true }), 'the Comment button');
      const comment = takes.getByRole('list', { name: 'Comments on Take 2' }).getByRole('listitem').filter({ hasText: 'Hold on her eyes a beat longer' });
      await comment.waitFor();
      await expectInView(p, comment, 'the new comment');
      await expectTouchSize(comment.getByRole('button', { name: 'Go to 0:01' }), 'the comment time');
      const stored = await serverDoc(boardId, (d) => listComments(d, { shotId: shots[0]! }));
      expect(stored.map((c) => [c.text, c.atSec, c.author])).toEqual([['Hold on her eyes a beat longer', 1.2, director.user.id]]);

      // Select, then approve take 2: the card, the board and the sprint strip all say so.
      const card2 = takes.getByRole('listitem', { name: 'Take 2: succeeded' });
      await tap(p, card2.getByRole('button', { name: 'Select', exact: true }), 'Select');
      await card2.getByRole('button', { name: 'Selected', exact: true }).waitFor();
      await tap(p, card2.getByRole('button', { name: 'Approve', exact: true }), 'Approve');
      await card2.getByText('Approved by Zoë Director').waitFor();
      const take2 = await serverDoc(boardId, (d) => listTakes(d, shots[0]!).find((t: TakeView) => t.number === 2)!);
      expect(await serverDoc(boardId, (d) => getShot(d, shots[0]!))).toMatchObject({ status: 'approved', selectedTake: take2.id, approvedBy: director.user.id });
      await expect.poll(() => p.getByLabel('Shots approved').textContent()).toContain('1 / 3');
      await expectNoSideScroll(p, 'shot sheet with the player');
      await e2e.screenshot(p, `phone-${name}-approved`);

      // Back to the list.
      await back.scrollIntoViewIfNeeded();
      await tap(p, back, 'the back button');
      await expect.poll(() => detail.count()).toBe(0);
      await expectInView(p, row1, "shot 1's row after going back");

      // The sequence: its tab in reach at the bottom, Play in view, and the clip plays.
      await tap(p, p.getByRole('tab', { name: 'Sequence' }), 'the Sequence tab');
      const play = p.getByRole('button', { name: 'Play', exact: true });
      await play.waitFor();
      await tap(p, play, 'the sequence Play button');
      const shown = p.locator('.seq-video.shown');
      await expect.poll(() => shown.first().evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.3);
      await expect.poll(async () => Number(await p.locator('.seq-time').getAttribute('data-time-frames')), { timeout: 10_000 }).toBeGreaterThan(12);
      await expectInView(p, p.locator('.seq-screen'), 'the sequence screen');
      await expectInView(p, clock, 'the sprint clock on the Sequence tab');
      await expectNoSideScroll(p, 'Sequence tab');
      await e2e.screenshot(p, `phone-${name}-sequence`);
      await tap(p, p.getByRole('button', { name: 'Pause', exact: true }), 'the sequence Pause button');
      expect(appErrors(director.errors)).toEqual([]);
    }, 180_000);
  }

  it('desktop 1280x800 keeps its layout: tabs on top, the shot detail beside the list, the tools in the top bar', async () => {
    const owner = await e2e.newUser({ name: 'Producer' });
    const boardId = await newBoard(owner, 'Desktop board');
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'Window', prompt: 'Mara at the window', durationSec: 2, model: 'animatic' }));
    await openBoard(e2e, owner, boardId);
    const p = owner.page;
    const row = p.getByRole('listitem', { name: 'Shot 1: Window' });
    await row.locator('.thumb').click();
    const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
    const [tabs, main, list, side] = await Promise.all([p.getByRole('tablist'), p.locator('.board-main'), p.getByRole('region', { name: 'Shot list' }), detail].map((l) => l.boundingBox()));
    expect(tabs!.y + tabs!.height).toBeLessThanOrEqual(main!.y + 0.5);
    expect(side!.x).toBeGreaterThanOrEqual(list!.x + list!.width - 0.5);
    expect(side!.width).toBeCloseTo(380, 0);
    for (const b of ['Members', 'Log out', 'Sprint settings']) expect(await p.getByRole('button', { name: b }).isVisible()).toBe(true);
    expect(await p.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false);
    // Rows stay editable in place.
    await row.getByLabel('Title of shot 1', { exact: true }).click();
    await expect.poll(() => p.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Title of shot 1');
    await expectNoSideScroll(p, 'desktop board');
    await e2e.screenshot(p, 'phone-desktop-board');
    expect(appErrors(owner.errors)).toEqual([]);
  });
});
