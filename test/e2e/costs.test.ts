import fs from 'node:fs/promises';
import { expect, it } from 'vitest';
import { addShot, getMeta, selectTake, setMeta, setShotFields, statusPatch, upsertTake } from '../../shared/doc/index.js';
import { seedCostJobs } from '../helpers/cost-jobs.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E } from './harness.js';

const DAY = 86_400_000;

describeE2E('e2e: costs and the burndown', () => {
  const e2e = useE2E({ generation: { startWorker: false } });

  it('shows spend per shot and per person matching the jobs, a readable burndown, and downloads the ledger', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const ben = await e2e.newUser({ name: 'Ben' });
    const boardId = await newBoard(ana, 'Costed board');
    await share(ana, ben, boardId, 'editor');
    const now = Date.now();
    const shots = { one: '', two: '', three: '' };
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      setMeta(d, { budgetMicroUsd: 10_000_000, sprintStart: new Date(now - 2 * DAY).toISOString(), sprintEnd: new Date(now + 2 * DAY).toISOString() });
      shots.one = addShot(d, { title: 'Opening' });
      shots.two = addShot(d, { title: 'Market' });
      shots.three = addShot(d, { title: 'Finale' });
      upsertTake(d, shots.one, 'take_a', { jobId: 'job_a', status: 'succeeded', model: 'animatic', durationSec: 1, costMicroUsd: 1_200_000, createdBy: ana.user.id, createdAt: new Date(now - DAY).toISOString() });
      selectTake(d, shots.one, 'take_a');
      setShotFields(d, shots.one, statusPatch('approved', ana.user.id));
    });
    await seedCostJobs(e2e.server.database.db, boardId, [
      { shotId: shots.one, by: ana.user.id, status: 'succeeded', estimateMicroUsd: 1_000_000, chargedMicroUsd: 1_200_000, at: now - DAY },
      { shotId: shots.two, by: ben.user.id, provider: 'ark', model: 'ark:seedance', status: 'succeeded', estimateMicroUsd: 500_000, chargedMicroUsd: 400_000, at: now - DAY / 2 },
      { shotId: shots.two, by: ana.user.id, status: 'queued', estimateMicroUsd: 2_000_000, at: now },
    ]);

    await openBoard(e2e, ben, boardId);
    const page = ben.page;
    // The sprint bar sums the takes' costs (integer micro-dollars) against the budget.
    const spend = page.locator('.metric[aria-label="Spend"] .metric-value');
    await expect.poll(() => spend.textContent()).toBe('$1.20 of $10.00');
    await page.getByRole('button', { name: 'Burndown & costs' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Costs' }).getAttribute('aria-selected')).toBe('true');

    // Per shot, in board order, against the jobs.
    const shotRow = (id: string) => page.locator(`table[data-costs="shot"] tr[data-row="${id}"]`);
    await shotRow(shots.one).waitFor();
    expect(await shotRow(shots.one).locator('th').textContent()).toContain('Opening');
    expect(await shotRow(shots.one).locator('[data-cell="spent"]').textContent()).toBe('$1.20');
    expect(await shotRow(shots.one).locator('[data-cell="estimate"]').textContent()).toBe('$1.00');
    expect(await shotRow(shots.two).locator('[data-cell="spent"]').textContent()).toBe('$0.40');
    expect(await shotRow(shots.two).locator('[data-cell="committed"]').textContent()).toBe('$2.00 (1)');
    expect(await shotRow(shots.three).locator('[data-cell="jobs"]').textContent()).toBe('0');
    expect(await shotRow(shots.two).locator('[data-cell="share"]').textContent()).toBe('24.0%'); // (0.40 + 2.00) of $10
    // Per person.
    const person = (id: string) => page.locator(`table[data-costs="person"] tr[data-row="${id}"]`);
    expect(await person(ana.user.id).locator('th').textContent()).toBe('Ana');
    expect(await person(ana.user.id).locator('[data-cell="spent"]').textContent()).toBe('$1.20');
    expect(await person(ana.user.id).locator('[data-cell="committed"]').textContent()).toBe('$2.00 (1)');
    expect(await person(ben.user.id).locator('[data-cell="spent"]').textContent()).toBe('$0.40');
    expect(await page.locator('table[data-costs="model"] tr[data-row="ark ark:seedance"] [data-cell="spent"]').textContent()).toBe('$0.40');
    expect(await page.locator('[data-figure="spent"] .metric-value').textContent()).toBe('$1.60');

    // The burndown: axes with ticks and labels, the deadline, the projection, a legend, at a readable size.
    const chart = page.locator('svg[data-burndown]');
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(600);
    expect(box.height).toBeGreaterThanOrEqual(240);
    expect(await chart.locator('[data-axis="x"] .tick').count()).toBe(5);
    expect(await chart.locator('[data-axis="y"] .tick text').allTextContents()).toEqual(['0', '1', '2', '3']);
    expect(await chart.locator('.axis-label').allTextContents()).toEqual(['Shots open', 'Sprint time']);
    expect(await chart.locator('line[data-deadline]').count()).toBe(1);
    expect(await chart.locator('path[data-projection]').count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Legend' }).locator('li').count()).toBe(4);
    // One of three approved in the 2 days so far: 0.5 a day, so 1 of the 2 open shots is left at the deadline.
    expect(await page.locator('[data-burndown-summary]').textContent()).toBe('2 of 3 shots open; rate so far 0.5 approvals a day; at this rate, 1 shot still open at the deadline.');
    await e2e.screenshot(page, 'costs-1280');

    // The ledger downloads as CSV: one row per job.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the ledger (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('Costed board - cost ledger.csv');
    const csv = await fs.readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^job_id,queued_at,finished_at,status,shot_id,shot_title,/);
    expect(lines.filter((l) => l.includes(',Market,'))).toHaveLength(2);
    expect(lines.find((l) => l.includes(',Opening,'))).toMatch(/,Ana,fal,fal:veo3,1\.00,1\.20$/);

    // A tablet keeps the tables; nothing scrolls sideways.
    await page.setViewportSize({ width: 768, height: 1024 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await e2e.screenshot(page, 'costs-768');
    // At phone width the tables read as cards, and nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('table[data-costs="shot"] thead').isVisible()).toBe(false);
    await e2e.screenshot(page, 'costs-390');
    // The chart is redrawn at the phone's width (its 12 px text stays 12 px) with fewer time ticks.
    await expect.poll(async () => (await chart.boundingBox())!.width).toBeLessThanOrEqual(372);
    expect(await chart.locator('[data-axis="x"] .tick').count()).toBe(3);
    await page.locator('table[data-costs="person"]').scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'costs-tables-390');

    // A typed budget is read digit by digit: "0.29" is exactly 290000 micro-dollars, and both the
    // sprint bar and the Costs tab show it as $0.29.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Sprint settings' }).click();
    expect(await page.getByLabel('Budget (USD)').inputValue()).toBe('10.00');
    await page.getByLabel('Budget (USD)').fill('0.29');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => e2e.server.takeboard.hub.read(boardId, (d) => getMeta(d).budgetMicroUsd)).toBe(290_000);
    await expect.poll(() => spend.textContent()).toBe('$1.20 of $0.29');
    expect(await spend.getAttribute('class')).toContain('warn');
    await expect.poll(() => page.locator('[data-figure="budget"] .metric-value').textContent()).toBe('$0.29');
    expect(await page.locator('[data-figure="left"] .metric-value').textContent()).toBe('-$3.31'); // 0.29 - (1.60 charged + 2.00 queued)
    await page.locator('.cost-summary').scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'sprint-bar-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.locator('.cost-summary').scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'sprint-bar-390');
    expect(appErrors(ben.errors)).toEqual([]);
  }, 90_000);
});
