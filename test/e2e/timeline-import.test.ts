/**
 * Bringing an edit back, as two teammates: Ana (owner) imports the OTIO her editor changed (a new
 * order, a trimmed take, a shot taken out, a dissolve, a stock clip), reads the differences, accepts
 * part and then the rest; Ben (viewer) watches his Sequence tab follow each acceptance. A broken
 * file is refused in words with its line; a phone shows the review without sideways scrolling.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { addShot, listTakes, selectTake, shotsInOrder } from '../../shared/doc/index.js';
import { planOf } from '../export/helpers.js';
import { jobReaches } from '../generation/helpers.js';
import { appErrors, describeE2E, newBoard, openBoard, share, until, useE2E, type E2EUser } from './harness.js';

/** What a page's Sequence tab shows, from the cut elements' data attributes. */
function shownCuts(page: Page) {
  return page.locator('.seq-cut').evaluateAll((els) => els.map((el) => {
    const d = (el as HTMLElement).dataset;
    return { shotId: d.shotId, inFrame: Number(d.inFrame), frames: Number(d.frames), fade: Number(d.transitionFrames), trimmed: d.trimmed === 'true' };
  }));
}

describeE2E('e2e: bringing an edit back from the edit suite', () => {
  const e2e = useE2E();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-edit-'));

  it('shows the differences, accepts part then the rest, and a teammate’s Sequence follows', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const ben = await e2e.newUser({ name: 'Ben' });
    const boardId = await newBoard(ana, 'Harbour cut');
    await share(ana, ben, boardId, 'viewer');
    const ids = { a: '', b: '', c: '' };
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      ids.a = addShot(d, { title: 'Window', prompt: 'Mara at the window', durationSec: 2, model: 'animatic' });
      ids.b = addShot(d, { title: 'Stairs', prompt: 'she runs down the stairs', durationSec: 2, model: 'animatic' });
      ids.c = addShot(d, { title: 'Harbour', prompt: 'wide harbour at dawn', durationSec: 2, model: 'animatic' });
    });
    for (const [n, shot] of [ids.a, ids.b, ids.c].entries()) {
      const g = await ana.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, { seed: n + 1 });
      expect(g.status, JSON.stringify(g.body)).toBe(202);
      await jobReaches(ana.client, g.body.jobId, 'succeeded', 90_000);
      await e2e.server.takeboard.hub.change(boardId, (d) => selectTake(d, shot, g.body.takeId));
    }
    const serverPlan = () => e2e.server.takeboard.hub.read(boardId, planOf);

    // The editor's change: Harbour opens (its last 12 frames the dissolve's handle), Window follows
    // trimmed to 6..40 through a 12-frame dissolve, Stairs is gone, a stock clip closes the cut.
    const exported = (await ana.client.get(`/api/boards/${boardId}/export/timeline.otio`)).body;
    const otio = typeof exported === 'string' ? JSON.parse(exported) : exported;
    const track = otio.tracks.children[0];
    const clip = (shot: string) => track.children.find((x: any) => x.metadata.takeboard.shotId === shot);
    const rt = (value: number) => ({ OTIO_SCHEMA: 'RationalTime.1', rate: 24, value });
    const range = (start: number, duration: number) => ({ OTIO_SCHEMA: 'TimeRange.1', start_time: rt(start), duration: rt(duration) });
    const harbour = { ...clip(ids.c), source_range: range(0, 36) };
    const windowClip = { ...clip(ids.a), source_range: range(6, 34) };
    const dissolve = { OTIO_SCHEMA: 'Transition.1', metadata: {}, name: 'Cross Dissolve', in_offset: rt(0), out_offset: rt(12), transition_type: 'SMPTE_Dissolve' };
    const stock = { OTIO_SCHEMA: 'Clip.2', metadata: {}, name: 'Stock gulls', source_range: range(0, 24), media_references: {}, active_media_reference_key: 'DEFAULT_MEDIA' };
    track.children = [harbour, dissolve, windowClip, stock];
    const edited = path.join(tmp, 'harbour-edit-v2.otio');
    fs.writeFileSync(edited, JSON.stringify(otio, null, 2));
    const broken = path.join(tmp, 'broken.fcpxml');
    fs.writeFileSync(broken, '<?xml version="1.0"?>\n<!DOCTYPE fcpxml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<fcpxml>&x;</fcpxml>\n');

    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, ben, boardId);
    for (const u of [ana, ben]) await u.page.getByRole('tab', { name: 'Sequence' }).click();
    const matches = async (u: E2EUser) => {
      const plan = await serverPlan();
      return JSON.stringify(await shownCuts(u.page)) === JSON.stringify(plan.cuts.map((c) => ({
        shotId: c.shotId, inFrame: c.inFrame, frames: c.frames, fade: c.transition.kind === 'crossfade' ? c.transition.frames : 0, trimmed: c.kind === 'take' && c.trimmed === true,
      })));
    };
    await until(() => matches(ben), 'Ben’s Sequence to show the board’s plan');
    // A viewer has nothing to import with.
    expect(await ben.page.getByRole('region', { name: 'Bring an edit back' }).count()).toBe(0);

    // A file that is not a timeline of ours is refused in words, naming its line.
    const picker = ana.page.getByLabel('Timeline file to import');
    await picker.setInputFiles(broken);
    await ana.page.getByRole('alert').filter({ hasText: 'This FCPXML file cannot be read (line 2): a DOCTYPE with an internal subset (entity declarations are not allowed)' }).waitFor();

    // The differences, each with a box; the stock clip listed, never matched.
    await picker.setInputFiles(edited);
    const review = ana.page.getByRole('region', { name: 'Changes in harbour-edit-v2.otio' });
    await review.waitFor();
    const changeIds = await review.locator('[data-change-id]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.changeId));
    expect(changeIds.sort()).toEqual(['order', `remove:${ids.b}`, `transition:${ids.a}`, `trim:${ids.a}`].sort());
    await expect(review.getByRole('list', { name: 'Clips not matched' }).textContent()).resolves.toMatch(/Stock gulls \(track 1, item 4\): it carries no Takeboard ids/);
    await review.getByText('Window, take #1: in 0s 0f → 0s 6f, out 2s 0f → 1s 16f').waitFor();
    await review.getByText('New order: Harbour, Window (was Window, Harbour)').waitFor();
    await e2e.screenshot(ana.page, 'timeline-import-desktop');
    // Looking changed nothing.
    expect((await serverPlan()).cuts.map((c) => c.shotId)).toEqual([ids.a, ids.b, ids.c]);

    // Accept all but taking Stairs out.
    await review.locator(`[data-change-id="remove:${ids.b}"] input`).uncheck();
    await review.getByRole('button', { name: 'Accept selected (3)' }).click();
    // Stairs, not in the file and kept, holds its place between the shots the file moved.
    await until(async () => (await serverPlan()).cuts.map((c) => c.shotId).join() === [ids.c, ids.b, ids.a].join(), 'the accepted order stored');
    await until(() => matches(ben), 'Ben’s Sequence to follow the accepted edit');
    expect(await shownCuts(ben.page)).toEqual([
      { shotId: ids.c, inFrame: 0, frames: 48, fade: 0, trimmed: false },
      { shotId: ids.b, inFrame: 0, frames: 48, fade: 0, trimmed: false },
      { shotId: ids.a, inFrame: 6, frames: 34, fade: 12, trimmed: true },
    ]);
    await ben.page.locator(`.seq-cut[data-shot-id="${ids.a}"] .seq-cut-trim`).waitFor();
    // What is left to accept stays on Ana's screen.
    await until(async () => (await review.locator('[data-change-id]').count()) === 1, 'only the left-out change to remain');

    await review.getByRole('button', { name: 'Accept all' }).click();
    await review.waitFor({ state: 'detached' });
    await until(() => matches(ben), 'Ben’s Sequence without Stairs');
    expect((await shownCuts(ben.page)).map((c) => c.shotId)).toEqual([ids.c, ids.a]);
    const benLeftOut = ben.page.getByRole('group', { name: 'Left out of the sequence' });
    await benLeftOut.getByText('#2 Stairs').waitFor();
    expect(await benLeftOut.getByRole('button', { name: 'Put back' }).count()).toBe(0);
    await e2e.screenshot(ben.page, 'timeline-import-teammate-desktop');

    // Ana puts Stairs back; then on a phone the same file shows it as a difference again.
    await ana.page.getByRole('group', { name: 'Left out of the sequence' }).getByRole('button', { name: 'Put back' }).click();
    await until(async () => (await e2e.server.takeboard.hub.read(boardId, (d) => shotsInOrder(d))).every((s) => !s.leftOut), 'Stairs back in');
    await until(() => matches(ben), 'Ben’s Sequence with Stairs again');
    const p = ana.page;
    await p.setViewportSize({ width: 390, height: 844 });
    await picker.setInputFiles(edited);
    const again = p.getByRole('region', { name: 'Changes in harbour-edit-v2.otio' });
    await again.waitFor();
    expect(await again.locator('[data-change-id]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.changeId))).toEqual([`remove:${ids.b}`]);
    // The earlier acceptances' notices have gone, so the buttons are in view for the picture.
    await until(async () => (await p.locator('.toast').count()) === 0, 'the notices to go', 15_000);
    await again.getByRole('button', { name: 'Discard' }).scrollIntoViewIfNeeded();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await e2e.screenshot(p, 'timeline-import-phone');
    expect(await listTakesCount()).toBe(3);
    expect(appErrors(ana.errors).filter((e) => !/status of 400/.test(e))).toEqual([]);
    expect(appErrors(ben.errors)).toEqual([]);

    function listTakesCount() {
      return e2e.server.takeboard.hub.read(boardId, (d) => [ids.a, ids.b, ids.c].reduce((n, s) => n + listTakes(d, s).length, 0));
    }
  }, 240_000);
});
