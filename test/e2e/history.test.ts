import { expect, it } from 'vitest';
import { addShot, getPromptText, shotsInOrder } from '../../shared/doc/index.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E, type E2EUser } from './harness.js';

describeE2E('e2e: shot history', () => {
  const e2e = useE2E();
  const serverPrompt = (boardId: string) => e2e.server.takeboard.hub.read(boardId, (d) => getPromptText(d, shotsInOrder(d)[0]!.id).toString());

  async function openHistory(u: E2EUser) {
    await u.page.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = u.page.getByRole('complementary', { name: 'Shot 1 detail' });
    await detail.locator('.shot-history summary').click();
    return detail;
  }

  it('shows a teammate’s prompt edit live; an editor restores the older prompt, which is itself history and undoable; a viewer reads it only', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const bo = await e2e.newUser({ name: 'Bo' });
    const cy = await e2e.newUser({ name: 'Cy' });
    const boardId = await newBoard(ana, 'History');
    await share(ana, bo, boardId, 'editor');
    await share(ana, cy, boardId, 'viewer');
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'Harbour', prompt: 'fog over the harbour' }));
    await Promise.all([openBoard(e2e, ana, boardId), openBoard(e2e, bo, boardId), openBoard(e2e, cy, boardId)]);

    const anaDetail = await openHistory(ana);
    await anaDetail.getByText('No changes recorded for this shot yet.').waitFor();

    // Bo rewrites the prompt in his detail panel.
    await bo.page.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const boPrompt = bo.page.getByLabel('Shot prompt');
    await boPrompt.fill('mist over the harbour');
    await expect.poll(() => serverPrompt(boardId)).toBe('mist over the harbour');

    // Ana sees it without reloading: who, which field, the diff and the prompt before it.
    const list = anaDetail.getByRole('list', { name: 'Shot history' });
    const boEntry = list.getByRole('listitem').filter({ hasText: 'Bo changed prompt' });
    await boEntry.waitFor();
    expect(await boEntry.locator('del').allInnerTexts()).toEqual(['fog']);
    expect(await boEntry.locator('ins').allInnerTexts()).toEqual(['mist']);
    expect(await boEntry.locator('blockquote').innerText()).toBe('fog over the harbour');
    await boEntry.scrollIntoViewIfNeeded();
    await e2e.screenshot(ana.page, 'history-desktop');

    await boEntry.getByRole('button', { name: 'Restore this prompt' }).click();
    await expect.poll(() => ana.page.getByLabel('Shot prompt').inputValue()).toBe('fog over the harbour');
    await expect.poll(() => boPrompt.inputValue()).toBe('fog over the harbour');
    await expect.poll(() => serverPrompt(boardId)).toBe('fog over the harbour');
    // The restore is Ana's edit: newest first in the history, and its own restore is now pointless.
    await expect.poll(() => list.getByRole('listitem').first().locator('.history-what span').innerText()).toBe('Ana changed prompt');
    expect(await boEntry.getByRole('button', { name: 'Restore this prompt' }).isDisabled()).toBe(true);

    // Undo takes the restore back like any edit of Ana's.
    await ana.page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => serverPrompt(boardId)).toBe('mist over the harbour');

    // A viewer reads the history but is offered no restore.
    const cyDetail = await openHistory(cy);
    await cyDetail.getByRole('listitem').filter({ hasText: 'Bo changed prompt' }).waitFor();
    expect(await cyDetail.getByRole('button', { name: 'Restore this prompt' }).count()).toBe(0);

    await ana.page.setViewportSize({ width: 390, height: 844 });
    await boEntry.scrollIntoViewIfNeeded();
    expect(await ana.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await e2e.screenshot(ana.page, 'history-phone');
    for (const u of [ana, bo, cy]) expect(appErrors(u.errors)).toEqual([]);
  });
});
