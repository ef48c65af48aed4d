import { expect, it } from 'vitest';
import { addShot, listComments, listTakes, selectTake } from '../../shared/doc/index.js';
import { jobReaches } from '../generation/helpers.js';
import { appErrors, describeE2E, newBoard, openBoard, until, useE2E } from './harness.js';

const PHONE = { width: 390, height: 844, touch: true };

describeE2E('e2e: guest review links', () => {
  const e2e = useE2E();
  const hub = () => e2e.server.takeboard.hub;

  it('an owner makes a link; a guest with no account opens it on a phone, types a name, watches and comments; the owner sees it live marked guest; revoking ends the review', async () => {
    const olga = await e2e.newUser({ name: 'Olga' });
    const boardId = await newBoard(olga, 'Harbour night');
    let shotId = '';
    await hub().change(boardId, (d) => {
      shotId = addShot(d, { title: 'Gulls over the pier', prompt: 'harbour at dusk', durationSec: 2, model: 'animatic' });
    });
    const g = await olga.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, { seed: 4 });
    expect(g.status).toBe(202);
    await jobReaches(olga.client, g.body.jobId, 'succeeded', 90_000);
    await hub().change(boardId, (d) => selectTake(d, shotId, g.body.takeId));

    // The owner makes a 30-day link in the board menu and copies it.
    await openBoard(e2e, olga, boardId);
    const op = olga.page;
    await op.getByRole('button', { name: 'Board', exact: true }).click();
    const links = op.getByRole('dialog', { name: 'Board' }).getByRole('region', { name: 'Guest review links' });
    await links.getByText('No review links yet.').waitFor();
    await links.getByLabel('Expires after').selectOption({ label: '30 days' });
    await links.getByRole('button', { name: 'Create review link' }).click();
    const url = await links.getByRole('textbox', { name: 'New review link' }).inputValue();
    expect(url).toMatch(new RegExp(`^${e2e.server.url}/review/[a-z2-7]{32}$`));
    const row = links.getByRole('list', { name: 'Review links' }).getByRole('listitem');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/By Olga, .*Expires .*not used yet · 0 guests/);
    await links.scrollIntoViewIfNeeded();
    await e2e.screenshot(op, 'review-links-owner-1280');

    // A guest with no account opens it on a phone: the board's name and a name prompt.
    const guest = await e2e.newVisitor('UTC', PHONE);
    const gp = guest.page;
    await gp.goto(url);
    await gp.getByRole('heading', { name: 'Review “Harbour night”' }).waitFor();
    await e2e.screenshot(gp, 'review-guest-name-390');
    await gp.getByRole('button', { name: 'Start reviewing' }).click();
    await gp.getByRole('alert').getByText('Your name: 1 to 60 characters').waitFor();
    await gp.getByLabel('Your name').fill('Dana');
    await gp.getByRole('button', { name: 'Start reviewing' }).click();

    // The review: the sequence and the shot's take, nothing of the team.
    await gp.getByRole('heading', { name: 'Harbour night' }).waitFor();
    await gp.getByRole('article', { name: 'Sequence player' }).waitFor();
    // The guest cookie is for the guest routes only, and out of reach of scripts.
    expect(await guest.context.cookies()).toEqual([expect.objectContaining({ name: 'takeboard_guest', path: '/api/guest', httpOnly: true, sameSite: 'Strict' })]);
    expect(await gp.evaluate(() => document.cookie)).toBe('');
    const shot = gp.locator(`.guest-shot[data-shot-id="${shotId}"]`);
    await shot.getByRole('button', { name: /Take 1 · in the cut/ }).waitFor();
    const video = shot.locator('video');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
    expect(await gp.locator('body').textContent()).not.toContain('Olga');
    await video.evaluate((v: HTMLVideoElement) => new Promise<void>((done) => {
      v.addEventListener('seeked', () => done(), { once: true });
      v.currentTime = 1.2;
    }));
    await shot.getByLabel('Comment at 0:01').fill('The gulls cross too fast here');
    await shot.getByRole('button', { name: 'Comment', exact: true }).click();
    const mine = shot.getByRole('list', { name: /^Comments on Shot 1/ }).getByRole('listitem').filter({ hasText: 'The gulls cross too fast here' });
    await mine.waitFor();
    expect(await mine.textContent()).toBe('0:01 Dana guest: The gulls cross too fast here');
    await expect.poll(() => gp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await mine.scrollIntoViewIfNeeded();
    await e2e.screenshot(gp, 'review-guest-commented-390');

    // It is in the board, a guest's, and the owner's open board shows it live with the badge.
    await until(async () => (await hub().read(boardId, (d) => listComments(d).some((c) => c.guestName === 'Dana'))), 'the guest comment stored');
    await op.getByRole('button', { name: 'Close board menu' }).click();
    await op.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = op.getByRole('complementary', { name: 'Shot 1 detail' });
    await detail.getByRole('button', { name: 'Open take 1' }).click();
    const ownerSees = detail.getByRole('list', { name: 'Comments on Take 1' }).getByRole('listitem').filter({ hasText: 'The gulls cross too fast here' });
    await ownerSees.locator('.guest-badge').getByText('guest').waitFor();
    expect(await ownerSees.locator('[data-comment-author]').textContent()).toBe('Dana guest');
    // A second guest comment arrives while the owner watches: live, over the socket.
    await shot.getByLabel(/^Comment at /).fill('Lovely light on the water');
    await shot.getByRole('button', { name: 'Comment', exact: true }).click();
    await detail.getByRole('list', { name: 'Comments on Take 1' }).getByRole('listitem').filter({ hasText: 'Lovely light on the water' }).locator('.guest-badge').waitFor();
    await ownerSees.scrollIntoViewIfNeeded();
    await e2e.screenshot(op, 'review-owner-sees-guest-1280');

    // The same review on a desktop screen.
    await gp.setViewportSize({ width: 1280, height: 800 });
    await gp.evaluate(() => window.scrollTo(0, 0));
    await e2e.screenshot(gp, 'review-guest-1280');
    await shot.getByRole('button', { name: 'Take 1 · in the cut · 2 comments' }).waitFor();
    await shot.scrollIntoViewIfNeeded();
    await e2e.screenshot(gp, 'review-guest-take-1280');

    // The owner revokes the link: the guest's open review ends at its next poll, in plain words.
    await op.getByRole('button', { name: 'Board', exact: true }).click();
    const revoke = links.getByRole('button', { name: /^Revoke the review link/ });
    await revoke.click();
    await links.getByText('No review links yet.').waitFor();
    await gp.getByRole('heading', { name: 'This review has ended' }).waitFor({ timeout: 15_000 });
    await gp.getByText('This review link was revoked by the board owner').waitFor();
    expect(await gp.locator('video').count()).toBe(0);
    await e2e.screenshot(gp, 'review-guest-revoked-1280');
    expect((await hub().read(boardId, (d) => listTakes(d, shotId))).length).toBe(1);

    // The owner's links on a phone: a new one, its link and its row fit the screen.
    await op.setViewportSize({ width: 390, height: 844 });
    await links.getByRole('button', { name: 'Create review link' }).click();
    await links.getByRole('textbox', { name: 'New review link' }).waitFor();
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => op.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await links.scrollIntoViewIfNeeded();
    await e2e.screenshot(op, 'review-links-owner-390');
    expect(appErrors(guest.errors).filter((e) => !/status of 40[14]/.test(e))).toEqual([]);
    expect(appErrors(olga.errors)).toEqual([]);
  }, 180_000);
});
