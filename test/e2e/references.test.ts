import { expect, it } from 'vitest';
import { addReferenceVersion, createReference, listReferences } from '../../shared/doc/index.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E, type E2EUser } from './harness.js';

describeE2E('e2e: reference cards', () => {
  const e2e = useE2E();
  const serverRefs = (boardId: string) => e2e.server.takeboard.hub.read(boardId, (d) => listReferences(d));
  const cardNames = (u: E2EUser) => u.page.locator('.ref-grid > li .ref-name .name-text').allInnerTexts();

  /**
   * Drags a card's handle onto the first (before) or last (after) quarter of another card, with
   * real pointer events: left/right where cards sit side by side, above/below where they stack.
   */
  async function drag(u: E2EUser, name: string, onto: string, side: 'before' | 'after') {
    const handle = u.page.getByRole('button', { name: `Drag to reorder ${name}` });
    const target = await u.page.getByRole('article', { name: `Reference ${onto}` }).boundingBox();
    const from = await handle.boundingBox();
    await u.page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await u.page.mouse.down();
    // Near the card's leading or trailing edge (a tall card on a phone shows only its top).
    const inset = (size: number) => Math.min(size * 0.25, 30);
    const x = side === 'before' ? target!.x + inset(target!.width) : target!.x + target!.width - inset(target!.width);
    const y = side === 'before' ? target!.y + inset(target!.height) : target!.y + target!.height - inset(target!.height);
    await u.page.mouse.move(x, y, { steps: 8 });
    await u.page.locator(`.ref-grid > li.drop-${side}`).waitFor();
    await u.page.mouse.up();
  }

  it('keeps the order people give (drag and keyboard), seen by a teammate; never sorted by name', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const bo = await e2e.newUser({ name: 'Bo' });
    const boardId = await newBoard(ana, 'Cards');
    await share(ana, bo, boardId, 'editor');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      for (const name of ['Zed', 'Anna', 'Moss']) createReference(d, { kind: 'character', name });
    });
    await Promise.all([openBoard(e2e, ana, boardId), openBoard(e2e, bo, boardId)]);
    for (const u of [ana, bo]) await u.page.getByRole('tab', { name: 'References' }).click();
    expect(await cardNames(ana)).toEqual(['Zed', 'Anna', 'Moss']);

    await drag(ana, 'Moss', 'Zed', 'before');
    await expect.poll(() => cardNames(ana)).toEqual(['Moss', 'Zed', 'Anna']);
    await expect.poll(() => cardNames(bo)).toEqual(['Moss', 'Zed', 'Anna']);
    await expect.poll(async () => (await serverRefs(boardId)).map((r) => r.name)).toEqual(['Moss', 'Zed', 'Anna']);

    // Keyboard: Bo moves Anna one place earlier.
    await bo.page.getByRole('button', { name: 'Move Anna earlier' }).focus();
    await bo.page.keyboard.press('Enter');
    await expect.poll(() => cardNames(ana)).toEqual(['Moss', 'Anna', 'Zed']);
    expect(await bo.page.getByRole('button', { name: 'Move Moss earlier' }).isDisabled()).toBe(true);

    // A rename does not re-sort; the order survives a reload.
    await ana.page.getByRole('button', { name: 'Rename reference Zed' }).click();
    await ana.page.getByLabel('New name for reference Zed').fill('Aaron');
    await ana.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => cardNames(bo)).toEqual(['Moss', 'Anna', 'Aaron']);
    await openBoard(e2e, bo, boardId);
    await bo.page.getByRole('tab', { name: 'References' }).click();
    await expect.poll(() => cardNames(bo)).toEqual(['Moss', 'Anna', 'Aaron']);

    // On a phone the cards stack; dragging onto the top of a card puts it before.
    await ana.page.setViewportSize({ width: 390, height: 844 });
    // Moss's top edge and Anna's handle below it both on screen, as a finger would find them.
    await ana.page.getByRole('article', { name: 'Reference Moss' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await drag(ana, 'Anna', 'Moss', 'before');
    await expect.poll(() => cardNames(bo)).toEqual(['Anna', 'Moss', 'Aaron']);
    expect(await ana.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await e2e.screenshot(ana.page, 'references-order-phone');
    for (const u of [ana, bo]) expect(appErrors(u.errors)).toEqual([]);
  });

  it('reorders by finger on a touch screen (pointer events from real touches)', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Touch');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      for (const name of ['Kite', 'Pier']) createReference(d, { kind: 'prop', name });
    });
    // Tall enough that both cards are on screen: a touch lands only where the screen is.
    const context = await e2e.browser.newContext({ viewport: { width: 390, height: 1600 }, hasTouch: true, isMobile: true });
    try {
      await context.addCookies([...ana.client.cookies].map(([name, value]) => ({ name, value, url: e2e.server.url })));
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${e2e.server.url}/boards/${boardId}`);
      await page.locator('[role="status"][data-status="online"]').waitFor();
      await page.getByRole('tab', { name: 'References' }).click();
      const handle = (await page.getByRole('button', { name: 'Drag to reorder Pier' }).boundingBox())!;
      const kite = (await page.getByRole('article', { name: 'Reference Kite' }).boundingBox())!;
      const cdp = await context.newCDPSession(page);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
      const from = { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 };
      const to = { x: kite.x + kite.width / 2, y: kite.y + kite.height * 0.25 };
      await touch('touchStart', from.x, from.y);
      for (let i = 1; i <= 8; i++) await touch('touchMove', from.x + ((to.x - from.x) * i) / 8, from.y + ((to.y - from.y) * i) / 8);
      await page.locator('.ref-grid > li.drop-before').waitFor();
      await touch('touchEnd', to.x, to.y);
      await expect.poll(async () => (await serverRefs(boardId)).map((r) => r.name)).toEqual(['Pier', 'Kite']);
    } finally {
      await context.close();
    }
  });

  it('renames and deletes a version, adds one from images in one step, refuses empty names with a message, and shows long names whole on hover', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Versions');
    const longName = 'Mara Okonkwo-Villanueva, lead, in the green raincoat from the first act';
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      const mara = createReference(d, { kind: 'character', name: longName });
      addReferenceVersion(d, mara, { beat: 'Act 1', assets: [], createdAt: '2026-12-01T10:00:00Z' });
      addReferenceVersion(d, mara, { beat: 'Act 2', assets: [], createdAt: '2026-12-01T11:00:00Z' });
    });
    await openBoard(e2e, ana, boardId);
    const p = ana.page;
    await p.getByRole('tab', { name: 'References' }).click();

    // Adding a reference without a name says why.
    await p.getByRole('button', { name: 'Add reference' }).click();
    await expect.poll(() => p.locator('.inline-form [role="alert"]').innerText()).toBe('Name: must not be empty; type a name, e.g. Mara (lead)');
    expect((await serverRefs(boardId)).length).toBe(1);

    // The long name is cut on screen and whole in its title.
    const name = p.locator('.ref-name .name-text');
    expect(await name.getAttribute('title')).toBe(longName);
    expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);

    const card = p.getByRole('article', { name: `Reference ${longName}` });
    await card.getByRole('button', { name: `Rename version 2 of ${longName}` }).click();
    const input = card.getByLabel(`New beat for version 2 of ${longName}`);
    await input.fill('   ');
    await card.getByRole('button', { name: 'Save' }).click();
    expect(await card.locator('.rename-form [role="alert"]').innerText()).toBe('Beat: must not be empty; type a name');
    await input.fill('Act 2, soaked');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await serverRefs(boardId))[0]!.versions.map((v) => v.beat)).toEqual(['Act 1', 'Act 2, soaked']);

    // Images make a version in one step; with no beat typed it is called "Version N", to rename later.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await card.getByLabel(`Upload media for ${longName}`).setInputFiles({ name: 'still.png', mimeType: 'image/png', buffer: png });
    await expect.poll(async () => (await serverRefs(boardId))[0]!.versions.map((v) => [v.beat, v.assets.length])).toEqual([['Act 1', 0], ['Act 2, soaked', 0], ['Version 3', 1]]);
    await card.getByRole('button', { name: `Delete version 3 of ${longName}` }).click();
    await card.getByRole('button', { name: `Really delete version Version 3 of ${longName}?` }).click();
    await expect.poll(async () => (await serverRefs(boardId))[0]!.versions.length).toBe(2);

    // An empty new beat is refused too.
    await card.getByRole('button', { name: 'Add version' }).click();
    expect(await card.locator('.new-version [role="alert"]').innerText()).toBe('Beat: must not be empty; type a name, e.g. act 2');

    await card.getByRole('button', { name: `Delete version 1 of ${longName}` }).click();
    await card.getByRole('button', { name: `Really delete version Act 1 of ${longName}?` }).click();
    await expect.poll(async () => (await serverRefs(boardId))[0]!.versions.map((v) => v.beat)).toEqual(['Act 2, soaked']);
    await expect.poll(async () => (await serverRefs(boardId))[0]!.currentVersion).toBe((await serverRefs(boardId))[0]!.versions[0]!.id);
    await e2e.screenshot(p, 'references-versions-desktop');
    await p.setViewportSize({ width: 390, height: 844 });
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await e2e.screenshot(p, 'references-versions-phone');
    expect(appErrors(ana.errors)).toEqual([]);
  });
});
