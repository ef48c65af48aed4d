import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getShot, listReferences, shotsInOrder } from '../../shared/doc/index.js';
import { ffmpeg } from '../assets/media-fixtures.js';
import { appErrors, describeE2E, newBoard, openBoard, share, startE2E, type E2E } from './harness.js';

describeE2E('e2e: references, assignments, generation, shortcuts', () => {
  let e2e: E2E;
  let still: string;
  beforeAll(async () => {
    e2e = await startE2E();
    still = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-e2e-media-')), 'mara-sheet.png');
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x180', '-frames:v', '1', still);
  }, 60_000);
  afterAll(async () => {
    await e2e?.close();
    fs.rmSync(path.dirname(still), { recursive: true, force: true });
  });
  const doc = <T>(boardId: string, fn: (d: import('yjs').Doc) => T) => e2e.server.takeboard.hub.read(boardId, fn);

  it('builds a reference with beats, assigns it in the matrix, generates, and the take shows up for a teammate', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const kenji = await e2e.newUser({ name: 'Kenji' });
    const boardId = await newBoard(ana, 'Production');
    await share(ana, kenji, boardId, 'editor');
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);
    const p = ana.page;
    await p.getByRole('button', { name: 'Add shot' }).click();
    await p.getByLabel('Title of shot 1').fill('Mara at the window');
    await p.getByLabel('Prompt of shot 1').fill('Mara looks out at the rain, slow push-in');

    // Reference library: a character with two beats, one image uploaded.
    await p.getByRole('tab', { name: 'References' }).click();
    await p.getByLabel('New reference kind').selectOption('character');
    await p.getByLabel('New reference name').fill('Mara');
    await p.getByRole('button', { name: 'Add reference' }).click();
    const card = p.getByRole('article', { name: 'Reference Mara' });
    await card.getByLabel('New beat for Mara').fill('Act 1');
    // One step: the picked image is the version, named by the beat typed.
    await card.getByLabel('Upload media for Mara').setInputFiles(still);
    await card.locator('.versions .version-assets img').waitFor();
    await card.getByLabel('New beat for Mara').fill('Act 2, soaked');
    await card.getByRole('button', { name: 'Add version' }).click();
    await card.getByLabel('Make Act 2, soaked the current version of Mara').check();
    await expect.poll(() => doc(boardId, (d) => listReferences(d)[0]?.versions.length)).toBe(2);
    await e2e.screenshot(p, 'references');

    // Assignment matrix: one click follows the current version, the next pins the first beat.
    await p.getByRole('tab', { name: 'Assignments' }).click();
    await p.getByRole('button', { name: 'Mara on shot 1: not assigned' }).click();
    await p.getByRole('button', { name: 'Mara on shot 1: current version' }).click();
    await p.getByRole('button', { name: 'Mara on shot 1: pinned to Act 1' }).waitFor();
    await e2e.screenshot(p, 'matrix');
    const refId = await doc(boardId, (d) => listReferences(d)[0]!.id);
    const act1 = await doc(boardId, (d) => listReferences(d)[0]!.versions.find((v) => v.beat === 'Act 1')!.id);
    await expect.poll(() => doc(boardId, (d) => shotsInOrder(d)[0]?.refs[refId])).toBe(act1);

    // Lock the look: the card freezes.
    await p.getByRole('tab', { name: 'References' }).click();
    await card.getByLabel('Locked').check();
    await expect.poll(() => card.getByLabel('New beat for Mara').count()).toBe(0);

    // Shot detail in reference mode shows the slot, its pinned beat and the model's limits.
    await p.getByRole('tab', { name: 'Shots' }).click();
    await p.getByLabel('Mode of shot 1').selectOption('reference');
    await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
    await detail.getByRole('group', { name: 'References' }).waitFor();
    expect(await detail.getByLabel('Version of Mara').inputValue()).toBe(act1);

    await detail.getByText(/takes up to \d+ reference images/).waitFor();
    await e2e.screenshot(p, 'shot-detail-reference');
    await detail.getByRole('button', { name: 'Generate' }).click();

    // Kenji, on the same board, sees the take arrive and finish.
    await kenji.page.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const kenjiTakes = kenji.page.getByRole('region', { name: 'Takes' });
    await kenjiTakes.getByRole('listitem', { name: /^Take 1: / }).waitFor();
    await kenjiTakes.getByRole('listitem', { name: /^Take 1: (succeeded|failed)$/ }).waitFor({ timeout: 90_000 });
    const status = await kenjiTakes.getByRole('listitem', { name: /^Take 1/ }).getAttribute('aria-label');
    expect(status).toBe('Take 1: succeeded');
    await kenjiTakes.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => doc(boardId, (d) => getShot(d, shotsInOrder(d)[0]!.id)?.status)).toBe('approved');
    await p.getByLabel('Shots approved').filter({ hasText: '1 / 1' }).waitFor();
    // The approval names its approver (signed with Kenji's own id, checked by the sync server).
    await detail.getByText('Approved by Kenji').waitFor();
    await e2e.screenshot(kenji.page, 'take-approved');

    // A comment pinned to a time in the take, seen by the other person.
    await kenjiTakes.getByRole('button', { name: 'Open take 1' }).click();
    await kenjiTakes.getByLabel(/^Comment on Take 1 at/).fill('Hold the window reflection longer');
    await kenjiTakes.getByRole('button', { name: 'Comment' }).click();
    await detail.getByRole('button', { name: 'Open take 1' }).click();
    await detail.getByRole('list', { name: 'Comments on Take 1' }).getByText('Hold the window reflection longer').waitFor();
    // Ana owns the board: she may remove Kenji's comment, and both then see who removed it.
    await detail.getByRole('list', { name: 'Comments on Take 1' }).scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'comment-owner-can-remove');
    await detail.getByRole('button', { name: /^Remove Kenji's comment at / }).click();
    await kenjiTakes.getByRole('list', { name: 'Comments on Take 1' }).getByText('Comment by Kenji removed by Ana').waitFor();
    await e2e.screenshot(kenji.page, 'comment-removed');
    await kenji.page.setViewportSize({ width: 390, height: 844 });
    await kenjiTakes.getByRole('list', { name: 'Comments on Take 1' }).scrollIntoViewIfNeeded();
    await e2e.screenshot(kenji.page, 'comment-removed-phone');
    await kenji.page.setViewportSize({ width: 1280, height: 800 });

    // Sprint: an end two hours out and a budget.
    await p.getByRole('button', { name: 'Sprint settings' }).click();
    const soon = new Date(Date.now() + 2 * 3_600_000 + 60_000);
    const local = new Date(soon.getTime() - soon.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await p.getByLabel('Sprint end').fill(local);
    await p.getByLabel('Budget (USD)').fill('50');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByLabel('Time left in sprint').filter({ hasText: /2h 0\dm|1h 59m/ }).waitFor();
    await kenji.page.getByLabel('Spend').filter({ hasText: 'of $50.00' }).waitFor();

    // A chain: shot 2 continues from shot 1 and inherits its selected take's tail.
    await p.getByRole('button', { name: 'Add shot' }).click();
    await p.getByLabel('Title of shot 2', { exact: true }).fill('Out the door');
    const detail2 = p.getByRole('complementary', { name: 'Shot 2 detail' });
    await detail2.getByLabel('Continues from').selectOption({ label: 'Shot 1: Mara at the window' });
    await detail2.getByText(/Tail of Shot 1: Mara at the window's selected take is attached/).waitFor();
    // Image mode asks for a start frame before anyone can spend money, and takes an upload.
    await detail2.getByRole('radio', { name: 'image' }).check();
    await detail2.getByLabel('Upload start frame').setInputFiles(still);
    await detail2.getByRole('group', { name: 'Start frame' }).getByRole('img', { name: 'Start frame' }).waitFor();
    await e2e.screenshot(p, 'shot-detail-image');
    await detail2.getByRole('radio', { name: 'text' }).check();
    await p.getByRole('tab', { name: 'Sequence' }).click();
    // The whole board plays as it exports: shot 2 has no take yet, so it is a slate after shot 1.
    await p.getByRole('button', { name: /^Cut 2, Out the door, at \d\d:\d\d:\d\d:\d\d, slate: no selected take$/ }).waitFor();
    await e2e.screenshot(p, 'sequence');

    // Exports: the server stitches the plan (shot 2 has no take and is a slate card), the
    // browser downloads a real MP4 named after the board; timelines and the shot list are links.
    const exportPanel = p.getByRole('region', { name: 'Export' });
    await exportPanel.getByRole('button', { name: 'Build sequence' }).click();
    const downloadLink = exportPanel.getByRole('link', { name: 'Download sequence.mp4' });
    await downloadLink.waitFor({ timeout: 60_000 });
    await exportPanel.getByText('Shown as slates (no finished selected take): shot 2 (Out the door).').waitFor();
    const [download] = await Promise.all([p.waitForEvent('download'), downloadLink.click()]);
    expect(download.suggestedFilename()).toMatch(/sequence\.mp4$/);
    const mp4 = fs.readFileSync((await download.path())!);
    expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const csvHref = await exportPanel.getByRole('link', { name: 'Shot list (.csv)' }).getAttribute('href');
    const csv = await p.request.get(new URL(csvHref!, e2e.server.url).href);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('Out the door');
    for (const name of ['OpenTimelineIO (.otio)', 'EDL (CMX 3600)', 'Final Cut Pro XML (.fcpxml)']) {
      const href = await exportPanel.getByRole('link', { name }).getAttribute('href');
      expect((await p.request.get(new URL(href!, e2e.server.url).href)).status(), name).toBe(200);
    }
    await e2e.screenshot(p, 'exports');
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 120_000);

  it('drives the frequent actions from the keyboard, documented in the help popover', async () => {
    const u = await e2e.newUser({ name: 'Keys' });
    const boardId = await newBoard(u, 'Keyboard');
    await openBoard(e2e, u, boardId);
    const p = u.page;
    await p.locator('body').press('?');
    const help = p.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('New shot (after the selected one)').waitFor();
    await e2e.screenshot(p, 'help');
    await p.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);

    await p.keyboard.press('n'); // new shot, focus in its title
    await p.keyboard.type('First');
    await p.keyboard.press('Escape');
    await p.locator('body').click({ position: { x: 5, y: 790 } });
    await p.keyboard.press('n');
    await p.keyboard.type('Second');
    await expect.poll(() => doc(boardId, (d) => shotsInOrder(d).map((s) => s.title))).toEqual(['First', 'Second']);
    await p.locator('body').click({ position: { x: 5, y: 790 } });
    await p.keyboard.press('k'); // select the previous shot
    await p.keyboard.press('d'); // duplicate it
    await expect.poll(() => doc(boardId, (d) => shotsInOrder(d).map((s) => s.title))).toEqual(['First', 'First', 'Second']);
    await p.keyboard.press('Alt+ArrowDown'); // the selected copy moves down
    await expect.poll(() => doc(boardId, (d) => shotsInOrder(d).map((s) => s.title))).toEqual(['First', 'Second', 'First']);
    await p.keyboard.press('3');
    await p.getByRole('tab', { name: 'Assignments', selected: true }).waitFor();
    expect(appErrors(u.errors)).toEqual([]);
  });
});
