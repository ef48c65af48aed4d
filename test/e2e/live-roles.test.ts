/**
 * In Chromium, with teammates in their own browser contexts: a role
 * change reaches the teammate's open board within a second (read-only, naming who did it) and
 * the members panel follows live on a third screen; removal asks first, then sends the teammate
 * to their boards with a message; a removed teammate's offline edits are refused and never land;
 * a commenter comments and approves but cannot type into a shot.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { addShot, getShot, listComments, shotsInOrder, upsertTake } from '../../shared/doc/index.js';
import { appErrors, describeE2E, newBoard, openBoard, share, until, useE2E, type E2E } from './harness.js';

/** Milliseconds until `check` holds in the page (polled by Playwright, no fixed sleeps). */
async function msUntil(page: Page, fn: () => boolean): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(fn, undefined, { timeout: 10_000, polling: 'raf' });
  return Date.now() - t0;
}

async function boardWithShot(e2e: E2E, owner: Parameters<typeof newBoard>[0], title: string) {
  const boardId = await newBoard(owner, title);
  let shotId = '';
  await e2e.server.takeboard.hub.change(boardId, (d) => {
    shotId = addShot(d, { title: 'Opening', prompt: 'a quiet street', model: 'animatic', durationSec: 4 });
  });
  return { boardId, shotId };
}

describeE2E('e2e: live roles and members', () => {
  const e2e = useE2E();
  const titleOf = (boardId: string) => e2e.server.takeboard.hub.read(boardId, (d) => shotsInOrder(d)[0]?.title);

  it('a role change turns the teammate’s open board read-only within a second, naming who; the members panel follows live; removal asks, then sends them to their boards', async () => {
    const olga = await e2e.newUser({ name: 'Olga Owner', city: 'Berlin' });
    const tom = await e2e.newUser({ name: 'Tom Teammate', city: 'Lagos' });
    const nia = await e2e.newUser({ name: 'Nia Editor', city: 'Oslo' });
    const { boardId } = await boardWithShot(e2e, olga, 'Roles board');
    await share(olga, tom, boardId, 'editor');
    await share(olga, nia, boardId, 'editor');
    for (const u of [olga, tom, nia]) await openBoard(e2e, u, boardId);
    const tomTitle = tom.page.getByLabel('Title of shot 1');
    expect(await tomTitle.isEditable()).toBe(true);

    // Nia keeps the members panel open: it must follow without being reopened.
    await nia.page.getByRole('button', { name: 'Members' }).click();
    const niaPanel = nia.page.getByRole('dialog', { name: 'Members' });
    const niaTomRow = niaPanel.locator(`li[data-user-id="${tom.user.id}"]`);
    await niaTomRow.getByText('editor', { exact: true }).waitFor();

    // Olga's panel offers the commenter role, in the selector and as an invite.
    await olga.page.getByRole('button', { name: 'Members' }).click();
    const panel = olga.page.getByRole('dialog', { name: 'Members' });
    await panel.getByRole('button', { name: 'Create commenter invite' }).waitFor();
    expect(await panel.getByLabel('Role of Tom Teammate').locator('option').allTextContents()).toEqual(['owner', 'editor', 'commenter', 'viewer']);

    // Editor -> viewer: Tom's board turns read-only without a reload and says who did it.
    await panel.getByLabel('Role of Tom Teammate').selectOption('viewer');
    const readOnlyIn = await msUntil(tom.page, () => (document.querySelector('[aria-label="Title of shot 1"]') as HTMLInputElement | null)?.disabled === true);
    expect(readOnlyIn).toBeLessThan(1000);
    const note = tom.page.getByRole('note').filter({ hasText: 'Your role changed to viewer by Olga Owner' });
    await note.waitFor();
    expect(await note.textContent()).toMatch(/not edit or comment/);
    await tom.page.locator('.top-bar .role-viewer, .role.role-viewer').first().waitFor();
    await e2e.screenshot(tom.page, 'roles-downgraded-to-viewer');
    await niaTomRow.getByText('viewer', { exact: true }).waitFor(); // live on a third screen

    // Viewer -> commenter: the notice follows; shot fields stay read-only.
    await panel.getByLabel('Role of Tom Teammate').selectOption('commenter');
    await tom.page.getByRole('note').filter({ hasText: 'Your role changed to commenter by Olga Owner' }).waitFor();
    expect(await tomTitle.isEditable()).toBe(false);
    await niaTomRow.getByText('commenter', { exact: true }).waitFor();

    // Removing asks first, naming the person; cancelling keeps them.
    await panel.getByRole('button', { name: 'Remove Tom Teammate' }).click();
    const confirm = olga.page.getByRole('dialog', { name: 'Remove Tom Teammate?' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(tom.email);
    await e2e.screenshot(olga.page, 'roles-remove-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await olga.client.get(`/api/boards/${boardId}/members`)).body.some((m: { userId: string }) => m.userId === tom.user.id)).toBe(true);

    // Confirmed (on a phone this time): Tom's board leaves for his boards list with a message; Nia's list drops him.
    await olga.page.setViewportSize({ width: 390, height: 844 });
    await panel.getByRole('button', { name: 'Remove Tom Teammate' }).click();
    await confirm.waitFor();
    expect(await olga.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await e2e.screenshot(olga.page, 'roles-remove-confirm-phone');
    const t0 = Date.now();
    await confirm.getByRole('button', { name: 'Remove Tom Teammate' }).click();
    await tom.page.waitForURL((u) => u.pathname === '/');
    expect(Date.now() - t0).toBeLessThan(1500);
    await tom.page.getByRole('alert').filter({ hasText: 'You were removed from “Roles board” by Olga Owner.' }).waitFor();
    await e2e.screenshot(tom.page, 'roles-removed-message');
    await niaTomRow.waitFor({ state: 'detached' });
    expect(await tom.page.getByRole('link', { name: 'Roles board' }).count()).toBe(0);
    for (const u of [olga, tom, nia]) expect(appErrors(u.errors), u.user.name).toEqual([]);
  });

  it('a teammate removed while offline: their queued edits are refused with a message and never reach the board', async () => {
    const olga = await e2e.newUser({ name: 'Olga Owner' });
    const tom = await e2e.newUser({ name: 'Tom Offline' });
    const { boardId } = await boardWithShot(e2e, olga, 'Offline board');
    await share(olga, tom, boardId, 'editor');
    await openBoard(e2e, olga, boardId);
    await openBoard(e2e, tom, boardId);

    await tom.context.setOffline(true);
    await tom.page.locator('[role="status"][data-status="offline"]').waitFor();
    await tom.page.getByLabel('Title of shot 1').fill('Opening, rewritten offline');
    await tom.page.getByRole('status', { name: 'Connection' }).filter({ hasText: /local edits? pending/ }).waitFor();
    expect((await olga.client.delete(`/api/boards/${boardId}/members/${tom.user.id}`)).status).toBe(204);

    await tom.context.setOffline(false);
    await tom.page.waitForURL((u) => u.pathname === '/');
    await tom.page.getByRole('alert').filter({ hasText: /You no longer have access to “Offline board”\. \d+ edits? made there while offline (was|were) not saved\./ }).waitFor();
    await e2e.screenshot(tom.page, 'roles-removed-offline-edits-refused');

    // Nothing Tom typed reached the board, for the server or for Olga.
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'marker' }));
    expect(await titleOf(boardId)).toBe('Opening');
    await olga.page.getByLabel('Title of shot 2').waitFor();
    expect(await olga.page.getByLabel('Title of shot 1').inputValue()).toBe('Opening');
    // His offline copy is gone: the refused edits cannot resurface if he is invited back.
    const copies = await tom.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
    expect(copies.filter((n) => n.endsWith(`:${boardId}`))).toEqual([]);
  });

  it('an editor made a commenter while offline: the queued shot edit is refused naming the field and the rule; discarding it leaves a working reviewer', async () => {
    const olga = await e2e.newUser({ name: 'Olga Owner' });
    const tom = await e2e.newUser({ name: 'Tom Demoted' });
    const { boardId } = await boardWithShot(e2e, olga, 'Demoted board');
    await share(olga, tom, boardId, 'editor');
    await openBoard(e2e, tom, boardId);
    await tom.context.setOffline(true);
    await tom.page.locator('[role="status"][data-status="offline"]').waitFor();
    await tom.page.getByLabel('Title of shot 1').fill('Opening, my cut');
    expect((await olga.client.patch(`/api/boards/${boardId}/members/${tom.user.id}`, { role: 'commenter' })).status).toBe(200);
    await tom.context.setOffline(false);
    const alert = tom.page.getByRole('alert').filter({ hasText: 'did not accept your last edit: you are a commenter' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Refused: shots\.\w+\.title: only comments and approvals\./);
    await tom.page.getByRole('note').filter({ hasText: 'Your role changed to commenter' }).waitFor();
    await e2e.screenshot(tom.page, 'roles-commenter-refused-offline-edit');
    expect(await titleOf(boardId)).toBe('Opening');
    await alert.getByRole('button', { name: 'Discard them and reload' }).click();
    await expect.poll(() => tom.page.getByLabel('Title of shot 1').inputValue()).toBe('Opening');
    await tom.page.getByRole('note').filter({ hasText: 'You are a commenter' }).waitFor();
    expect(await tom.page.getByRole('alert').count()).toBe(0);
  });

  it('a commenter comments, resolves their own thread and approves a take, but cannot type into a shot (desktop and phone)', async () => {
    const olga = await e2e.newUser({ name: 'Olga Owner' });
    const cora = await e2e.newUser({ name: 'Cora Reviewer', city: 'Lyon' });
    const { boardId, shotId } = await boardWithShot(e2e, olga, 'Review board');
    await e2e.server.takeboard.hub.change(boardId, (d) => upsertTake(d, shotId, 'take_1', { jobId: 'job_1', model: 'animatic', durationSec: 4, createdBy: olga.user.id, status: 'succeeded' }));
    await share(olga, cora, boardId, 'commenter');
    await openBoard(e2e, olga, boardId);
    await openBoard(e2e, cora, boardId);
    const p = cora.page;
    await p.getByRole('note').filter({ hasText: 'You are a commenter on this board' }).waitFor();

    // Shot fields are read-only; no Generate, no Select; Approve is there.
    expect(await p.getByLabel('Title of shot 1').isEditable()).toBe(false);
    await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
    const card = detail.getByRole('listitem', { name: 'Take 1: succeeded' });
    await card.waitFor();
    expect(await detail.getByRole('button', { name: 'Generate' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Select' }).count()).toBe(0);
    for (const field of await detail.locator('textarea, input:not([type="radio"]):not([type="checkbox"])').all()) {
      expect(await field.isEditable(), await field.getAttribute('aria-label') ?? 'a detail field').toBe(false);
    }

    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByText('Approved by Cora Reviewer').waitFor();
    await until(async () => (await e2e.server.takeboard.hub.read(boardId, (d) => getShot(d, shotId)))?.status === 'approved', 'the approval stored');
    expect(await e2e.server.takeboard.hub.read(boardId, (d) => getShot(d, shotId))).toMatchObject({ approvedBy: cora.user.id, selectedTake: 'take_1' });

    // A comment on the take, seen by the owner; Cora resolves her own thread.
    await card.getByRole('button', { name: 'Open take 1' }).click();
    const input = detail.getByLabel(/^Comment on Take 1 at/);
    await input.fill('The light at the start sells it');
    await detail.getByRole('button', { name: 'Comment' }).click();
    await olga.page.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    await olga.page.getByRole('complementary', { name: 'Shot 1 detail' }).getByRole('button', { name: 'Open take 1' }).click();
    await olga.page.getByText('The light at the start sells it').waitFor();
    await detail.getByRole('list', { name: 'Comments on Take 1' }).getByRole('button', { name: 'Resolve' }).click();
    await until(async () => (await e2e.server.takeboard.hub.read(boardId, (d) => listComments(d)))[0]?.resolved === true, 'the thread resolved');
    expect((await e2e.server.takeboard.hub.read(boardId, (d) => listComments(d))).map((c) => c.author)).toEqual([cora.user.id]);
    expect(await titleOf(boardId)).toBe('Opening');
    await e2e.screenshot(p, 'roles-commenter-desktop');
    await p.setViewportSize({ width: 390, height: 844 });
    await p.getByRole('note').filter({ hasText: 'You are a commenter' }).waitFor();
    await e2e.screenshot(p, 'roles-commenter-phone');
    for (const u of [olga, cora]) expect(appErrors(u.errors), u.user.name).toEqual([]);
  });
});
