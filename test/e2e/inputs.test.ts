import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addReferenceVersion, addShot, createReference, getMeta, getShot, listTakes, setMeta, shotsInOrder } from '../../shared/doc/index.js';
import { ffmpeg } from '../assets/media-fixtures.js';
import type { TestClient } from '../helpers/http.js';
import { appErrors, describeE2E, newBoard, openBoard, share, startE2E, until, type E2E, type E2EUser } from './harness.js';

const SEEDANCE = 'ark:dreamina-seedance-2-0-260128';

describeE2E('e2e: inputs in the user’s words, offline Generate, frame pickers', () => {
  let e2e: E2E;
  let media: string;
  let ana: E2EUser;
  let kenji: E2EUser;
  let boardId: string;
  beforeAll(async () => {
    e2e = await startE2E();
    media = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-e2e-inputs-'));
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x180', '-frames:v', '1', path.join(media, 'kenji-sketch.png'));
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=orange:size=320x180', '-frames:v', '1', path.join(media, 'mara-sheet.png'));

    ana = await e2e.newUser({ name: 'Ana' });
    kenji = await e2e.newUser({ name: 'Kenji' });
    boardId = await newBoard(ana, 'Inputs');
    await share(ana, kenji, boardId, 'editor');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      addShot(d, { title: 'Alley', prompt: 'a courier runs through neon rain', durationSec: 2, model: 'animatic' });
      addShot(d, { title: 'Rooftop', prompt: 'she climbs onto the roof', durationSec: 3, model: 'animatic', mode: 'image' });
      addShot(d, { title: 'Market', prompt: 'a crowded night market', durationSec: 6, model: SEEDANCE });
    });
  }, 60_000);
  afterAll(async () => {
    await e2e?.close();
    fs.rmSync(media, { recursive: true, force: true });
  });
  const serverDoc = <T>(fn: (doc: import('yjs').Doc) => T) => e2e.server.takeboard.hub.read(boardId, fn);
  const shotId = (n: number) => serverDoc((d) => shotsInOrder(d)[n - 1]!.id);
  /** Records every value the page writes into the field, so "never showed it" is checked, not sampled. */
  const watchValues = (u: E2EUser, label: string) =>
    u.page.evaluate((label) => {
      const el = document.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!;
      const seen: string[] = [el.value];
      (window as unknown as { __seen: string[] }).__seen = seen;
      const proto = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!;
      Object.defineProperty(HTMLInputElement.prototype, 'value', {
        ...proto,
        set(this: HTMLInputElement, v: string) {
          proto.set!.call(this, v);
          if (this.getAttribute('aria-label') === label && seen[seen.length - 1] !== this.value) seen.push(this.value);
        },
      });
    }, label);
  const seenValues = (u: E2EUser) => u.page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  const noFailedToFetch = async (u: E2EUser) => expect(await u.page.locator('body').innerText()).not.toMatch(/Failed to fetch|NetworkError/i);

  it('refuses an out-of-range duration next to the field with the model’s range; the teammate never sees it', async () => {
    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);
    const label = 'Duration of shot 3 in seconds';
    await watchValues(kenji, label);
    const field = ana.page.getByLabel(label);
    await field.fill('30');
    await field.press('Tab');
    const error = ana.page.locator('.shot-row[data-shot-id] [data-field-error="durationSec"]');
    await expect.poll(() => error.innerText()).toBe('Seedance 2.0 (BytePlus): 4-15 s');
    expect(await field.inputValue()).toBe('30');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await e2e.screenshot(ana.page, 'inputs-duration-refused');

    // Escape shows the reason rather than silently reverting; a second Escape puts the shared value back.
    await field.fill('99');
    await field.press('Escape');
    await expect.poll(() => error.innerText()).toBe('Seedance 2.0 (BytePlus): 4-15 s');
    expect(await field.inputValue()).toBe('99');
    await field.press('Escape');
    await expect.poll(() => field.inputValue()).toBe('6');
    expect(await error.count()).toBe(0);
    // Escape on an allowed draft cancels it, as everywhere else.
    await field.fill('8');
    await field.press('Escape');
    await expect.poll(() => field.inputValue()).toBe('6');

    // Half seconds: the message says what is wrong instead of contradicting itself.
    const dur2 = ana.page.getByLabel('Duration of shot 2 in seconds');
    await dur2.fill('2.5');
    await dur2.press('Enter');
    await ana.page.getByText('Animatic (offline): whole seconds, 1-20 s').waitFor();

    // On a phone, the detail panel's duration field says the same beside itself.
    await ana.page.getByLabel('Title of shot 3').click();
    await ana.page.setViewportSize({ width: 390, height: 844 });
    const detailDur = ana.page.getByRole('complementary', { name: 'Shot 3 detail' }).getByLabel('Shot duration in seconds');
    await detailDur.fill('3');
    await detailDur.press('Enter');
    await ana.page.getByRole('complementary', { name: 'Shot 3 detail' }).locator('[data-field-error="durationSec"]').getByText('Seedance 2.0 (BytePlus): 4-15 s').waitFor();
    await e2e.screenshot(ana.page, 'inputs-duration-refused-phone');
    await detailDur.press('Escape');
    await detailDur.press('Escape');
    await ana.page.setViewportSize({ width: 1280, height: 800 });

    // A valid value is written and reaches the teammate; the refused ones never did.
    await field.fill('12');
    await field.press('Enter');
    await expect.poll(() => kenji.page.getByLabel(label).inputValue()).toBe('12');
    const s3 = await shotId(3);
    expect(await serverDoc((d) => getShot(d, s3)?.durationSec)).toBe(12);
    expect(await seenValues(kenji)).toEqual(['6', '12']);
    expect(await serverDoc((d) => getShot(d, shotsInOrder(d)[1]!.id)?.durationSec)).toBe(3);

    // Sprint settings: each refused field says why beside itself, and nothing is written.
    await ana.page.getByRole('button', { name: 'Sprint settings' }).click();
    await ana.page.getByLabel('Sprint start').fill('2026-12-05T09:00');
    await ana.page.getByLabel('Sprint end').fill('2026-12-01T09:00');
    await ana.page.getByLabel('Budget (USD)').fill('-5');
    await ana.page.getByRole('button', { name: 'Save' }).click();
    await ana.page.locator('[data-field-error="end"]').getByText('Sprint end: after the sprint start').waitFor();
    await ana.page.locator('[data-field-error="budget"]').getByText('Budget: an amount in US dollars, 0 or more (empty for no budget)').waitFor();
    await e2e.screenshot(ana.page, 'inputs-sprint-refused');
    expect(await serverDoc((d) => getMeta(d))).not.toHaveProperty('budgetMicroUsd');
    await ana.page.getByRole('button', { name: 'Cancel' }).click();
    await noFailedToFetch(ana);
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 60_000);

  it('offline: Generate is disabled with “offline: reconnect to queue”, and no “Failed to fetch” anywhere', async () => {
    await openBoard(e2e, ana, boardId);
    await ana.page.getByLabel('Title of shot 1').click();
    const detail = ana.page.getByRole('complementary', { name: 'Shot 1 detail' });
    const generate = detail.getByRole('button', { name: 'Generate', exact: true });
    await expect.poll(() => generate.isEnabled()).toBe(true);

    await ana.context.setOffline(true);
    await ana.page.locator('[role="status"][data-status="offline"]').waitFor();
    await expect.poll(() => generate.isDisabled()).toBe(true);
    await detail.getByText('offline: reconnect to queue').waitFor();
    await e2e.screenshot(ana.page, 'inputs-offline-generate');
    await ana.page.setViewportSize({ width: 390, height: 844 });
    await generate.scrollIntoViewIfNeeded();
    await e2e.screenshot(ana.page, 'inputs-offline-generate-phone');
    await ana.page.setViewportSize({ width: 1280, height: 800 });
    // Anything that still reaches for the network says so in words.
    await ana.page.getByLabel('Title of shot 2').click();
    const detail2 = ana.page.getByRole('complementary', { name: 'Shot 2 detail' });
    await detail2.getByLabel('Upload start frame').setInputFiles(path.join(media, 'kenji-sketch.png'));
    await detail2.getByText('Could not reach the server: check your connection and try again.').waitFor();
    await noFailedToFetch(ana);
    await e2e.screenshot(ana.page, 'inputs-offline-upload');

    await ana.context.setOffline(false);
    await ana.page.locator('[role="status"][data-status="online"]').waitFor();
    await ana.page.getByLabel('Title of shot 1').click();
    await expect.poll(() => generate.isEnabled()).toBe(true);
    expect(await detail.getByText('offline: reconnect to queue').count()).toBe(0);
    // Chromium logs each request it could not send while offline; nothing else may be logged.
    expect(appErrors(ana.errors).filter((e) => !/net::ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
    ana.errors.length = 0;
  }, 60_000);

  it('the frame picker names a teammate’s upload, a reference beat and an earlier take’s stills for what they are', async () => {
    // An earlier take of shot 1 (its last frame and poster are stills on the board).
    const s1 = await shotId(1);
    const g = await ana.client.post(`/api/boards/${boardId}/shots/${s1}/generate`, {});
    expect(g.status).toBe(202);
    await until(() => serverDoc((d) => listTakes(d, s1).some((t) => t.status === 'succeeded' && Boolean(t.lastFrame))), 'the take to finish', 60_000);
    // Ana opened the board before Kenji uploads: his upload must still be offered to her.
    await openBoard(e2e, ana, boardId);
    await upload(kenji.client, boardId, path.join(media, 'kenji-sketch.png'));
    const sheet = await upload(kenji.client, boardId, path.join(media, 'mara-sheet.png'));
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      const mara = createReference(d, { kind: 'character', name: 'Mara' });
      addReferenceVersion(d, mara, { beat: 'beat 1', assets: [] });
      addReferenceVersion(d, mara, { beat: 'beat 2', assets: [sheet] });
    });

    await ana.page.getByLabel('Title of shot 2').click();
    const detail = ana.page.getByRole('complementary', { name: 'Shot 2 detail' });
    await detail.getByRole('button', { name: 'Choose start frame' }).click();
    const images = detail.getByRole('group', { name: 'Images for the start frame' });
    await images.getByRole('region', { name: 'Uploads' }).getByRole('button', { name: 'kenji-sketch.png' }).waitFor();
    await images.getByRole('region', { name: 'References' }).getByRole('button', { name: 'Mara, beat 2 (character)' }).waitFor();
    const takes = images.getByRole('region', { name: 'Earlier takes' });
    await takes.getByRole('button', { name: 'last frame of shot 1 take #1' }).waitFor();
    await takes.getByRole('button', { name: 'poster of shot 1 take #1' }).waitFor();
    // Every thumbnail loads (the server's still of each image), none is a broken image.
    await expect
      .poll(() => images.locator('img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)), { timeout: 15_000 })
      .toBe(true);
    const listed = await images.innerText();
    expect(listed).not.toMatch(/take-|last-frame|poster\.jpg|\.mp4/);
    // The sheet is named through its reference, not listed again as a bare upload.
    expect(listed.match(/mara-sheet/g)).toBeNull();
    await takes.scrollIntoViewIfNeeded();
    await e2e.screenshot(ana.page, 'inputs-frame-picker');
    await ana.page.setViewportSize({ width: 390, height: 844 });
    await images.getByRole('button', { name: 'last frame of shot 1 take #1' }).scrollIntoViewIfNeeded();
    await e2e.screenshot(ana.page, 'inputs-frame-picker-phone');

    await images.getByRole('button', { name: 'last frame of shot 1 take #1' }).click();
    const lastFrame = await serverDoc((d) => listTakes(d, s1).find((t) => t.status === 'succeeded')!.lastFrame);
    const s2 = await shotId(2);
    await until(async () => (await serverDoc((d) => getShot(d, s2)?.startFrame)) === lastFrame, 'the start frame to be stored');
    await detail.getByText('last frame of shot 1 take #1').waitFor();
    await ana.page.setViewportSize({ width: 1280, height: 800 });
    await openBoard(e2e, kenji, boardId);
    await kenji.page.getByLabel('Title of shot 2').click();
    await kenji.page.getByRole('complementary', { name: 'Shot 2 detail' }).getByText('last frame of shot 1 take #1').waitFor();
    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 120_000);

  it('the queue estimate reads in seconds from measured renders, per job and against the sprint end', async () => {
    await e2e.server.takeboard.hub.change(boardId, (d) => setMeta(d, { sprintEnd: new Date(Date.now() + 2 * 3_600_000).toISOString() }));
    await openBoard(e2e, ana, boardId);
    const s1 = await shotId(1);
    for (let i = 0; i < 8; i++) expect((await ana.client.post(`/api/boards/${boardId}/shots/${s1}/generate`, {})).status).toBe(202);
    const metric = ana.page.getByLabel('Queue estimate');
    const eta = metric.getByRole('button', { name: /^(done in|finishing)/ });
    await eta.click();
    const list = metric.getByRole('list', { name: 'Open jobs' });
    await list.getByText(/Shot 1 · Animatic \(offline\) · (rendering|#\d+ in queue) · done in \d+(\.\d)? s \(typical/).first().waitFor();
    await metric.getByText('before the sprint ends').waitFor();
    await e2e.screenshot(ana.page, 'inputs-queue-estimate');
    await ana.page.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(ana.page, 'inputs-queue-estimate-phone');
    await ana.page.setViewportSize({ width: 1280, height: 800 });
    // An animatic render takes about a second: never minutes, never a rounded-up "1m".
    expect(await metric.innerText()).not.toMatch(/\bmin\b|\d+m\b/);
    await until(async () => (await ana.client.get(`/api/boards/${boardId}/jobs`)).body.every((j: { status: string }) => j.status !== 'queued' && j.status !== 'running'), 'the queue to drain', 60_000);
    await metric.getByText('idle').waitFor();
    expect(appErrors(ana.errors)).toEqual([]);
  }, 120_000);
});

/** Uploads a file as `client` through the real multipart route; returns the asset id. */
async function upload(client: TestClient, boardId: string, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type: 'image/png' }), path.basename(file));
  const res = await client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
