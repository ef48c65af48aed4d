import { expect, it } from 'vitest';
import { addShot, getMeta, listComments, listTakes, selectTake, setShotFields, shotsInOrder, statusPatch, upsertTake, addComment } from '../../shared/doc/index.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E } from './harness.js';

describeE2E('e2e: board admin (rename, duplicate as template, archive, delete)', () => {
  const e2e = useE2E({ generation: { startWorker: false } });
  const hub = () => e2e.server.takeboard.hub;

  it('an owner renames (a teammate sees it live), duplicates as a template, archives and restores, then deletes with the name typed', async () => {
    const olga = await e2e.newUser({ name: 'Olga' });
    const emil = await e2e.newUser({ name: 'Emil' });
    const boardId = await newBoard(olga, 'Harbour');
    await share(olga, emil, boardId, 'editor');
    await hub().change(boardId, (d) => {
      const wide = addShot(d, { title: 'Wide' });
      const close = addShot(d, { title: 'Close' });
      upsertTake(d, close, 'take_1', { jobId: 'job_1', status: 'succeeded', model: 'animatic', durationSec: 1, costMicroUsd: 0, createdBy: olga.user.id, createdAt: new Date().toISOString() });
      selectTake(d, close, 'take_1');
      setShotFields(d, close, statusPatch('approved', olga.user.id));
      addComment(d, { shotId: wide, author: olga.user.id, text: 'tighter' });
    });
    await openBoard(e2e, olga, boardId);
    await openBoard(e2e, emil, boardId);
    const page = olga.page;

    // Rename from the Board menu; Emil's open board shows the new name without a reload.
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    const menu = page.getByRole('dialog', { name: 'Board' });
    await e2e.screenshot(page, 'board-admin-1280');
    const name = menu.getByLabel('Board name');
    await name.fill('');
    await menu.getByRole('button', { name: 'Rename' }).click();
    await menu.getByRole('alert').filter({ hasText: 'Board name: 1 to' }).waitFor();
    await name.fill('Harbour at dusk');
    await menu.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => emil.page.locator('h1.board-title').textContent()).toBe('Harbour at dusk');
    // Editors do not see the owner's controls: only Duplicate.
    await emil.page.getByRole('button', { name: 'Board', exact: true }).click();
    const emilMenu = emil.page.getByRole('dialog', { name: 'Board' });
    await emilMenu.getByRole('button', { name: 'Duplicate as template' }).waitFor();
    expect(await emilMenu.getByRole('button', { name: /Delete|Archive|Rename/ }).count()).toBe(0);
    await emilMenu.getByRole('button', { name: 'Close board menu' }).click();

    // Duplicate as template: a new board with the shots, without takes, comments or approvals.
    await menu.getByLabel('Name of the copy').fill('Harbour template');
    await menu.getByRole('button', { name: 'Duplicate as template' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/boards/') && !u.pathname.endsWith(boardId));
    const copyId = new URL(page.url()).pathname.split('/').pop()!;
    await page.locator('[role="status"][data-status="online"]').waitFor();
    await expect.poll(() => page.getByLabel('Title of shot 2').inputValue()).toBe('Close');
    expect(await page.getByLabel('Title of shot 1').inputValue()).toBe('Wide');
    expect(await page.locator('h1.board-title input').inputValue()).toBe('Harbour template');
    const copy = await hub().read(copyId, (d) => ({ shots: shotsInOrder(d), takes: shotsInOrder(d).flatMap((s) => listTakes(d, s.id)), comments: listComments(d) }));
    expect(copy.shots.map((s) => s.status)).toEqual(['draft', 'draft']);
    expect(copy.takes).toEqual([]);
    expect(copy.comments).toEqual([]);
    await e2e.screenshot(page, 'board-duplicated-1280');

    // Archive the original: read-only with a banner, gone from the list until "Show archived".
    await openBoard(e2e, olga, boardId);
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    await menu.getByRole('button', { name: 'Archive board' }).click();
    await page.locator('[data-archived-banner]').waitFor();
    await expect.poll(() => page.locator('h1.board-title input').count()).toBe(0);
    await expect.poll(() => page.getByLabel('Title of shot 1').isDisabled()).toBe(true);
    await e2e.screenshot(page, 'board-archived-1280');
    // Emil's open board is told at once: the banner and read-only fields, no edit or reload needed,
    // and no word of a role change (his role is still editor).
    await emil.page.locator('[data-archived-banner]').waitFor();
    await expect.poll(() => emil.page.getByLabel('Title of shot 1').isDisabled()).toBe(true);
    expect(await emil.page.getByText('Your role changed').count()).toBe(0);
    expect(await hub().read(boardId, (d) => shotsInOrder(d)[0]?.title)).toBe('Wide');
    await page.goto(`${e2e.server.url}/`);
    const list = page.getByRole('list', { name: 'Boards' });
    await list.getByRole('link', { name: 'Harbour template' }).waitFor();
    expect(await list.getByRole('link', { name: 'Harbour at dusk' }).count()).toBe(0);
    await page.getByLabel('Show archived boards').check();
    await list.getByRole('link', { name: 'Harbour at dusk' }).waitFor();
    await e2e.screenshot(page, 'boards-show-archived-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await e2e.screenshot(page, 'boards-show-archived-390');
    await page.setViewportSize({ width: 1280, height: 800 });
    await list.getByRole('button', { name: 'Restore Harbour at dusk' }).click();
    await expect.poll(async () => (await olga.client.get(`/api/boards/${boardId}`)).body.archivedAt).toBeNull();
    // Restoring reaches Emil's open page too: the banner goes and he edits again.
    await expect.poll(() => emil.page.locator('[data-archived-banner]').count()).toBe(0);
    await expect.poll(() => emil.page.getByLabel('Title of shot 1').isDisabled()).toBe(false);
    await emil.page.getByLabel('Title of shot 1').fill('Wide again');
    await expect.poll(() => hub().read(boardId, (d) => shotsInOrder(d)[0]?.title)).toBe('Wide again');

    // Delete: the dialog asks for the board's name; a wrong name cannot delete.
    await openBoard(e2e, olga, boardId);
    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone the board's tools sit in the header's menu.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    await e2e.screenshot(page, 'board-admin-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await menu.getByRole('button', { name: 'Delete board…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete “Harbour at dusk”?' });
    const confirm = dialog.getByRole('button', { name: 'Delete forever' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Type the board's name to confirm").fill('Harbour');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Type the board's name to confirm").fill('Harbour at dusk');
    await e2e.screenshot(page, 'board-delete-dialog-390');
    await confirm.click();
    await page.waitForURL((u) => u.pathname === '/');
    expect((await olga.client.get(`/api/boards/${boardId}`)).status).toBe(404);
    await emil.page.getByText('This board was deleted.').waitFor();
    expect(await hub().read(copyId, (d) => getMeta(d).title)).toBe('Harbour template'); // the copy stays
    expect(appErrors(olga.errors)).toEqual([]);
  }, 120_000);
});
