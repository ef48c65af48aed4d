import { expect, it } from 'vitest';
import { shotsInOrder } from '../../shared/doc/index.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E } from './harness.js';

const CAP = 32 * 1024;

describeE2E('e2e: a board at its size cap', () => {
  const e2e = useE2E({ sync: { limits: { maxDocumentBytes: CAP } } });

  it('tells the writer their edit was refused and why, offers to drop it, and leaves the teammate online', async () => {
    const ana = await e2e.newUser({ name: 'Ana Lisboa' });
    const kenji = await e2e.newUser({ name: 'Kenji Mori' });
    const boardId = await newBoard(ana, 'Capped board');
    await share(ana, kenji, boardId, 'editor');
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);
    await ana.page.getByRole('button', { name: 'Add shot' }).click();
    await ana.page.getByLabel('Title of shot 1').fill('Harbour');
    await expect.poll(() => kenji.page.getByLabel('Title of shot 1').inputValue()).toBe('Harbour');

    // A pasted camera note larger than the whole board may be (prompts stop at their own limit).
    await ana.page.getByLabel('Camera of shot 1').fill('waves '.repeat(CAP / 4));
    const banner = ana.page.getByRole('alert').filter({ hasText: 'Your last edit was not saved' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('this edit would take the board past its 32 KB size limit');
    await e2e.screenshot(ana.page, 'size-cap-refused-desktop');
    await ana.page.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(ana.page, 'size-cap-refused-phone');
    await ana.page.setViewportSize({ width: 1280, height: 800 });

    // The teammate is still online and still edits; the refused note never reached them.
    await expect.poll(() => kenji.page.locator('[role="status"]').first().getAttribute('data-status')).toBe('online');
    expect(await kenji.page.getByLabel('Camera of shot 1').inputValue()).toBe('');
    await kenji.page.getByLabel('Title of shot 1').fill('Harbour at dusk');
    await expect.poll(() => e2e.server.takeboard.hub.read(boardId, (d) => shotsInOrder(d)[0]?.title)).toBe('Harbour at dusk');

    // Dropping the refused edit reloads the board as everyone else has it, editable again.
    await banner.getByRole('button', { name: 'Discard the refused edit and reload' }).click();
    await ana.page.locator('[role="status"][data-status="online"]').waitFor();
    await expect.poll(() => ana.page.getByLabel('Title of shot 1').inputValue()).toBe('Harbour at dusk');
    expect(await ana.page.getByLabel('Camera of shot 1').inputValue()).toBe('');
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 60_000);
});
