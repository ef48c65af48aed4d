import { expect, it } from 'vitest';
import { addComment, addShot, listTakes, setShotFields } from '../../shared/doc/index.js';
import { guestJoins } from '../review-links/helpers.js';
import { appErrors, describeE2E, newBoard, share, until, useE2E } from './harness.js';

/**
 * The inbox as a person reads it on a phone: an answer to their note and a guest's comment, each
 * a line that says who, on which shot and what, and opens the take it is about.
 */
describeE2E('e2e: answers to notes and guest comments in the inbox', () => {
  const e2e = useE2E();

  it('Kenji reads that his note was answered and that a guest commented, on a phone, and the answer opens take 2', async () => {
    const ana = await e2e.newUser({ name: 'Ana Lisboa' });
    const kenji = await e2e.newUser({ name: 'Kenji Mori', device: { width: 390, height: 844, touch: true } });
    const boardId = await newBoard(ana, 'Harbour spot');
    await share(ana, kenji, boardId, 'editor');
    const hub = e2e.server.takeboard.hub;
    let shotId = '';
    await hub.change(boardId, (d) => {
      shotId = addShot(d, { title: 'Harbour', prompt: 'gulls over the pier', durationSec: 2, model: 'animatic' });
      setShotFields(d, shotId, { assignee: kenji.user.id });
    });
    const takeDone = (n: number) => until(async () => (await hub.read(boardId, (d) => listTakes(d, shotId).filter((t) => t.status === 'succeeded').length)) >= n, `take ${n} to render`, 60_000);
    expect((await ana.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {})).status).toBe(202);
    await takeDone(1);
    const take1 = (await hub.read(boardId, (d) => listTakes(d, shotId)))[0]!;
    let noteId = '';
    await hub.change(boardId, (d) => {
      noteId = addComment(d, { shotId, takeId: take1.id, atSec: 1, author: kenji.user.id, text: 'the gulls fly too fast' });
    });
    const answer = await ana.client.post(`/api/boards/${boardId}/comments/${noteId}/regenerate`, {});
    expect(answer.status).toBe(202);
    await takeDone(2);

    const link = await ana.client.post(`/api/boards/${boardId}/review-links`, {});
    const guest = await guestJoins(e2e.server, link.body.url, 'Dana');
    expect((await guest.post('/api/guest/comments', { shotId, takeId: take1.id, atSec: 1.2, text: 'Lovely light, but the pier feels empty: could we see a fisherman at the end of it?' })).status).toBe(201);

    await kenji.page.goto(`${e2e.server.url}/`);
    const bell = kenji.page.locator('.notif-bell');
    // Take 1 (his shot's), the answer to his note (not a second "take ready"), the guest's comment.
    await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Notifications: 3 unread');
    await bell.click();
    const panel = kenji.page.getByRole('region', { name: 'Notifications' });
    const answered = panel.locator('[data-kind="note_take_succeeded"]');
    await answered.getByText('Ana Lisboa answered your note').waitFor();
    await answered.getByText('Your note on shot 1 “Harbour” was answered: take 2 is ready').waitFor();
    await panel.locator('[data-kind="guest_comment"]').getByText(/^Guest Dana commented on shot 1 “Harbour” at 0:01: Lovely light/).waitFor();
    await e2e.screenshot(kenji.page, 'inbox-note-answer-guest-390');
    expect(await kenji.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await answered.getByRole('link').click();
    await kenji.page.waitForURL((u) => u.pathname === `/boards/${boardId}` && u.searchParams.get('take') === answer.body.takeId);
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 150_000);
});
