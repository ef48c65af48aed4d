/**
 * Audio references in the browser: a voice line uploaded with a character's still becomes part of
 * the same version, shows as a player with its name and length (Chromium plays what the server
 * serves), and the shot's "Will send" counts it. Desktop and a 390 px phone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listReferences } from '../../shared/doc/index.js';
import { ffmpeg } from '../assets/media-fixtures.js';
import { appErrors, describeE2E, newBoard, openBoard, startE2E, type E2E } from './harness.js';

describeE2E('e2e: audio references', () => {
  let e2e: E2E;
  let dir: string;
  beforeAll(async () => {
    e2e = await startE2E();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-e2e-audio-'));
    await Promise.all([
      ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x180', '-frames:v', '1', path.join(dir, 'mara-sheet.png')),
      ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100:duration=2', '-c:a', 'pcm_s16le', path.join(dir, 'mara-line.wav')),
    ]);
  }, 60_000);
  afterAll(async () => {
    await e2e?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a voice line sits beside the still in a version, plays, and the shot will send it', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Voices');
    await openBoard(e2e, ana, boardId);
    const p = ana.page;
    await p.getByRole('button', { name: 'Add shot' }).click();
    await p.getByLabel('Title of shot 1').fill('Mara answers');

    await p.getByRole('tab', { name: 'References' }).click();
    await p.getByLabel('New reference kind').selectOption('character');
    await p.getByLabel('New reference name').fill('Mara');
    await p.getByRole('button', { name: 'Add reference' }).click();
    const card = p.getByRole('article', { name: 'Reference Mara' });
    await card.getByLabel('New beat for Mara').fill('Act 1');
    await card.getByLabel('Upload media for Mara').setInputFiles([path.join(dir, 'mara-sheet.png'), path.join(dir, 'mara-line.wav')]);
    const player = card.locator('.version-assets figure.asset-audio');
    await player.getByText('mara-line.wav').waitFor();
    await expect.poll(() => e2e.server.takeboard.hub.read(boardId, (d) => listReferences(d)[0]?.versions[0]?.assets.length)).toBe(2);
    expect(await player.locator('figcaption').innerText()).toMatch(/mara-line\.wav\s*· 2 s/);
    // Chromium loads the served file as sound and reads its length.
    const seconds = await player.locator('audio').evaluate(async (el: HTMLAudioElement) => {
      el.preload = 'metadata';
      el.load();
      await new Promise((resolve, reject) => {
        el.addEventListener('loadedmetadata', resolve, { once: true });
        el.addEventListener('error', () => reject(new Error(`audio error ${el.error?.code}`)), { once: true });
      });
      return el.duration;
    });
    expect(seconds).toBeCloseTo(2, 0);
    await e2e.screenshot(p, 'audio-reference-card');

    // Assigned to the shot in reference mode: the animatic takes one sound, so it will be sent.
    await p.getByRole('tab', { name: 'Assignments' }).click();
    await p.getByRole('button', { name: 'Mara on shot 1: not assigned' }).click();
    await p.getByRole('tab', { name: 'Shots' }).click();
    await p.getByLabel('Mode of shot 1').selectOption('reference');
    await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
    const willSend = detail.getByRole('list', { name: 'Will send' });
    await willSend.getByText(/1 image, 1 audio file/).waitFor();
    await willSend.getByRole('img', { name: 'Mara: audio' }).waitFor();
    await detail.getByText('Animatic (offline) takes up to 9 reference images, no clips and 1 audio file(s); this shot sends 1 image(s), 0 clip(s) and 1 audio file(s).').waitFor();
    await willSend.scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'audio-reference-will-send');

    // A phone: the player fits, nothing scrolls sideways.
    await p.setViewportSize({ width: 390, height: 844 });
    await p.keyboard.press('Escape');
    await p.getByRole('tab', { name: 'References' }).click();
    await card.locator('.version-assets').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const box = await player.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await e2e.screenshot(p, 'audio-reference-card-phone');
    expect(appErrors(ana.errors)).toEqual([]);
  });
});
