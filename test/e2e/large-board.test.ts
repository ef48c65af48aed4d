import { expect, it } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { appErrors, describeE2E, newBoard, useE2E } from './harness.js';

describeE2E('e2e: a 500-shot board', () => {
  const e2e = useE2E();

  it('renders only the rows in view, scrolls to the end and stays editable (timings printed, not asserted)', async () => {
    const u = await e2e.newUser({ name: 'Producer' });
    const boardId = await newBoard(u, 'Feature: 500 shots');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      for (let i = 1; i <= 500; i++) addShot(d, { title: `Shot title ${i}`, prompt: `Prompt for shot ${i}: `.padEnd(200, 'x'), durationSec: 5 });
    });
    await u.page.goto(`${e2e.server.url}/boards/${boardId}`);
    await u.page.locator('[role="status"][data-status="online"]').waitFor();
    await u.page.getByLabel('Title of shot 1', { exact: true }).waitFor();
    // From the moment the socket opened (navigation start, in fact) to the first rows on screen.
    const ms = await u.page.evaluate(() => performance.now());
    console.log(`[perf] 500-shot board: first rows after ${Math.round(ms)} ms from navigation start`);
    expect(await u.page.getByRole('heading', { name: /Shots/ }).textContent()).toContain('500');
    const rendered = await u.page.locator('.shot-row').count();
    expect(rendered).toBeLessThan(40);

    const t0 = Date.now();
    await u.page.locator('.shot-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await u.page.getByLabel('Title of shot 500', { exact: true }).waitFor();
    console.log(`[perf] scroll to shot 500: ${Date.now() - t0} ms`);
    expect(await u.page.getByLabel('Title of shot 500', { exact: true }).inputValue()).toBe('Shot title 500');
    await e2e.screenshot(u.page, 'large-board-end');

    // Typing into a prompt re-reads the board; it must stay responsive.
    const prompt = u.page.getByLabel('Prompt of shot 500');
    await prompt.click();
    await prompt.press('End');
    const t1 = Date.now();
    await u.page.keyboard.type('abcdefghij');
    await u.page.waitForFunction(() => (document.querySelector('[aria-label="Prompt of shot 500"]') as HTMLTextAreaElement).value.endsWith('abcdefghij'));
    console.log(`[perf] 10 keystrokes on a 500-shot board: ${Date.now() - t1} ms`);
    expect(appErrors(u.errors)).toEqual([]);
  });
});
