/**
 * Seam scores on the Sequence tab: a chain A → B (the animatic continues A's last frame) → C (a
 * hard cut to red). B's cut shows a good seam; C's is flagged with its score and why, and one
 * click on "Regenerate downstream" queues a new take of C. On a desktop and on a phone.
 */
import { expect, it } from 'vitest';
import { addShot, listTakes, selectTake } from '../../shared/doc/index.js';
import { jobReaches } from '../generation/helpers.js';
import { hardCutRenderer } from '../seams/hard-cut-renderer.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E, until, type E2EUser } from './harness.js';

describeE2E('e2e: seam scores on the Sequence cuts', () => {
  const e2e = useE2E({ generation: { renderLocal: hardCutRenderer() } });

  async function take(u: E2EUser, boardId: string, shotId: string, seed: number): Promise<void> {
    const g = await u.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, { seed });
    expect(g.status, JSON.stringify(g.body)).toBe(202);
    await jobReaches(u.client, g.body.jobId, 'succeeded', 90_000);
    await e2e.server.takeboard.hub.change(boardId, (d) => selectTake(d, shotId, g.body.takeId));
  }
  const jobsOf = async (u: E2EUser, boardId: string, shotId: string) =>
    ((await u.client.get(`/api/boards/${boardId}/jobs`)).body as { shotId: string }[]).filter((j) => j.shotId === shotId).length;

  it('flags the hard cut with its score and why, and regenerates the downstream shot in one click', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const ben = await e2e.newUser({ name: 'Ben', device: { width: 390, height: 844, touch: true } });
    const boardId = await newBoard(ana, 'Seams');
    await share(ana, ben, boardId, 'editor');
    const ids = { a: '', b: '', c: '' };
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      ids.a = addShot(d, { title: 'Window', prompt: 'Mara at the window', durationSec: 2, model: 'animatic' });
      ids.b = addShot(d, { title: 'Door', prompt: 'she walks to the door', durationSec: 2, model: 'animatic', continuesFrom: ids.a });
      ids.c = addShot(d, { title: 'Red room', prompt: 'HARD CUT to a red room', durationSec: 2, model: 'animatic', continuesFrom: ids.b });
    });
    await take(ana, boardId, ids.a, 1);
    await take(ana, boardId, ids.b, 2);
    await take(ana, boardId, ids.c, 3);

    await openBoard(e2e, ana, boardId);
    await ana.page.getByRole('tab', { name: 'Sequence' }).click();
    const seam = (shotId: string) => ana.page.locator(`.seam[data-seam-shot-id="${shotId}"]`);
    // Scored in the background: the rows say so, then show the score without a reload.
    await ana.page.locator(`.seam[data-seam-shot-id="${ids.c}"][data-seam-bad="true"]`).waitFor({ timeout: 60_000 });
    await ana.page.locator(`.seam[data-seam-shot-id="${ids.b}"][data-seam-status="scored"]`).waitFor({ timeout: 60_000 });
    expect(await seam(ids.a).count()).toBe(0);
    expect(await seam(ids.b).getAttribute('data-seam-bad')).toBe('false');
    expect(await seam(ids.b).locator('.seam-badge').innerText()).toMatch(/^Seam holds 0\.\d\d$/);
    const bad = await seam(ids.c).locator('.seam-badge').innerText();
    expect(bad).toMatch(/^Bad seam 0\.\d\d: .*colour jump/);
    await e2e.screenshot(ana.page, 'seams-desktop');

    // Ben, on a phone, sees the same flag; the one click is big enough for a thumb.
    await openBoard(e2e, ben, boardId);
    await ben.page.getByRole('tab', { name: 'Sequence' }).click();
    const benSeam = ben.page.locator(`.seam[data-seam-shot-id="${ids.c}"][data-seam-bad="true"]`);
    await benSeam.waitFor();
    await benSeam.scrollIntoViewIfNeeded();
    const box = (await benSeam.getByRole('button', { name: 'Regenerate downstream' }).boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await e2e.screenshot(ben.page, 'seams-phone');

    expect(await jobsOf(ana, boardId, ids.c)).toBe(1);
    await seam(ids.c).getByRole('button', { name: 'Regenerate downstream' }).click();
    await seam(ids.c).getByRole('button', { name: 'New take queued' }).waitFor();
    await until(async () => (await jobsOf(ana, boardId, ids.c)) === 2, 'a second job for the downstream shot');
    // Through the ordinary generate path: a take of C, continuing from B's selected take.
    await until(async () => (await e2e.server.takeboard.hub.read(boardId, (d) => listTakes(d, ids.c))).length === 2, 'the new take on the board');
    await e2e.screenshot(ana.page, 'seams-regenerated-desktop');
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(ben.errors)).toEqual([]);
  }, 300_000);
});
