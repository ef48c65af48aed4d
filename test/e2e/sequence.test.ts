/**
 * The Sequence tab plays the shared plan, live for every teammate, and the MP4 the page downloads
 * is that plan: two people, a chain (A → B), a shot without a take (slate) and a plain shot.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { addShot, getShot, listTakes, selectTake, type TakeView } from '../../shared/doc/index.js';
import type { SequencePlan } from '../../shared/sequence/plan.js';
import { planOf, probeVideo } from '../export/helpers.js';
import { jobReaches } from '../generation/helpers.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E, until, type E2E, type E2EUser } from './harness.js';

/** What a page's Sequence tab shows of its plan, read from the cut elements' data attributes. */
async function shownPlan(page: Page) {
  return page.locator('.seq-cut').evaluateAll((els) => els.map((el) => {
    const d = (el as HTMLElement).dataset;
    return { shotId: d.shotId, kind: d.kind, recordIn: Number(d.recordIn), frames: Number(d.frames), inFrame: Number(d.inFrame), transition: d.transition, fade: Number(d.transitionFrames) };
  }));
}

const expected = (plan: SequencePlan) => plan.cuts.map((c) => ({
  shotId: c.shotId, kind: c.kind, recordIn: c.recordIn, frames: c.frames, inFrame: c.inFrame, transition: c.transition.kind, fade: c.transition.kind === 'crossfade' ? c.transition.frames : 0,
}));

describeE2E('e2e: the Sequence tab plays the plan the export writes', () => {
  const e2e = useE2E();
  const serverDoc = <T>(boardId: string, fn: (doc: import('yjs').Doc) => T) => e2e.server.takeboard.hub.read(boardId, fn);

  /** Generates a take of `shotId` as `u` with the animatic provider; selects it when asked (server side). */
  async function take(u: E2EUser, boardId: string, shotId: string, seed: number, select: boolean): Promise<TakeView> {
    const g = await u.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, { seed });
    expect(g.status, JSON.stringify(g.body)).toBe(202);
    await jobReaches(u.client, g.body.jobId, 'succeeded', 90_000);
    const t = (await serverDoc(boardId, (d) => listTakes(d, shotId))).find((x) => x.id === g.body.takeId)!;
    if (select) await e2e.server.takeboard.hub.change(boardId, (d) => selectTake(d, shotId, t.id));
    return t;
  }

  it('updates for a teammate when a take or the crossfade changes; the player cuts where the plan does; the download has its length', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const ben = await e2e.newUser({ name: 'Ben' });
    const boardId = await newBoard(ana, 'One take');
    await share(ana, ben, boardId, 'editor');
    const ids = { a: '', b: '', c: '', d: '' };
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      ids.a = addShot(d, { title: 'Window', prompt: 'Mara at the window', durationSec: 2, model: 'animatic' });
      ids.b = addShot(d, { title: 'Door', prompt: 'she walks out', durationSec: 2, model: 'animatic', continuesFrom: ids.a });
      ids.c = addShot(d, { title: 'Street', prompt: 'rain on the street', durationSec: 1.5, model: 'animatic' });
      ids.d = addShot(d, { title: 'Harbour', prompt: 'wide harbour at dawn', durationSec: 2, model: 'animatic' });
    });
    const a1 = await take(ana, boardId, ids.a, 1, true);
    await take(ana, boardId, ids.b, 2, true);
    await take(ana, boardId, ids.d, 4, true);
    const a2 = await take(ana, boardId, ids.a, 3, false);

    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, ben, boardId);
    for (const u of [ana, ben]) await u.page.getByRole('tab', { name: 'Sequence' }).click();
    const plan = () => serverDoc(boardId, planOf);
    const matches = async (u: E2EUser) => JSON.stringify(await shownPlan(u.page)) === JSON.stringify(expected(await plan()));
    await until(() => matches(ben), 'Ben’s Sequence to show the board’s plan');
    expect((await plan()).cuts.map((c) => [c.kind, c.transition.kind])).toEqual([['take', 'cut'], ['take', 'cut'], ['slate', 'cut'], ['take', 'cut']]);

    // Ana sets a crossfade in the export panel: it is the board's, so Ben's player follows.
    await ana.page.getByLabel('Crossfade at chain cuts, seconds').fill('9');
    await ana.page.getByLabel('Crossfade at chain cuts, seconds').press('Enter');
    await ana.page.getByRole('alert').filter({ hasText: 'Crossfade: 0–2 s (0 for hard cuts)' }).waitFor();
    expect((await plan()).options.crossfadeSec).toBe(0);
    await ana.page.getByLabel('Crossfade at chain cuts, seconds').fill('0.5');
    await ana.page.getByLabel('Crossfade at chain cuts, seconds').press('Enter');
    await until(async () => (await plan()).cuts[1]!.transition.kind === 'crossfade', 'the crossfade stored');
    await until(() => matches(ben), 'Ben’s Sequence to show the crossfade');
    expect((await shownPlan(ben.page))[1]).toMatchObject({ transition: 'crossfade', fade: 12, recordIn: 36 });
    // And trims what the chained shot repeats (one frame: its tail came in as the start frame).
    await ana.page.getByLabel('Trim what a chained shot repeats from its source').check();
    await until(async () => (await plan()).cuts[1]!.inFrame === 1, 'the trim stored');
    await until(() => matches(ben), 'Ben’s Sequence to show the trim');
    expect((await shownPlan(ben.page))[1]).toMatchObject({ inFrame: 1, frames: 47, recordIn: 36 });
    await e2e.screenshot(ben.page, 'sequence-desktop');

    // The player: every cut starts where the plan says. A take shows its clip at the cut's source
    // in point; a slate shows its card.
    const p = ben.page;
    const current = await plan();
    const fps = current.rate.value;
    for (const [i, c] of current.cuts.entries()) {
      await p.locator(`.seq-cut[data-cut-index="${i}"]`).click();
      await p.locator(`.seq-player[data-current-cut="${i}"]`).waitFor();
      expect(Number(await p.locator('.seq-time').getAttribute('data-time-frames'))).toBe(c.recordIn);
      if (c.kind === 'slate') {
        await p.locator(`.seq-slate[data-slate-shot-id="${c.shotId}"]`).waitFor();
        expect(await p.locator('.seq-video.shown').count()).toBe(0);
        await e2e.screenshot(p, 'sequence-slate');
      } else {
        const v = p.locator(`.seq-video.shown[data-cut-index="${i}"]`);
        await v.waitFor();
        await until(async () => Math.abs((await v.evaluate((el: HTMLVideoElement) => el.currentTime)) - c.inFrame / fps) < 0.5 / fps, `cut ${i} at its in point`);
        expect(await p.locator('.seq-slate').count()).toBe(0);
      }
    }
    // Playing over a cut: the next cut comes on screen when the clock reaches its record-in.
    // Playing into the crossfade: both clips on screen at once, from the incoming cut's record-in.
    await p.locator('.seq-cut[data-cut-index="0"]').click();
    const overlap = await p.evaluate(() => new Promise<{ at: number; opacity: number }>((resolve) => {
      const check = () => {
        const shown = document.querySelectorAll<HTMLVideoElement>('.seq-video.shown');
        if (shown.length < 2) return void requestAnimationFrame(check);
        const incoming = [...shown].find((v) => v.dataset.cutIndex === '1')!;
        resolve({ at: Number(document.querySelector('.seq-time')!.getAttribute('data-time-frames')), opacity: Number(incoming.style.opacity) });
      };
      [...document.querySelectorAll<HTMLButtonElement>('.seq-controls button')].find((x) => x.textContent === 'Play')!.click();
      check();
    }));
    const fadeCut = current.cuts[1]!;
    expect(overlap.at).toBeGreaterThanOrEqual(fadeCut.recordIn);
    expect(overlap.at).toBeLessThan(fadeCut.recordIn + (fadeCut.transition.kind === 'crossfade' ? fadeCut.transition.frames : 0));
    expect(overlap.opacity).toBeLessThan(1);
    await p.getByRole('button', { name: 'Pause' }).click();

    // Read in the page, at the moment the player switches, not after a round trip.
    await p.locator('.seq-cut[data-cut-index="1"]').click();
    const reached = await p.evaluate(() => new Promise<number>((resolve) => {
      const root = document.querySelector('.seq-player')!;
      const obs = new MutationObserver(() => {
        if (root.getAttribute('data-current-cut') !== '2') return;
        obs.disconnect();
        resolve(Number(document.querySelector('.seq-time')!.getAttribute('data-time-frames')));
      });
      obs.observe(root, { attributes: true, attributeFilter: ['data-current-cut'] });
      [...document.querySelectorAll<HTMLButtonElement>('.seq-controls button')].find((x) => x.textContent === 'Play')!.click();
    }));
    expect(reached).toBeGreaterThanOrEqual(current.cuts[2]!.recordIn);
    expect(reached).toBeLessThanOrEqual(current.cuts[2]!.recordIn + 1);
    await p.locator(`.seq-slate[data-slate-shot-id="${ids.c}"]`).waitFor();
    await p.getByRole('button', { name: 'Pause' }).click();

    // Ana selects the other take of the first shot: the chain join is gone for Ben (cut, no crossfade).
    await ana.page.getByRole('tab', { name: 'Shots' }).click();
    await ana.page.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = ana.page.getByRole('complementary', { name: 'Shot 1 detail' });
    await detail.getByRole('button', { name: 'Select', exact: true }).click();
    await until(async () => (await serverDoc(boardId, (d) => getShot(d, ids.a)?.selectedTake)) === a2.id, 'the new selection stored');
    await until(() => matches(ben), 'Ben’s Sequence to drop the chain join');
    expect((await shownPlan(ben.page))[1]).toMatchObject({ transition: 'cut', fade: 0 });
    expect(a1.id).not.toBe(a2.id);

    // The MP4 Ana downloads has the plan's length, within a frame.
    await ana.page.getByRole('tab', { name: 'Sequence' }).click();
    const exportPanel = ana.page.getByRole('region', { name: 'Export' });
    await exportPanel.getByRole('button', { name: 'Build sequence' }).click();
    const link = exportPanel.getByRole('link', { name: 'Download sequence.mp4' });
    await link.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([ana.page.waitForEvent('download'), link.click()]);
    const file = (await download.path())!;
    const video = await probeVideo(file);
    const final = await plan();
    expect(Math.abs(video.durationSec - final.frames / fps)).toBeLessThanOrEqual(1 / fps);
    expect(video.frames).toBe(final.frames);
    fs.rmSync(file, { force: true });

    // Phone: the Sequence fits 390 px without sideways scrolling.
    await p.setViewportSize({ width: 390, height: 844 });
    await p.locator('.seq-cut').first().waitFor();
    expect(await p.evaluate(() => document.querySelector('.sequence')!.scrollWidth <= document.querySelector('.sequence')!.clientWidth)).toBe(true);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await e2e.screenshot(p, 'sequence-phone');
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(ben.errors)).toEqual([]);
  }, 240_000);
});
