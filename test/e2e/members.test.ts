import { expect, it } from 'vitest';
import { shotsInOrder } from '../../shared/doc/index.js';
import { uniqueEmail } from '../helpers/http.js';
import { appErrors, describeE2E, newBoard, openBoard, useE2E } from './harness.js';

describeE2E('e2e: invites, members and roles', () => {
  const e2e = useE2E();

  it('joins through an invite link (the owner’s open panel shows them); edits queued offline while made a viewer are refused with a message', async () => {
    const owner = await e2e.newUser({ name: 'Olga Owner', city: 'Berlin' });
    const boardId = await newBoard(owner, 'Invite board');
    await openBoard(e2e, owner, boardId);
    await owner.page.getByRole('button', { name: 'Add shot' }).click();
    await owner.page.getByLabel('Title of shot 1').fill('Opening');

    // The owner makes an editor link in the members panel and keeps the panel open.
    await owner.page.getByRole('button', { name: 'Members' }).click();
    const panel = owner.page.getByRole('dialog', { name: 'Members' });
    await panel.getByRole('button', { name: 'Create editor invite' }).click();
    const url = await panel.getByLabel('Invite link').inputValue();
    expect(url).toMatch(/\/invite\//);

    // A newcomer opens it, signs up from the invite page, and joins.
    const guest = await e2e.newVisitor('America/Sao_Paulo');
    await guest.page.goto(url);
    await guest.page.getByRole('heading', { name: 'Join “Invite board”' }).waitFor();
    await guest.page.getByRole('link', { name: 'Sign up to join' }).click();
    await guest.page.getByLabel('Name').fill('Gil Guest');
    await guest.page.getByLabel('Email').fill(uniqueEmail('guest'));
    await guest.page.getByLabel('Password').fill('correct horse battery');
    await guest.page.getByLabel('City').fill('São Paulo');
    await guest.page.getByRole('button', { name: 'Sign up' }).click();
    await guest.page.getByRole('button', { name: 'Join board' }).click();
    await guest.page.waitForURL(/\/boards\//);
    await guest.page.locator('[role="status"][data-status="online"]').waitFor();
    await expect.poll(() => guest.page.getByLabel('Title of shot 1').inputValue()).toBe('Opening');
    expect(await guest.page.getByLabel('Title of shot 1').isEnabled()).toBe(true);

    // The owner's open panel shows the newcomer (and their city) without being reopened.
    await panel.getByText('São Paulo').waitFor();

    // The guest goes offline and keeps typing; meanwhile the owner makes them a viewer.
    await guest.context.setOffline(true);
    await guest.page.locator('[role="status"][data-status="offline"]').waitFor();
    await guest.page.getByLabel('Title of shot 1').fill('Opening (guest edit)');
    await panel.getByLabel('Role of Gil Guest').selectOption('viewer');
    await e2e.screenshot(owner.page, 'members-panel');
    await expect.poll(async () => (await owner.client.get(`/api/boards/${boardId}/members`)).body.find((m: { name: string }) => m.name === 'Gil Guest')?.role).toBe('viewer');

    // Back online: the queued edit is refused with a message; the board turns read-only and says why.
    await guest.context.setOffline(false);
    await guest.page.getByRole('alert').filter({ hasText: 'did not accept your last edit' }).waitFor();
    await expect.poll(() => guest.page.getByLabel('Title of shot 1').isDisabled()).toBe(true);
    await guest.page.getByRole('note').filter({ hasText: 'Your role changed to viewer' }).waitFor();
    expect(await e2e.server.takeboard.hub.read(boardId, (d) => shotsInOrder(d)[0]?.title)).toBe('Opening');
    await expect.poll(() => owner.page.getByLabel('Title of shot 1').inputValue()).toBe('Opening');
    // Dropping the refused edit shows the board as stored.
    await guest.page.getByRole('button', { name: 'Discard them and reload' }).click();
    await expect.poll(() => guest.page.getByLabel('Title of shot 1').inputValue()).toBe('Opening');
    await guest.page.getByRole('note').filter({ hasText: 'You are a viewer' }).waitFor();

    // Links can be revoked.
    await panel.getByRole('button', { name: 'Create viewer invite' }).click();
    const invites = panel.getByRole('list', { name: 'Invites' }).getByRole('listitem');
    await expect.poll(() => invites.count()).toBe(2);
    await invites.filter({ hasText: 'viewer link' }).getByRole('button', { name: /^Revoke/ }).click();
    await expect.poll(() => invites.count()).toBe(1);
    expect(appErrors(owner.errors)).toEqual([]);
    expect(appErrors(guest.errors)).toEqual([]);
  });
});
