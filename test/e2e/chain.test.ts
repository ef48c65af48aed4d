/**
 * A chain you can trust, as two teammates see it: three chained shots (animatic, real renders,
 * offline), stale marks that appear and clear for the other person, Keep anyway naming who, and
 * tail stills that are images that load.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { addShot, chainStates, getShot, listTakes, selectTake, setMeta } from '../../shared/doc/index.js';
import type { TestClient } from '../helpers/http.js';
import { jobReaches } from '../generation/helpers.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E } from './harness.js';

describeE2E('e2e: a chain you can trust', () => {
  const e2e = useE2E();
  const serverDoc = <T>(boardId: string, fn: (doc: Y.Doc) => T) => e2e.server.takeboard.hub.read(boardId, fn);

  /** Renders a take of a shot (animatic, offline) and returns its id once it finished. */
  async function render(client: TestClient, boardId: string, shotId: string, seed: number): Promise<string> {
    const g = await client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, { seed });
    expect(g.status, JSON.stringify(g.body)).toBe(202);
    await jobReaches(client, g.body.jobId, 'succeeded', 90_000);
    return g.body.takeId as string;
  }

  const row = (p: Page, n: number) => p.getByRole('listitem', { name: new RegExp(`^Shot ${n}\\b`) });
  const rowStates = (p: Page) => p.locator('.shot-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.chainState));
  /** The Select button of take n in the open shot detail. */
  const selectInUi = (p: Page, shot: number, take: number) =>
    p.getByRole('complementary', { name: `Shot ${shot} detail` }).getByRole('region', { name: 'Takes' })
      .getByRole('listitem', { name: new RegExp(`^Take #?${take}\\b`) }).getByRole('button', { name: /^Select/ }).click();

  it('marks the next shot stale and the one after upstream stale for a teammate, and clears them three ways', async () => {
    const ana = await e2e.newUser({ name: 'Ana Lisboa' });
    const kenji = await e2e.newUser({ name: 'Kenji Mori' });
    const boardId = await newBoard(ana, 'Night run');
    await share(ana, kenji, boardId, 'editor');
    let ids: string[] = [];
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      setMeta(d, { defaultModel: 'animatic' });
      const a = addShot(d, { title: 'Courier leaves', prompt: 'a courier runs into the rain', durationSec: 2, model: 'animatic' });
      const b = addShot(d, { title: 'Rooftop', prompt: 'she climbs onto the roof', durationSec: 2, model: 'animatic', continuesFrom: a });
      ids = [a, b, addShot(d, { title: 'Jump', prompt: 'she jumps the gap', durationSec: 2, model: 'animatic', continuesFrom: b })];
    });
    const [a, b, c] = ids as [string, string, string];
    const select = (shot: string, take: string) => e2e.server.takeboard.hub.change(boardId, (d) => selectTake(d, shot, take));
    const a1 = await render(ana.client, boardId, a, 1);
    await select(a, a1);
    await select(b, await render(ana.client, boardId, b, 2));
    await select(c, await render(ana.client, boardId, c, 3));
    await render(ana.client, boardId, a, 4); // a second take of shot 1, not selected
    expect(await serverDoc(boardId, (d) => [b, c].map((id) => chainStates(d).get(id)!.state))).toEqual(['fresh', 'fresh']);

    await openBoard(e2e, ana, boardId);
    await openBoard(e2e, kenji, boardId);
    const k = kenji.page;
    const p = ana.page;
    await expect.poll(() => rowStates(k)).toEqual(['unchained', 'fresh', 'fresh']);
    await row(k, 2).getByText('continues from #1').waitFor();
    await row(k, 3).getByText('continues from #2').waitFor();
    expect(await row(k, 1).locator('.chain-badge').count()).toBe(0);

    // Ana picks the other take of shot 1: Kenji sees shot 2 stale and shot 3 upstream stale.
    await row(p, 1).locator('.thumb').click();
    await selectInUi(p, 1, 2);
    await expect.poll(() => rowStates(k)).toEqual(['unchained', 'stale', 'upstream-stale']);
    await row(k, 2).locator('.chain-mark').filter({ hasText: 'stale' }).waitFor();
    await row(k, 3).locator('.chain-mark').filter({ hasText: 'upstream stale' }).waitFor();
    await row(k, 2).locator('.thumb').click();
    const kDetail2 = k.getByRole('complementary', { name: 'Shot 2 detail' });
    const kState2 = kDetail2.getByRole('status', { name: 'Chain state' });
    await kState2.getByText('Stale: this take was made from take #1 of shot 1, but shot 1 now uses take #2.', { exact: false }).waitFor();
    await kState2.getByRole('button', { name: 'Keep anyway' }).waitFor();
    await expectTailStills(kDetail2, 'Shot 1: Courier leaves');
    await e2e.screenshot(k, 'chain-stale-desktop');
    await k.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(k, 'chain-stale-phone');
    await kDetail2.getByRole('button', { name: 'Close shot detail' }).click();
    await e2e.screenshot(k, 'chain-stale-phone-list');
    await k.setViewportSize({ width: 1280, height: 800 });
    await row(k, 2).locator('.thumb').click();

    // Selecting the original take again clears both marks.
    await selectInUi(p, 1, 1);
    await expect.poll(() => rowStates(k)).toEqual(['unchained', 'fresh', 'fresh']);
    await kState2.getByText(/^Up to date: made from take #1 of shot 1/).waitFor();
    expect(await kState2.getByRole('button', { name: 'Keep anyway' }).count()).toBe(0);

    // A new take generated from the current tail clears it (Ana generates; nobody writes a mark).
    await selectInUi(p, 1, 2);
    await expect.poll(() => rowStates(k)).toEqual(['unchained', 'stale', 'upstream-stale']);
    await row(p, 2).locator('.thumb').click();
    const pDetail2 = p.getByRole('complementary', { name: 'Shot 2 detail' });
    await pDetail2.getByRole('button', { name: 'Generate' }).click();
    const takes2 = pDetail2.getByRole('region', { name: 'Takes' });
    await takes2.getByRole('listitem', { name: /^Take #?2\b.*succeeded/ }).waitFor({ timeout: 90_000 });
    const b2 = await serverDoc(boardId, (d) => listTakes(d, b).at(-1)!);
    expect(b2.fromTail).toBe(await serverDoc(boardId, (d) => listTakes(d, a).find((t) => t.id === getShot(d, a)!.selectedTake)!.tail));
    await selectInUi(p, 2, 2);
    // Shot 2 is fresh again; shot 3 was made from shot 2's old take, so now it is the stale one.
    await expect.poll(() => rowStates(k)).toEqual(['unchained', 'fresh', 'stale']);
    await kState2.getByText(/^Up to date: made from take #2 of shot 1/).waitFor();

    // Keep anyway: Kenji keeps shot 3 as it is; Ana sees it cleared and who did it.
    await row(k, 3).locator('.thumb').click();
    const kState3 = k.getByRole('complementary', { name: 'Shot 3 detail' }).getByRole('status', { name: 'Chain state' });
    await kState3.getByRole('button', { name: 'Keep anyway' }).click();
    await expect.poll(() => rowStates(p)).toEqual(['unchained', 'fresh', 'accepted']);
    await row(p, 3).locator('.chain-mark').filter({ hasText: 'kept anyway' }).waitFor();
    await row(p, 3).locator('.thumb').click();
    const pState3 = p.getByRole('complementary', { name: 'Shot 3 detail' }).getByRole('status', { name: 'Chain state' });
    await pState3.getByText(/^Kept anyway by Kenji Mori, /).waitFor();
    await kState3.getByText(/^Kept anyway by you, /).waitFor();
    expect(await serverDoc(boardId, (d) => getShot(d, c)!.staleAccepted?.by)).toBe(kenji.user.id);
    await e2e.screenshot(p, 'chain-kept-desktop');
    await p.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(p, 'chain-kept-phone');

    expect(appErrors(ana.errors)).toEqual([]);
    expect(appErrors(kenji.errors)).toEqual([]);
  }, 240_000);

  /** The continues-from preview shows stills that are images and loaded (never an MP4 in an <img>). */
  async function expectTailStills(detail: ReturnType<Page['getByRole']>, of: string) {
    const stills = detail.locator('.tail-stills img');
    await expect.poll(() => stills.count()).toBe(2);
    expect(await stills.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')))).toEqual([`${of}, tail starts`, `${of}, last frame`]);
    await expect
      .poll(() => stills.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)))
      .toEqual([true, true]);
    const srcs = await stills.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
    for (const src of srcs) {
      const res = await detail.page().request.get(src);
      expect(res.headers()['content-type'], src).toMatch(/^image\//);
    }
  }
});
