import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addReferenceVersion, addShot, assignReference, createReference, listTakes, shotsInOrder } from '../../shared/doc/index.js';
import { makeAnimaticFixtures, type AnimaticFixtures } from '../animatic/helpers.js';
import { appErrors, describeE2E, newBoard, openBoard, share, startE2E, type E2E, type E2EUser } from './harness.js';

/** The currentTime of every video in the comparison, read in one go (same instant). */
const times = (p: Page) => p.evaluate(() => [...document.querySelectorAll<HTMLVideoElement>('.compare-wrap video')].map((v) => v.currentTime));

describeE2E('e2e: takes you can tell apart, references honoured or said', () => {
  let e2e: E2E;
  let fx: AnimaticFixtures;
  beforeAll(async () => {
    [e2e, fx] = await Promise.all([startE2E(), makeAnimaticFixtures()]);
  }, 60_000);
  afterAll(() => Promise.all([e2e?.close(), fx?.cleanup()]));
  const doc = <T>(boardId: string, fn: (d: import('yjs').Doc) => T) => e2e.server.takeboard.hub.read(boardId, fn);

  async function upload(u: E2EUser, boardId: string): Promise<string> {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(fs.readFileSync(fx.start))]), 'mara.png');
    const res = await u.client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it('says what text mode leaves out before queueing; two teammates\' takes carry number, author and seed; details show what was sent; compare plays in sync and fits a phone', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const kenji = await e2e.newUser({ name: 'Kenji' });
    const boardId = await newBoard(ana, 'Takes');
    await share(ana, kenji, boardId, 'editor');
    const png = await upload(ana, boardId);
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      const mara = createReference(d, { kind: 'character', name: 'Mara' });
      addReferenceVersion(d, mara, { beat: 'Act 1', assets: [png] });
      const alley = createReference(d, { kind: 'location', name: 'Alley plate' });
      addReferenceVersion(d, alley, { beat: 'Night', assets: [png] });
      const shot = addShot(d, { title: 'Window', prompt: 'Mara looks out at the rain', mode: 'text', model: 'animatic', durationSec: 4 });
      assignReference(d, shot, mara);
      assignReference(d, shot, alley);
    });
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);

    // Before queueing, text mode says both references are left out and why.
    const p = ana.page;
    await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
    const left = detail.getByRole('list', { name: 'Left out' });
    await left.getByText("'Mara': text mode sends no references").waitFor();
    await left.getByText("'Alley plate': text mode sends no references").waitFor();
    await e2e.screenshot(p, 'takes-text-mode-left-out');
    // Switching to reference mode sends them instead, live.
    await detail.getByRole('radio', { name: 'reference' }).check();
    const willSend = detail.getByRole('list', { name: 'Will send' });
    await willSend.getByText('Alley plate').waitFor();
    await willSend.getByText('Mara').waitFor();
    await expect.poll(() => left.count()).toBe(0);
    await e2e.screenshot(p, 'takes-reference-mode-will-send');

    // Two takes of the shot: one queued by each teammate.
    await detail.getByRole('button', { name: 'Generate' }).click();
    const kp = kenji.page;
    await kp.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const kDetail = kp.getByRole('complementary', { name: 'Shot 1 detail' });
    const kTakes = kDetail.getByRole('region', { name: 'Takes' });
    await kTakes.getByRole('listitem', { name: /^Take 1: / }).waitFor();
    await kDetail.getByRole('button', { name: 'Generate' }).click();
    for (const n of [1, 2]) await kTakes.getByRole('listitem', { name: `Take ${n}: succeeded` }).waitFor({ timeout: 60_000 });

    const shotId = await doc(boardId, (d) => shotsInOrder(d)[0]!.id);
    const takes = await doc(boardId, (d) => listTakes(d, shotId));
    const byNumber = [1, 2].map((n) => takes.find((t) => t.number === n)!);
    expect(byNumber.map((t) => t.createdBy)).toEqual([ana.user.id, kenji.user.id]);
    expect(byNumber[0]!.seed).not.toBe(byNumber[1]!.seed);
    for (const [i, who] of [[0, 'Ana'], [1, 'Kenji']] as const) {
      const card = kTakes.getByRole('listitem', { name: `Take ${i + 1}: succeeded` });
      expect(await card.locator('.take-no').textContent()).toBe(`#${i + 1}`);
      expect(await card.locator('.take-author').textContent()).toBe(who);
      expect(await card.locator('.take-seed').textContent()).toBe(`seed ${byNumber[i]!.seed}`);
      expect(await card.locator('.take-model').textContent()).toBe('Animatic (offline)');
      expect(await card.locator('time').getAttribute('title')).toBeTruthy();
    }

    // Details open on click (not hover) and show the prompt and references actually sent, with stills.
    const card1 = kTakes.getByRole('listitem', { name: 'Take 1: succeeded' });
    await card1.getByRole('button', { name: 'Details' }).click();
    const sent = card1.getByLabel('What Take 1 was sent');
    await sent.locator('.take-prompt').getByText('Mara looks out at the rain').waitFor();
    await sent.getByRole('list', { name: 'Sent' }).getByText('Alley plate').waitFor();
    const maraStill = sent.getByRole('img', { name: 'Mara: image' });
    await expect.poll(() => maraStill.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await e2e.screenshot(kp, 'takes-cards-details');
    await card1.getByRole('button', { name: 'Hide details' }).press('Enter');
    await expect.poll(() => card1.getByLabel('What Take 1 was sent').count()).toBe(0);

    // Compare: one control plays both in step, and a seek moves both.
    await kTakes.getByRole('button', { name: 'Open take 1' }).click();
    await kTakes.getByRole('button', { name: 'Open take 2' }).click();
    const compare = kTakes.getByLabel('Compare takes');
    await compare.scrollIntoViewIfNeeded();
    await expect.poll(() => kp.evaluate(() => [...document.querySelectorAll<HTMLVideoElement>('.compare-wrap video')].filter((v) => v.readyState >= 3).length)).toBe(2);
    await compare.getByRole('button', { name: 'Play both' }).click();
    await expect.poll(async () => Math.min(...(await times(kp))), { timeout: 5000 }).toBeGreaterThan(0.6);
    // Two reads of currentTime are two moments: poll, so one late frame is not a failure.
    const drift = async () => {
      const [x, y] = await times(kp);
      return Math.abs(x! - y!);
    };
    await expect.poll(drift, { timeout: 2000 }).toBeLessThan(0.1);
    // A video that falls out of step (a stall, a decoder hiccup) is pulled back onto the other.
    await kp.evaluate(() => {
      const v = document.querySelectorAll<HTMLVideoElement>('.compare-wrap video')[1]!;
      v.currentTime += 0.8;
    });
    await expect.poll(async () => {
      const [x, y] = await times(kp);
      return Math.abs(x! - y!);
    }, { timeout: 1000 }).toBeLessThan(0.1);
    await compare.getByRole('button', { name: 'Pause both' }).click();
    await compare.getByRole('slider', { name: 'Seek both' }).fill('0.5');
    await expect.poll(async () => (await times(kp)).map((t) => Math.abs(t - 0.5) < 0.05)).toEqual([true, true]);
    await expect.poll(() => kp.evaluate(() => [...document.querySelectorAll<HTMLVideoElement>('.compare-wrap video')].every((v) => !v.seeking && v.readyState >= 2))).toBe(true);
    await e2e.screenshot(kp, 'takes-compare-1280');

    // At phone width the comparison fits its panel: no horizontal scroll, both videos visible.
    await kp.setViewportSize({ width: 390, height: 844 });
    await compare.scrollIntoViewIfNeeded();
    const fit = await compare.evaluate((el) => {
      const panel = el.closest('.detail')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      const vids = [...el.querySelectorAll('video')].map((v) => v.getBoundingClientRect());
      return {
        inside: box.left >= panel.left - 0.5 && box.right <= panel.right + 0.5,
        overflow: el.scrollWidth - el.clientWidth,
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        videos: vids.map((v) => v.right <= box.right + 0.5 && v.width > 100),
      };
    });
    expect(fit).toEqual({ inside: true, overflow: 0, page: 0, videos: [true, true] });
    await e2e.screenshot(kp, 'takes-compare-390');
    await compare.getByRole('button', { name: 'Play both' }).click();
    await expect.poll(async () => Math.min(...(await times(kp))), { timeout: 5000 }).toBeGreaterThan(0.9);
    await expect.poll(drift, { timeout: 2000 }).toBeLessThan(0.1);
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 120_000);
});
