import type { Browser, BrowserContext, Page } from 'playwright-core';
import { performance } from 'node:perf_hooks';
import { getShot, selectTake } from '../shared/doc/index.js';
import { buildClient } from '../test/e2e/client-build.js';
import { startTestServer, type TestServer } from '../test/helpers/server.js';
import { connectBoard } from '../test/helpers/sync.js';
import { waitFor } from '../test/helpers/wait.js';
import { launchChromium, TIMING_COLUMNS, timingRow } from './lib/browser.js';
import { fmt, summarize } from './lib/stats.js';
import { numberFlag, type BenchOptions, type BenchSuite, type SuiteResult } from './lib/suite.js';
import { prepareSequenceBoard, type BenchBoard } from './sequence/board.js';

/**
 * In Chromium, on a board of 50 chained shots with takes (`--shots`), two figures the team feels:
 *
 * (a) Sequence tab to first frame: from the click on the Sequence tab to the first video frame
 *     presented after Play (`requestVideoFrameCallback`), in the page's own clock: the lazy chunk,
 *     the plan of the whole board, the player's three video elements, the clip's load and decode.
 *     Reference, same run: a bare page of the same origin creating one <video> of the same clip
 *     and playing it, to its first frame. Target: under 1 s.
 * (b) Stale mark for a teammate: A clicks "Select" on the other take of shot 1; B's page has
 *     shot 2's row marked stale (`[data-chain-state="stale"]` on the row). Wall-clock epoch
 *     time in both pages (`performance.timeOrigin + now()`, one machine). Reference, same run:
 *     the same selection written by one bare
 *     y-websocket client (Node) until another sees it, through the same server. Target: under 250 ms.
 *
 * Flags: --shots 50  --samples <per figure> (quick 5, full 20)
 */

/** In-page: is shot `shotId`'s row marked stale? Installed in every page as `staleMark`. */
const STALE_MARK = `(shotId) => Boolean(document.querySelector('[data-shot-id="' + shotId + '"][data-chain-state="stale"]'))`;
type StaleWindow = { staleMark(shotId: string): boolean; staleSeen: Promise<number> };

/**
 * In-page: resolves at the first frame `v` presents while playing (a paused, preloaded element
 * presents one too, which does not count). Installed in every page as `playingFrame`.
 */
const PLAYING_FRAME = `(v) => new Promise((resolve) => {
  const onFrame = () => (v.paused ? v.requestVideoFrameCallback(onFrame) : resolve(performance.now()));
  v.requestVideoFrameCallback(onFrame);
})`;
type FrameWindow = { playingFrame(v: HTMLVideoElement): Promise<number> };


async function userPage(browser: Browser, srv: TestServer, cookies: Map<string, string>): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([...cookies].map(([name, value]) => ({ name, value, url: srv.url })));
  // tsx compiles this file with esbuild's keepNames: functions sent to the page call `__name`.
  await context.addInitScript({ content: `globalThis.__name = (f) => f; globalThis.staleMark = ${STALE_MARK}; globalThis.playingFrame = ${PLAYING_FRAME};` });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page };
}

async function openBoard(page: Page, srv: TestServer, boardId: string): Promise<void> {
  await page.goto(`${srv.url}/boards/${boardId}`);
  await page.locator('[role="status"][data-status="online"]').waitFor();
  await page.locator('.shot-row').first().waitFor();
}

/** (a) in the app: Shots tab, then the clock starts at the Sequence tab click and stops at the first frame after Play. */
async function sequenceFirstFrame(page: Page): Promise<number> {
  // A page behind another tab gets no animation frames and background video throttling.
  await page.bringToFront();
  await page.getByRole('tab', { name: 'Shots' }).click();
  await page.locator('.shot-row').first().waitFor();
  return page.evaluate(() => new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no frame within 20 s')), 20_000);
    const t0 = performance.now();
    const framed = () => {
      const v = document.querySelector<HTMLVideoElement>('.seq-video.shown');
      if (!v) return void requestAnimationFrame(framed);
      void (window as unknown as FrameWindow).playingFrame(v).then((t) => {
        clearTimeout(timer);
        resolve(t - t0);
      });
    };
    const play = () => {
      const button = [...document.querySelectorAll<HTMLButtonElement>('.seq-controls button')].find((b) => b.textContent === 'Play');
      if (!button) return false;
      button.click();
      framed();
      return true;
    };
    document.querySelector<HTMLButtonElement>('#tab-sequence')!.click();
    if (play()) return;
    const obs = new MutationObserver(() => play() && obs.disconnect());
    obs.observe(document.body, { childList: true, subtree: true });
  }));
}

/** (a) reference: one fresh <video> of the same clip, played, to its first frame. */
async function bareFirstFrame(page: Page, url: string): Promise<number> {
  await page.bringToFront();
  return page.evaluate((src) => new Promise<number>((resolve, reject) => {
    document.body.replaceChildren();
    const timer = setTimeout(() => reject(new Error('no frame within 20 s')), 20_000);
    const t0 = performance.now();
    const v = document.createElement('video');
    v.src = src;
    document.body.append(v);
    void (window as unknown as FrameWindow).playingFrame(v).then((t) => {
      clearTimeout(timer);
      resolve(t - t0);
    });
    void v.play();
  }), url);
}

/** Installs, in B's page, a watcher that records the epoch time the stale mark of `shotId` appears. */
function watchStale(page: Page, shotId: string): Promise<void> {
  return page.evaluate(({ shotId }) => {
    const w = window as unknown as StaleWindow;
    w.staleSeen = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no stale mark within 10 s')), 10_000);
      const obs = new MutationObserver(() => {
        if (!w.staleMark(shotId)) return;
        obs.disconnect();
        clearTimeout(timer);
        resolve(performance.timeOrigin + performance.now());
      });
      obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  }, { shotId });
}

const staleShown = (page: Page, shotId: string) =>
  page.evaluate((shotId) => (window as unknown as StaleWindow).staleMark(shotId), shotId);

/** (b) in the app: A clicks Select on shot 1's other take; B's page sees shot 2 stale. */
async function staleForTeammate(srv: TestServer, board: BenchBoard, a: Page, b: Page): Promise<number> {
  await b.bringToFront();
  const [s1, s2] = board.shots as [string, string];
  // Back to a fresh chain: shot 1 shows the take shot 2 was made from.
  await srv.takeboard.hub.change(board.boardId, (d) => selectTake(d, s1, board.first.id));
  await waitFor(async () => !(await staleShown(b, s2)), 'B to see a fresh chain');
  const select = a.getByRole('complementary', { name: 'Shot 1 detail' }).getByRole('button', { name: 'Select', exact: true });
  await select.waitFor();
  await waitFor(() => select.isEnabled(), 'A to see the first take selected');
  await watchStale(b, s2);
  const t0 = await select.evaluate((el: HTMLButtonElement) => {
    const t = performance.timeOrigin + performance.now();
    el.click();
    return t;
  });
  const seen = await b.evaluate(() => (window as unknown as StaleWindow).staleSeen);
  return seen - t0;
}

/** (b) reference: the same selection by a bare y-websocket client, until another bare client has it. */
async function bareRoundTrip(srv: TestServer, board: BenchBoard, samples: number): Promise<number[]> {
  const a = connectBoard(srv.url, board.boardId, board.owner.client);
  const b = connectBoard(srv.url, board.boardId, board.mate.client);
  try {
    await Promise.all([a.synced(), b.synced()]);
    const s1 = board.shots[0]!;
    const out: number[] = [];
    for (let i = 0; i < samples; i++) {
      // Always a change: the take not selected now.
      const take = getShot(a.doc, s1)?.selectedTake === board.first.id ? board.other.id : board.first.id;
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the selection did not arrive within 10 s')), 10_000);
        const check = () => {
          if (getShot(b.doc, s1)?.selectedTake !== take) return;
          b.doc.off('update', check);
          clearTimeout(timer);
          resolve(performance.now());
        };
        b.doc.on('update', check);
      });
      const t0 = performance.now();
      selectTake(a.doc, s1, take);
      out.push((await arrived) - t0);
    }
    return out;
  } finally {
    a.destroy();
    b.destroy();
  }
}

export const suite: BenchSuite = {
  name: 'sequence',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const shots = numberFlag(opts, 'shots', 50);
    const samples = numberFlag(opts, 'samples', opts.quick ? 5 : 20);
    opts.log(`sequence: building the client, a ${shots}-shot board`);
    const srv = await startTestServer({ app: { clientDir: await buildClient() } });
    // Sound allowed to start from script: a bench has no user gesture to give.
    const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    try {
      const board = await prepareSequenceBoard(srv, shots);
      const a = await userPage(browser, srv, board.owner.client.cookies);
      const b = await userPage(browser, srv, board.mate.client.cookies);
      await Promise.all([openBoard(a.page, srv, board.boardId), openBoard(b.page, srv, board.boardId)]);

      opts.log(`sequence: (a) Sequence tab to first frame, ${samples} samples`);
      const app: number[] = [];
      const bare: number[] = [];
      const bareDoc = await b.context.newPage();
      await bareDoc.goto(`${srv.url}/api/me`);
      // One unmeasured round each: the lazy chunk and the clip's first fetch are not what repeats.
      const warm = await sequenceFirstFrame(b.page);
      await bareFirstFrame(bareDoc, `${srv.url}/api/assets/${board.clip}`);
      opts.log(`sequence: first open ${fmt(warm)} ms`);
      for (let i = 0; i < samples; i++) {
        app.push(await sequenceFirstFrame(b.page));
        bare.push(await bareFirstFrame(bareDoc, `${srv.url}/api/assets/${board.clip}`));
      }

      opts.log(`sequence: (b) stale mark for a teammate, ${samples} samples`);
      for (const p of [a.page, b.page]) await p.getByRole('tab', { name: 'Shots' }).click();
      await a.page.getByRole('listitem', { name: /^Shot 1\b/ }).locator('.thumb').click();
      const stale: number[] = [];
      for (let i = 0; i < samples; i++) stale.push(await staleForTeammate(srv, board, a.page, b.page));
      const round = await bareRoundTrip(srv, board, samples);

      const figures = {
        shots,
        firstFrame: { app: summarize(app), bare: summarize(bare), coldMs: warm },
        stale: { app: summarize(stale), bare: summarize(round) },
      };
      return {
        tables: [{
          title: `sequence: ${shots}-shot chained board in Chromium (ms; ratio = app p50 / reference p50, same run)`,
          columns: TIMING_COLUMNS,
          rows: [
            timingRow('Sequence tab -> first frame (target < 1000)', figures.firstFrame.app, figures.firstFrame.bare, 1000),
            timingRow('select take -> teammate stale mark (target < 250)', figures.stale.app, figures.stale.bare, 250),
          ],
          notes: [
            `first open (lazy chunk, first fetch of the clip), not in the table: ${fmt(warm)} ms`,
            'references: one bare <video> of the same clip on the same origin; the same selection between two bare y-websocket clients (Node)',
          ],
        }],
        data: figures,
      };
    } finally {
      await browser.close();
      await srv.close();
    }
  },
};
