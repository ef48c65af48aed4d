/**
 * "Regenerate from note" as two teammates use it: a reviewer (commenter, on a phone) leaves a
 * note on a take; the owner (desktop) sees the button, checks the prompt to send, queues it; the
 * reviewer, who has no such button, sees "→ take 2" appear under their note and follows it to the
 * new take, which says which note it answers.
 */
import { expect, it } from 'vitest';
import { addComment, addShot, listTakes, shotsInOrder } from '../../shared/doc/index.js';
import { jobReaches } from '../generation/helpers.js';
import { appErrors, describeE2E, newBoard, openBoard, share, until, useE2E } from './harness.js';

describeE2E('e2e: regenerate from a review note', () => {
  const e2e = useE2E();

  it('the owner queues a take from a reviewer’s note; the reviewer sees the link appear and follows it', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const rae = await e2e.newUser({ name: 'Rae', device: { width: 390, height: 844, touch: true } });
    const boardId = await newBoard(ana, 'Review notes');
    await share(ana, rae, boardId, 'commenter');
    const hub = e2e.server.takeboard.hub;
    await hub.change(boardId, (d) => void addShot(d, { title: 'Rooftop', prompt: 'she climbs onto the roof at dusk', mode: 'text', model: 'animatic', durationSec: 2 }));
    const shotId = await hub.read(boardId, (d) => shotsInOrder(d)[0]!.id);
    const first = await ana.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
    await jobReaches(ana.client, first.body.jobId, 'succeeded', 60_000);
    await hub.change(boardId, (d) => void addComment(d, { shotId, takeId: first.body.takeId, atSec: 1, author: rae.user.id, text: 'Warmer light on her face' }));

    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, rae, boardId);
    const openTake1 = async (page: typeof ana.page) => {
      await page.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
      await page.getByRole('button', { name: 'Open take 1' }).click();
      return page.getByRole('list', { name: 'Comments on Take 1' }).getByRole('listitem').filter({ hasText: 'Warmer light on her face' });
    };
    const raeNote = await openTake1(rae.page);
    const anaNote = await openTake1(ana.page);

    // A commenter writes notes but does not spend: no button for Rae.
    await raeNote.waitFor();
    expect(await raeNote.getByRole('button', { name: 'Regenerate from note' }).count()).toBe(0);

    // Ana sees what will be sent before anything is queued.
    await anaNote.getByRole('button', { name: 'Regenerate from note' }).click();
    const dialog = ana.page.getByRole('dialog', { name: 'Regenerate from note' });
    await dialog.waitFor();
    expect(await dialog.locator('.note-prompt').textContent()).toBe('she climbs onto the roof at dusk\n\nReview note to apply: "Warmer light on her face"');
    await dialog.getByText('$0.00').waitFor();
    await e2e.screenshot(ana.page, 'review-note-confirm-desktop');
    // An ordinary step the editor chose, priced: not styled as a destructive one.
    expect(await dialog.getByRole('button', { name: 'Queue the take' }).getAttribute('class')).toBe('primary');
    await dialog.getByRole('button', { name: 'Queue the take' }).click();

    // The link appears for both, Rae included (it is read from the take the server wrote).
    await anaNote.getByRole('link', { name: /→ take 2/ }).waitFor();
    const raeLink = raeNote.getByRole('link', { name: /→ take 2/ });
    await raeLink.waitFor();
    await raeLink.scrollIntoViewIfNeeded();
    await e2e.screenshot(rae.page, 'review-note-link-appears-phone');
    const take2 = await hub.read(boardId, (d) => listTakes(d, shotId).find((t) => t.number === 2)!);
    expect(take2.answers).toBeDefined();
    expect(take2.createdBy).toBe(ana.user.id);
    // The take card says which note it answers.
    const card = ana.page.getByRole('listitem', { name: /^Take 2: / });
    await card.locator('.take-answers').getByText("Answers Rae's note at 0:01: “Warmer light on her face”").waitFor();
    await until(async () => (await hub.read(boardId, (d) => listTakes(d, shotId).find((t) => t.id === take2.id)?.status)) === 'succeeded', 'take 2 rendered', 60_000);
    await ana.page.getByRole('listitem', { name: 'Take 2: succeeded' }).waitFor({ timeout: 30_000 });
    await e2e.screenshot(ana.page, 'review-note-linked-desktop');

    // Rae follows the link: take 2 opens, and it names the note it answers.
    await raeLink.click();
    await rae.page.locator('figure.player figcaption', { hasText: 'Take 2' }).waitFor();
    const answers = rae.page.getByRole('listitem', { name: /^Take 2: / }).locator('.take-answers');
    await answers.getByText("Answers Rae's note at 0:01").waitFor();
    await answers.scrollIntoViewIfNeeded();
    await e2e.screenshot(rae.page, 'review-note-linked-phone');

    // On a phone-wide screen the editor's dialog fits, the prompt wrapping inside it.
    await ana.page.setViewportSize({ width: 390, height: 844 });
    const again = ana.page.getByRole('list', { name: 'Comments on Take 1' }).getByRole('button', { name: 'Regenerate from note' });
    await again.scrollIntoViewIfNeeded();
    await again.click();
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await e2e.screenshot(ana.page, 'review-note-confirm-phone');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await hub.read(boardId, (d) => listTakes(d, shotId).length)).toBe(2);
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(rae.errors)).toEqual([]);
  }, 150_000);
});
