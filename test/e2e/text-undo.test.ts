/**
 * Two people in Chromium: typing into one shot title at once keeps both people's characters,
 * and Ctrl+Z / Ctrl+Shift+Z undo and redo only the user's own edits, live for the teammate.
 */
import { expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { addShot, roots, shotsInOrder, upsertTake, SHOT } from '../../shared/doc/index.js';
import { SYNC_MESSAGE } from '../../shared/sync.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E } from './harness.js';

describeE2E('e2e: shared titles and undo', () => {
  const e2e = useE2E();
  const serverDoc = <T>(boardId: string, fn: (doc: import('yjs').Doc) => T) => e2e.server.takeboard.hub.read(boardId, fn);
  const titles = (page: Page) => page.locator('.c-title').evaluateAll((els) => (els as HTMLInputElement[]).map((e) => e.value));

  /** Ana (owner) and Kenji (editor) with a board seeded by the server, both open and live. */
  /** Kenji joins as an editor, or as a second owner where both must edit the board's name (owners rename). */
  async function twoOnABoard(title: string, seed: (doc: import('yjs').Doc) => void, kenjiRole: 'editor' | 'owner' = 'editor') {
    const ana = await e2e.newUser({ name: 'Ana' });
    const kenji = await e2e.newUser({ name: 'Kenji' });
    const boardId = await newBoard(ana, title);
    await share(ana, kenji, boardId, 'editor');
    if (kenjiRole === 'owner') await ana.client.patch(`/api/boards/${boardId}/members/${kenji.user.id}`, { role: 'owner' });
    await e2e.server.takeboard.hub.change(boardId, seed);
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);
    return { ana, kenji, boardId };
  }

  it('two people typing into one title at once both keep their characters', async () => {
    const { ana, kenji, boardId } = await twoOnABoard('Shared titles', (d) => void addShot(d, { title: 'One take' }), 'owner');
    const titleA = ana.page.getByLabel('Title of shot 1');
    const titleK = kenji.page.getByLabel('Title of shot 1');
    await expect.poll(() => titleK.inputValue()).toBe('One take');
    await titleA.click();
    await titleA.press('End');
    await titleK.click();
    await titleK.press('Home');
    // Interleaved keystrokes from both, each landing before the other's has arrived.
    const a = 'ABCDEFGH';
    const k = 'stuvwxyz';
    for (let i = 0; i < a.length; i++) {
      await Promise.all([titleA.press(a[i]!), titleK.press(k[i]!)]);
    }
    const merged = `${k}One take${a}`;
    await expect.poll(() => titleA.inputValue()).toBe(merged);
    await expect.poll(() => titleK.inputValue()).toBe(merged);
    await expect.poll(() => serverDoc(boardId, (d) => shotsInOrder(d)[0]?.title)).toBe(merged);
    // The board title is shared text too.
    const boardA = ana.page.getByLabel('Board title');
    const boardK = kenji.page.getByLabel('Board title');
    await boardA.click();
    await boardA.press('End');
    await boardK.click();
    await boardK.press('Home');
    await Promise.all([boardA.pressSequentially(' II'), boardK.pressSequentially('The ')]);
    await expect.poll(() => boardA.inputValue()).toBe('The Shared titles II');
    await expect.poll(() => boardK.inputValue()).toBe('The Shared titles II');
    await e2e.screenshot(ana.page, 'text-merged-title-1280');
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  });

  it('Ctrl+Z undoes only my own edits (a title, then a move), live for my teammate; redo restores them', async () => {
    const { ana, kenji, boardId } = await twoOnABoard('Undo', (d) => {
      for (const title of ['Alpha', 'Bravo', 'Charlie']) addShot(d, { title });
    });
    await expect.poll(() => titles(kenji.page)).toEqual(['Alpha', 'Bravo', 'Charlie']);
    const undoButton = ana.page.getByRole('button', { name: 'Undo', exact: true });
    const redoButton = ana.page.getByRole('button', { name: 'Redo', exact: true });
    expect(await undoButton.isDisabled()).toBe(true);

    // Ana retitles shot 1 and moves it down; Kenji changes shot 3's status meanwhile.
    const title = ana.page.getByLabel('Title of shot 1', { exact: true });
    await title.click();
    await title.press('ControlOrMeta+a');
    await title.pressSequentially('Opening');
    await title.press('Alt+ArrowDown');
    await expect.poll(() => titles(ana.page)).toEqual(['Bravo', 'Opening', 'Charlie']);
    await kenji.page.getByLabel('Status of shot 3').selectOption('ready');
    await expect.poll(() => ana.page.getByLabel('Status of shot 3').inputValue()).toBe('ready');
    await expect.poll(() => titles(kenji.page)).toEqual(['Bravo', 'Opening', 'Charlie']);
    expect(await undoButton.isEnabled()).toBe(true);

    // Focus is still in Ana's title field: Ctrl+Z there goes to the board's undo, not the browser's.
    await expect.poll(() => ana.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Title of shot 2');
    await ana.page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => titles(ana.page)).toEqual(['Opening', 'Bravo', 'Charlie']);
    await ana.page.keyboard.press('ControlOrMeta+z');
    for (const p of [ana.page, kenji.page]) {
      await expect.poll(() => titles(p)).toEqual(['Alpha', 'Bravo', 'Charlie']);
      expect(await p.getByLabel('Status of shot 3').inputValue()).toBe('ready');
    }
    await expect.poll(() => serverDoc(boardId, (d) => shotsInOrder(d).map((s) => `${s.title}:${s.status}`))).toEqual(['Alpha:draft', 'Bravo:draft', 'Charlie:ready']);
    await e2e.screenshot(ana.page, 'undo-after-two-1280');

    // Kenji's own undo stack holds only his status change; Ana's redo brings hers back.
    await ana.page.keyboard.press('ControlOrMeta+Shift+z');
    await expect.poll(() => titles(kenji.page)).toEqual(['Opening', 'Bravo', 'Charlie']);
    await redoButton.click();
    await expect.poll(() => titles(kenji.page)).toEqual(['Bravo', 'Opening', 'Charlie']);
    expect(await redoButton.isDisabled()).toBe(true);
    expect(await kenji.page.getByLabel('Status of shot 3').inputValue()).toBe('ready');

    // Ctrl+Y after undoing with the button also redoes (Windows habit).
    await undoButton.click();
    await expect.poll(() => titles(kenji.page)).toEqual(['Opening', 'Bravo', 'Charlie']);
    await ana.page.locator('body').click({ position: { x: 5, y: 300 } });
    await ana.page.keyboard.press('Control+y');
    await expect.poll(() => titles(kenji.page)).toEqual(['Bravo', 'Opening', 'Charlie']);
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  });

  it('Ctrl+Z in a shared prompt takes back my typing and leaves my teammate’s words in it', async () => {
    const { ana, kenji } = await twoOnABoard('Prompt undo', (d) => void addShot(d, { title: 'One', prompt: 'rain' }));
    const promptA = ana.page.getByLabel('Prompt of shot 1');
    const promptK = kenji.page.getByLabel('Prompt of shot 1');
    await expect.poll(() => promptK.inputValue()).toBe('rain');
    await promptA.click();
    await promptA.press('End');
    await promptA.pressSequentially(' at night');
    await promptK.click();
    await promptK.press('Home');
    await promptK.pressSequentially('neon ');
    await expect.poll(() => promptA.inputValue()).toBe('neon rain at night');
    await promptA.press('ControlOrMeta+z');
    for (const p of [promptA, promptK]) await expect.poll(() => p.inputValue()).toBe('neon rain');
    await promptA.press('ControlOrMeta+Shift+z');
    for (const p of [promptA, promptK]) await expect.poll(() => p.inputValue()).toBe('neon rain at night');
  });

  it('undoing a shot deletion that took takes along is refused with a message, never sent', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Takes');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      const id = addShot(d, { title: 'Has takes' });
      upsertTake(d, id, 'take_1', { jobId: 'job_1', status: 'succeeded', model: 'animatic', durationSec: 5, costMicroUsd: 0, createdBy: ana.user.id, createdAt: new Date().toISOString() });
      addShot(d, { title: 'Plain' });
    });
    await openBoard(e2e, ana, boardId);
    await expect.poll(() => titles(ana.page)).toEqual(['Has takes', 'Plain']);
    await ana.page.getByRole('button', { name: 'Delete shot 1' }).click();
    await ana.page.getByRole('button', { name: 'Confirm delete shot 1' }).click();
    await expect.poll(() => titles(ana.page)).toEqual(['Plain']);
    await ana.page.getByRole('button', { name: 'Undo', exact: true }).click();
    await ana.page.getByText('only the server can write takes').waitFor();
    expect(await titles(ana.page)).toEqual(['Plain']);
    expect(await ana.page.locator('[data-status="online"]').count()).toBe(1);
    expect(await serverDoc(boardId, (d) => shotsInOrder(d).map((s) => s.title))).toEqual(['Plain']);
  });

  it('an edit from an outdated build (a plain string title) is refused and the page says to reload', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Outdated');
    let shotId = '';
    await e2e.server.takeboard.hub.change(boardId, (d) => void (shotId = addShot(d, { title: 'Shared title' })));
    // The page's own socket, so the refusal reaches this page exactly as it would an old build's.
    let toServer: WebSocketRoute | undefined;
    await ana.page.routeWebSocket(/\/sync\//, (ws) => {
      toServer = ws.connectToServer();
    });
    await openBoard(e2e, ana, boardId);
    await expect.poll(() => ana.page.getByLabel('Title of shot 1', { exact: true }).inputValue()).toBe('Shared title');
    // What a build from before shared titles sends when its user retitles the shot.
    const update = await serverDoc(boardId, (d) => {
      const old = new Y.Doc();
      Y.applyUpdate(old, Y.encodeStateAsUpdate(d));
      const sv = Y.encodeStateVector(old);
      (roots(old).shots.get(shotId) as Y.Map<unknown>).set(SHOT.title, 'Retitled the old way');
      return Y.encodeStateAsUpdate(old, sv);
    });
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, SYNC_MESSAGE.sync);
    syncProtocol.writeUpdate(enc, update);
    toServer!.send(Buffer.from(encoding.toUint8Array(enc)));
    await ana.page.getByRole('alert').filter({ hasText: 'This board was updated; reload the page' }).waitFor();
    await e2e.screenshot(ana.page, 'outdated-reload-1280');
    expect(await serverDoc(boardId, (d) => shotsInOrder(d)[0]?.title)).toBe('Shared title');
    await ana.page.getByRole('button', { name: 'Reload', exact: true }).click();
    await ana.page.locator('[role="status"][data-status="online"]').waitFor();
    expect(await ana.page.getByLabel('Title of shot 1', { exact: true }).inputValue()).toBe('Shared title');
  });
});
