/**
 * The continuity bible in the browser, against the local fakes of BytePlus ModelArk and Kling: an
 * owner sets the bible in the References tab, and an editor with a shot open sees its "Will send"
 * list follow live: each bible file in its slot with the model's prompt tag (Seedance 2.0
 * `@image1`, `@audio1`), the prompt as sent; on Kling 2.6 plain slots, plain names and the voice
 * left out with the reason; a per-shot drop of a role; Generate sends exactly what was shown. A
 * viewer reads the bible without controls. Desktop 1280x800 and a 390x844 phone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addReferenceVersion, addShot, createReference, roots, setBibleEntry } from '../../shared/doc/index.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import type { TestClient } from '../helpers/http.js';
import { ffmpeg } from '../assets/media-fixtures.js';
import { startArkFake } from '../providers/fakes/ark.js';
import { allowFakes, type FakeHandle } from '../providers/fakes/core.js';
import { startKlingFake, type KlingFake } from '../providers/fakes/kling.js';
import { appErrors, describeE2E, newBoard, openBoard, share, startE2E, until, type E2E } from './harness.js';

const SEEDANCE = 'ark:dreamina-seedance-2-0-260128';
const KLING = 'kling:kling-v2-6';
const noSideScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describeE2E('e2e: continuity bible', () => {
  let e2e: E2E;
  let ark: FakeHandle;
  let kling: KlingFake;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-e2e-bible-'));
    [ark, kling] = await Promise.all([
      startArkFake(),
      startKlingFake(),
      ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x180', '-frames:v', '1', path.join(dir, 'mara.png')),
      ffmpeg('-f', 'lavfi', '-i', 'color=c=steelblue:size=320x180', '-frames:v', '1', path.join(dir, 'harbour.png')),
      ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100:duration=2', '-c:a', 'pcm_s16le', path.join(dir, 'voice.wav')),
    ]);
    const providers = createProviders(
      { ARK_API_KEY: ark.key, ARK_BASE_URL: ark.baseUrl, KLING_ACCESS_KEY: kling.accessKey, KLING_SECRET_KEY: kling.secretKey, KLING_BASE_URL: kling.baseUrl },
      allowFakes(ark, kling),
    );
    e2e = await startE2E({ providers, generation: { pollMs: 20, retryBaseMs: 20 } });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([e2e?.close(), ark?.close(), kling?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an owner sets the bible; a teammate’s Will send follows it per model and per override; Generate sends what it showed', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const bo = await e2e.newUser({ name: 'Bo' });
    const vic = await e2e.newUser({ name: 'Vic', device: { width: 390, height: 844, touch: true } });
    const boardId = await newBoard(ana, 'Harbour story');
    await share(ana, bo, boardId, 'editor');
    await share(ana, vic, boardId, 'viewer');
    const [still, plate, line] = await Promise.all([
      upload(ana.client, boardId, path.join(dir, 'mara.png'), 'image/png'),
      upload(ana.client, boardId, path.join(dir, 'harbour.png'), 'image/png'),
      upload(ana.client, boardId, path.join(dir, 'voice.wav'), 'audio/wav'),
    ]);
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      for (const [kind, name, asset] of [['character', 'Mara', still], ['location', 'Harbour', plate], ['character', 'Mara voice', line]] as const) {
        addReferenceVersion(d, createReference(d, { kind, name }), { beat: 'act 1', assets: [asset] });
      }
      addShot(d, { title: 'Harbour walk', prompt: '@Mara walks along the @Harbour', mode: 'reference', durationSec: 5, model: SEEDANCE });
    });
    await Promise.all([openBoard(e2e, ana, boardId), openBoard(e2e, bo, boardId), openBoard(e2e, vic, boardId)]);

    // Bo has the shot open: nothing from a bible yet.
    const p = bo.page;
    await p.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    const detail = p.getByRole('complementary', { name: 'Shot 1 detail' });
    const willSend = detail.getByRole('list', { name: 'Will send' });
    await willSend.getByText('The prompt only: no frames or references.').waitFor();
    await detail.getByText('The board has no continuity bible yet; set one in the References tab.').waitFor();

    // Ana fills the bible, one role at a time.
    await ana.page.getByRole('tab', { name: 'References' }).click();
    const bible = ana.page.getByRole('region', { name: 'Continuity bible' });
    await bible.getByLabel('Add to bible characters').selectOption({ label: 'Mara' });
    await bible.getByLabel('Add to bible locations').selectOption({ label: 'Harbour' });
    await bible.getByLabel('Add to bible voices').selectOption({ label: 'Mara voice' });
    await bible.getByRole('group', { name: 'Bible voices' }).getByText('Mara voice').waitFor();
    await e2e.screenshot(ana.page, 'bible-references-1280');

    // Bo's panel follows: every file in its Seedance 2.0 slot with its tag, the prompt as sent.
    const chip = (slot: string) => willSend.locator(`[data-slot="${slot}"]`);
    await chip('audio-1').getByText('audio slot 1 · @audio1').waitFor();
    expect(await chip('image-1').innerText()).toBe('image slot 1 · @image1');
    expect(await chip('image-2').innerText()).toBe('image slot 2 · @image2');
    expect(await willSend.locator('.from-bible').count()).toBe(3);
    const prompt = detail.locator('[data-send="prompt"]');
    expect(await prompt.innerText()).toBe('@audio1 Mara voice (voice).\n@image1 walks along the @image2');
    await detail.locator('.send-summary').scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'bible-will-send-seedance-1280');

    // On Kling 2.6 the same bible goes by position, with plain names; the voice is left out and why.
    await detail.getByLabel('Shot model').selectOption(KLING);
    await chip('image-2').getByText('image slot 2', { exact: true }).waitFor();
    const left = detail.getByRole('list', { name: 'Left out' });
    await left.getByText("Kling 2.6 takes no reference audio").waitFor();
    expect(await left.innerText()).toContain("'Mara voice' (bible) audio");
    expect(await prompt.innerText()).toBe('Mara walks along the Harbour');
    await e2e.screenshot(p, 'bible-will-send-kling-1280');

    // The shot drops the bible's characters: Mara is named as left out, the rest still goes.
    await detail.getByLabel('Model').first().scrollIntoViewIfNeeded();
    await detail.getByLabel('Bible characters for this shot').selectOption('drop');
    await left.getByText('this shot drops characters').waitFor();
    expect(await willSend.locator('.sent-stills img').count()).toBe(1);
    await detail.getByLabel('Bible characters for this shot').selectOption('inherit');
    await detail.getByLabel('Shot model').selectOption(SEEDANCE);
    await chip('audio-1').waitFor();

    // Generate sends what the panel showed: the same prompt, two reference images, one voice.
    const shown = await prompt.innerText();
    await detail.getByRole('button', { name: 'Generate' }).click();
    await until(() => ark.submissions.length === 1, 'the request to reach the ModelArk fake');
    const content = (ark.submissions[0]!.body as { content: Array<{ type: string; text?: string; role?: string }> }).content;
    expect(content[0]).toEqual({ type: 'text', text: shown });
    expect(content.filter((c) => c.role === 'reference_image')).toHaveLength(2);
    expect(content.filter((c) => c.role === 'reference_audio')).toHaveLength(1);

    // A teammate's concurrent delete can leave an entry without its reference: it is named in the
    // bible panel (with Remove) and in the shot's left-out list, never silently skipped.
    let pier = '';
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      pier = createReference(d, { kind: 'location', name: 'Old pier' });
      addReferenceVersion(d, pier, { beat: 'act 1', assets: [plate] });
      setBibleEntry(d, pier);
    });
    await e2e.server.takeboard.hub.change(boardId, (d) => void roots(d).references.delete(pier));
    await left.getByText('its reference was deleted; remove it from the continuity bible').waitFor();
    const problem = bible.getByRole('list', { name: 'Bible entries that cannot be sent' });
    await problem.getByText('A bible entry names a reference that was deleted; it is sent with no shot.').waitFor();
    await e2e.screenshot(ana.page, 'bible-deleted-entry-1280');
    await problem.getByRole('button', { name: 'Remove it' }).click();
    await problem.waitFor({ state: 'detached' });
    await left.waitFor({ state: 'detached' });

    // Vic, a viewer on a phone, reads the bible without any control to change it.
    const v = vic.page;
    await v.getByRole('tab', { name: 'References' }).click();
    const vicBible = v.getByRole('region', { name: 'Continuity bible' });
    await vicBible.getByRole('group', { name: 'Bible characters' }).getByText('Mara', { exact: true }).waitFor();
    await vicBible.getByText('You can read it; owners and editors change it.').waitFor();
    expect(await vicBible.locator('select, button').count()).toBe(0);
    expect(await noSideScroll(v)).toBe(true);
    await e2e.screenshot(v, 'bible-viewer-390');

    // Bo on a phone: the override and the slots fit without sideways scrolling.
    await p.setViewportSize({ width: 390, height: 844 });
    await detail.getByLabel('Bible characters for this shot').scrollIntoViewIfNeeded();
    expect(await noSideScroll(p)).toBe(true);
    await e2e.screenshot(p, 'bible-overrides-390');
    await willSend.scrollIntoViewIfNeeded();
    await e2e.screenshot(p, 'bible-will-send-390');
    // Ana's bible editor on a phone.
    await ana.page.setViewportSize({ width: 390, height: 844 });
    await bible.scrollIntoViewIfNeeded();
    expect(await noSideScroll(ana.page)).toBe(true);
    await e2e.screenshot(ana.page, 'bible-references-390');

    for (const u of [ana, bo, vic]) expect(appErrors(u.errors)).toEqual([]);
  }, 120_000);
});

/** Uploads a file through the real multipart route; returns the asset id. */
async function upload(client: TestClient, boardId: string, file: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type }), path.basename(file));
  const res = await client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
