import { expect, it } from 'vitest';
import { addShot, getPromptText, getShot, shotsInOrder, upsertTake } from '../../shared/doc/index.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E } from './harness.js';

describeE2E('e2e: two people on one board', () => {
  const e2e = useE2E();
  const serverDoc = <T>(boardId: string, fn: (doc: import('yjs').Doc) => T) => e2e.server.takeboard.hub.read(boardId, fn);

  it('shows each other’s shot edits and presence live', async () => {
    const ana = await e2e.newUser({ name: 'Ana Lisboa', city: 'Lisbon', timezoneId: 'Europe/Lisbon' });
    const kenji = await e2e.newUser({ name: 'Kenji Mori', city: 'Tokyo', timezoneId: 'Asia/Tokyo' });
    const boardId = await newBoard(ana, 'Two cities');
    await share(ana, kenji, boardId, 'editor');
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);

    await ana.page.getByRole('button', { name: 'Add shot' }).click();
    await ana.page.getByLabel('Title of shot 1').fill('Tram at dawn');
    await expect.poll(() => kenji.page.getByLabel('Title of shot 1').inputValue()).toBe('Tram at dawn');

    await kenji.page.getByLabel('Status of shot 1').selectOption('ready');
    await kenji.page.getByLabel('Shot size of shot 1').selectOption('WS');
    await expect.poll(() => ana.page.getByLabel('Status of shot 1').inputValue()).toBe('ready');
    await expect.poll(() => ana.page.getByLabel('Shot size of shot 1').inputValue()).toBe('WS');

    // Presence: name, city, local time zone, and the shot each is on.
    const kenjiAvatar = ana.page.locator(`.presence-stack [data-user="${kenji.user.id}"]`);
    await expect.poll(() => kenjiAvatar.getAttribute('title')).toMatch(/^Kenji Mori · Tokyo · \d{1,2}:\d\d( [AP]M)? local/);
    await kenji.page.getByLabel('Prompt of shot 1').click();
    await expect.poll(() => kenjiAvatar.getAttribute('title')).toContain('editing shot 1 “Tram at dawn”');
    await ana.page.getByRole('list', { name: 'Teammates on this shot' }).getByText('Kenji Mori · Tokyo · in prompt').first().waitFor();
    await e2e.screenshot(ana.page, 'collab-presence-ana');

    await expect.poll(() => serverDoc(boardId, (d) => shotsInOrder(d)[0]?.status)).toBe('ready');
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  });

  it('merges concurrent typing in one prompt', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const kenji = await e2e.newUser({ name: 'Kenji' });
    const boardId = await newBoard(ana);
    await share(ana, kenji, boardId, 'editor');
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'One take', prompt: 'Camera glides. ' }));
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);

    const promptA = ana.page.getByLabel('Prompt of shot 1');
    const promptK = kenji.page.getByLabel('Prompt of shot 1');
    await expect.poll(() => promptK.inputValue()).toBe('Camera glides. ');
    await promptA.click();
    await promptA.press('End');
    await promptK.click();
    await promptK.press('Home');
    await Promise.all([
      ana.page.keyboard.type('Rain on the tram window.', { delay: 15 }),
      kenji.page.keyboard.type('Night, neon. ', { delay: 15 }),
    ]);
    const expected = 'Night, neon. Camera glides. Rain on the tram window.';
    await expect.poll(() => promptA.inputValue()).toBe(expected);
    await expect.poll(() => promptK.inputValue()).toBe(expected);
    await expect.poll(() => serverDoc(boardId, (d) => getPromptText(d, shotsInOrder(d)[0]!.id).toString())).toBe(expected);

    // Both type at the same spot: each one's words stay whole.
    await promptA.press('End');
    await promptK.press('End');
    await Promise.all([ana.page.keyboard.type(' AAAA', { delay: 20 }), kenji.page.keyboard.type(' KKKK', { delay: 20 })]);
    await expect.poll(async () => (await promptA.inputValue()) === (await promptK.inputValue())).toBe(true);
    const merged = await promptA.inputValue();
    expect(merged).toContain(' AAAA');
    expect(merged).toContain(' KKKK');
    expect(merged.startsWith(expected)).toBe(true);
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  });

  it('gives a viewer a read-only board that still updates live', async () => {
    const owner = await e2e.newUser({ name: 'Owner' });
    const viewer = await e2e.newUser({ name: 'Vera Viewer', city: 'Porto' });
    const boardId = await newBoard(owner);
    await share(owner, viewer, boardId, 'viewer');
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'Locked-off wide', prompt: 'Harbour at dusk' }));
    await openBoard(e2e, viewer, boardId);

    const p = viewer.page;
    await p.getByRole('note').filter({ hasText: 'You are a viewer' }).waitFor();
    expect(await p.getByLabel('Title of shot 1').isDisabled()).toBe(true);
    expect(await p.getByLabel('Prompt of shot 1').isDisabled()).toBe(true);
    expect(await p.getByLabel('Status of shot 1').isDisabled()).toBe(true);
    expect(await p.getByRole('button', { name: 'Add shot' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Delete shot 1' }).count()).toBe(0);
    await p.locator('body').press('n'); // the "new shot" shortcut does nothing for a viewer
    await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    await p.getByRole('complementary', { name: 'Shot 1 detail' }).waitFor();
    await e2e.screenshot(p, 'viewer-read-only');
    expect(await p.getByLabel('Title of shot 2').count()).toBe(0);

    await openBoard(e2e, owner, boardId);
    await owner.page.getByLabel('Title of shot 1').fill('Locked-off wide, take two');
    await expect.poll(() => p.getByLabel('Title of shot 1').inputValue()).toBe('Locked-off wide, take two');
    expect((await serverDoc(boardId, (d) => shotsInOrder(d))).length).toBe(1);
    expect(appErrors(viewer.errors)).toEqual([]);
  });

  it('keeps edits made offline and merges them on reconnect', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const kenji = await e2e.newUser({ name: 'Kenji' });
    const boardId = await newBoard(ana);
    await share(ana, kenji, boardId, 'editor');
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'Bridge', prompt: 'Fog.' }));
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);

    await kenji.context.setOffline(true);
    const badge = kenji.page.getByRole('status', { name: 'Connection' });
    await badge.filter({ hasText: 'Offline' }).waitFor();
    await kenji.page.getByLabel('Title of shot 1').fill('Bridge, from the river');
    await kenji.page.getByLabel('Prompt of shot 1').click();
    await kenji.page.getByLabel('Prompt of shot 1').press('End');
    await kenji.page.keyboard.type(' Gulls.');
    await badge.filter({ hasText: /local edits? pending/ }).waitFor();
    await e2e.screenshot(kenji.page, 'offline-pending');

    // Meanwhile Ana, online, changes the same shot.
    await ana.page.getByLabel('Prompt of shot 1').click();
    await ana.page.getByLabel('Prompt of shot 1').press('Home');
    await ana.page.keyboard.type('Dawn. ');
    await ana.page.getByLabel('Status of shot 1').selectOption('review');
    await expect.poll(() => serverDoc(boardId, (d) => getShot(d, shotsInOrder(d)[0]!.id)?.status)).toBe('review');
    expect(await ana.page.getByLabel('Title of shot 1').inputValue()).toBe('Bridge');

    await kenji.context.setOffline(false);
    await badge.filter({ hasText: 'Online' }).waitFor();
    await expect.poll(() => badge.textContent()).toBe('Online');
    const merged = 'Dawn. Fog. Gulls.';
    await expect.poll(() => ana.page.getByLabel('Title of shot 1').inputValue()).toBe('Bridge, from the river');
    await expect.poll(() => ana.page.getByLabel('Prompt of shot 1').inputValue()).toBe(merged);
    await expect.poll(() => kenji.page.getByLabel('Prompt of shot 1').inputValue()).toBe(merged);
    await expect.poll(() => kenji.page.getByLabel('Status of shot 1').inputValue()).toBe('review');
    await expect.poll(() => serverDoc(boardId, (d) => getPromptText(d, shotsInOrder(d)[0]!.id).toString())).toBe(merged);
    expect(appErrors(kenji.errors)).toEqual([]);
  });

  it('reorders by keyboard and by drag, for everyone', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const kenji = await e2e.newUser({ name: 'Kenji' });
    const boardId = await newBoard(ana);
    await share(ana, kenji, boardId, 'editor');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      for (const title of ['A', 'B', 'C', 'D']) addShot(d, { title });
    });
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);
    const titles = (page: typeof ana.page) => page.locator('.c-title').evaluateAll((els) => (els as HTMLInputElement[]).map((e) => e.value));

    await ana.page.getByLabel('Title of shot 1').click();
    await ana.page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => titles(ana.page)).toEqual(['B', 'A', 'C', 'D']);
    // The focus follows the moved shot, so a second press moves it again.
    await ana.page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => titles(kenji.page)).toEqual(['B', 'C', 'A', 'D']);

    // Drag shot 4 ("D") by its handle onto the first row.
    const handle = kenji.page.getByRole('button', { name: /^Reorder shot 4/ });
    const from = (await handle.boundingBox())!;
    const to = (await kenji.page.getByLabel('Title of shot 1').boundingBox())!;
    await kenji.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await kenji.page.mouse.down();
    await kenji.page.mouse.move(from.x + 5, to.y + 10, { steps: 8 });
    await kenji.page.mouse.up();
    await expect.poll(() => titles(kenji.page)).toEqual(['D', 'B', 'C', 'A']);
    await expect.poll(() => titles(ana.page)).toEqual(['D', 'B', 'C', 'A']);
    expect(await serverDoc(boardId, (d) => shotsInOrder(d).map((s) => s.title))).toEqual(['D', 'B', 'C', 'A']);
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  });

  it('shows a take the server writes on every open board at once', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const kenji = await e2e.newUser({ name: 'Kenji' });
    const boardId = await newBoard(ana);
    await share(ana, kenji, boardId, 'editor');
    let shotId = '';
    await e2e.server.takeboard.hub.change(boardId, (d) => void (shotId = addShot(d, { title: 'Market', prompt: 'Crowd.' })));
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);
    await kenji.page.getByLabel('Title of shot 1').click();
    await kenji.page.getByRole('region', { name: 'Takes' }).getByText('No takes yet').waitFor();

    await e2e.server.takeboard.hub.change(boardId, (d) =>
      upsertTake(d, shotId, 'take_e2e000000000001', { jobId: 'job1', model: 'animatic', durationSec: 5, createdBy: ana.user.id, status: 'running' }),
    );
    await kenji.page.getByRole('listitem', { name: 'Take 1: running' }).waitFor();
    await ana.page.getByText('running', { exact: true }).first().waitFor(); // the row thumbnail
    await e2e.server.takeboard.hub.change(boardId, (d) => upsertTake(d, shotId, 'take_e2e000000000001', { status: 'failed', error: 'provider timed out' }));
    await kenji.page.getByRole('listitem', { name: 'Take 1: failed' }).getByText('provider timed out').waitFor();
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  });
});
