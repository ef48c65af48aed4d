import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { addShot } from '../shared/doc/index.js';
import { measureBoardFirstLoad } from '../scripts/bundle-size.mjs';
import { buildClient } from '../test/e2e/client-build.js';
import { createBoard, signedUpClient } from '../test/helpers/http.js';
import { startTestServer, type TestServer } from '../test/helpers/server.js';
import { launchChromium, TIMING_COLUMNS, timingRow } from './lib/browser.js';
import { ratio, summarize } from './lib/stats.js';
import { numberFlag, type BenchOptions, type BenchSuite, type SuiteResult } from './lib/suite.js';

/**
 * A director opening a board on a phone: Debian's Chromium at 390x844 (touch, mobile viewport)
 * against the real app on loopback (built client, in-process server), a board of 100 shots
 * (`--shots`) with titles and prompts.
 *
 * (a) Navigation to interactive: from navigation start to the first animation frame in which the
 *     board is live (connection "online", the document synced) and shot 1's row shows its title
 *     in the page's own clock ("rows on screen"), and on to the first frame answering a tap on that
 *     row made in that frame ("interactive": its detail sheet shown), so work still running after
 *     the first paint counts. Cold: a fresh browser context each time (no HTTP cache, no offline
 *     copy), as a teammate's first visit; warm: a reload of the same context (cached bundle, the
 *     offline copy in IndexedDB).
 *     References, same run, the same way: the boards list (the same entry bundle, no board) to
 *     its board link, and a bare page of the same origin (/api/health) to its load event.
 *     Target: cold under 1.5 s.
 * (b) The board route's JavaScript, gzip: the entry, the board route and their static imports
 *     from the build manifest (scripts/bundle-size.mjs), and, as a check, the scripts the page
 *     actually fetched up to interactive, gzipped from the same build. Target: under 150 kB.
 *
 * Flags: --shots 100  --samples <per figure> (quick 5, full 15)
 */

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } as const;

/**
 * In-page, from the first script on: `ready(check)` resolves with performance.now() at the first
 * animation frame in which `check()` holds (a frame, since a person sees frames, not mutations).
 */
const READY = `(check) => new Promise((resolve) => {
  const frame = () => (check() ? resolve(performance.now()) : requestAnimationFrame(frame));
  frame();
})`;
type ReadyWindow = { ready(check: () => boolean): Promise<number> };

/**
 * In-page: the first frame in which the board is live and shot 1's row shows its stored title
 * (`rows`), then a tap on that row at once and the first frame showing its detail sheet
 * (`interactive`): work still running after the first paint delays the answer, as it would a
 * person's first tap.
 */
const boardReady = async () => {
  const w = window as unknown as ReadyWindow;
  const rows = await w.ready(() => {
    const online = document.querySelector('[role="status"][data-status="online"]');
    const title = document.querySelector<HTMLInputElement>('[aria-label="Title of shot 1"]');
    return Boolean(online && title && title.value === 'Shot title 1');
  });
  document.querySelector<HTMLElement>('[data-shot-id] .thumb')!.click();
  const interactive = await w.ready(() => Boolean(document.querySelector('[aria-label="Shot 1 detail"]')));
  return { rows, interactive };
};

async function phoneContext(browser: Browser, srv: TestServer, cookies: Map<string, string>): Promise<BrowserContext> {
  const context = await browser.newContext(PHONE);
  await context.addCookies([...cookies].map(([name, value]) => ({ name, value, url: srv.url })));
  // tsx compiles this file with esbuild's keepNames: functions sent to the page call `__name`.
  await context.addInitScript({ content: `globalThis.__name = (f) => f; globalThis.ready = ${READY};` });
  return context;
}

interface BoardSample {
  cold: { rows: number; interactive: number };
  warm: { rows: number; interactive: number };
  scripts: string[];
}

/** (a) one cold open of the board in a fresh context, then a warm reload. */
async function openBoardOnPhone(browser: Browser, srv: TestServer, cookies: Map<string, string>, boardId: string): Promise<BoardSample> {
  const context = await phoneContext(browser, srv, cookies);
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${srv.url}/boards/${boardId}`, { waitUntil: 'commit' });
    const cold = await page.evaluate(boardReady);
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /\.js(\?|$)/.test(e.name)).map((e) => new URL(e.name).pathname));
    await page.reload({ waitUntil: 'commit' });
    const warm = await page.evaluate(boardReady);
    return { cold, warm, scripts };
  } finally {
    await context.close();
  }
}

/** (a) reference: the boards list, same bundle and origin, to its board link on screen. */
async function openBoardsList(browser: Browser, srv: TestServer, cookies: Map<string, string>): Promise<number> {
  const context = await phoneContext(browser, srv, cookies);
  try {
    const page = await context.newPage();
    await page.goto(`${srv.url}/`, { waitUntil: 'commit' });
    return await page.evaluate(() => (window as unknown as ReadyWindow).ready(() => Boolean(document.querySelector('.board-list a'))));
  } finally {
    await context.close();
  }
}

/** (a) reference: a bare page of the same origin, navigation to its load event. */
async function openBarePage(browser: Browser, srv: TestServer): Promise<number> {
  const context = await browser.newContext(PHONE);
  try {
    const page = await context.newPage();
    await page.goto(`${srv.url}/api/health`, { waitUntil: 'load' });
    return await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  } finally {
    await context.close();
  }
}

/** (b) the gzip size of the scripts a page fetched, read from the build they were served from. */
function gzipOfScripts(clientDir: string, pathnames: string[]): { files: number; gzip: number } {
  let gzip = 0;
  const files = [...new Set(pathnames)].map((p) => path.join(clientDir, p));
  for (const f of files) {
    if (!fs.existsSync(f)) throw new Error(`the page fetched ${f}, which the build does not hold`);
    gzip += zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
  }
  return { files: files.length, gzip };
}

const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;

export const suite: BenchSuite = {
  name: 'phone',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const shots = numberFlag(opts, 'shots', 100);
    const samples = numberFlag(opts, 'samples', opts.quick ? 5 : 15);
    opts.log(`phone: building the client, a ${shots}-shot board`);
    const clientDir = await buildClient();
    const srv = await startTestServer({ app: { clientDir } });
    const browser = await launchChromium();
    try {
      const owner = await signedUpClient(srv.url, { name: 'Director', city: 'Porto' });
      const boardId = await createBoard(owner.client, `Phone bench, ${shots} shots`);
      await srv.takeboard.hub.change(boardId, (d) => {
        for (let i = 1; i <= shots; i++) addShot(d, { title: `Shot title ${i}`, prompt: `Prompt for shot ${i}: `.padEnd(200, 'x'), durationSec: 5, model: 'animatic' });
      });
      const cookies = owner.client.cookies;

      // One unmeasured round: the server's first load of the board, Chromium's first launch costs.
      await openBoardOnPhone(browser, srv, cookies, boardId);
      await openBoardsList(browser, srv, cookies);
      opts.log(`phone: navigation to interactive at 390x844, ${samples} samples (board, boards list, bare page in turn)`);
      const board: BoardSample[] = [];
      const list: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < samples; i++) {
        board.push(await openBoardOnPhone(browser, srv, cookies, boardId));
        list.push(await openBoardsList(browser, srv, cookies));
        bare.push(await openBarePage(browser, srv));
      }

      const manifest = measureBoardFirstLoad(clientDir);
      const fetched = gzipOfScripts(clientDir, board[0]!.scripts);
      const figures = {
        shots,
        viewport: PHONE.viewport,
        cold: summarize(board.map((s) => s.cold.interactive)),
        coldRows: summarize(board.map((s) => s.cold.rows)),
        warm: summarize(board.map((s) => s.warm.interactive)),
        warmRows: summarize(board.map((s) => s.warm.rows)),
        boardsList: summarize(list),
        bare: summarize(bare),
        bundle: { boardRouteGzip: manifest.gzip, boardRouteBytes: manifest.bytes, boardRouteFiles: manifest.files.length, fetchedGzip: fetched.gzip, fetchedFiles: fetched.files },
      };
      return {
        tables: [
          {
            title: `phone: a ${shots}-shot board in Chromium at 390x844, touch, loopback (ms from navigation start; ratio = p50 / reference p50, same run)`,
            columns: TIMING_COLUMNS,
            rows: [
              timingRow('board, cold: navigation -> interactive (target < 1500)', figures.cold, figures.bare, 1500),
              timingRow('board, cold: navigation -> rows on screen', figures.coldRows, figures.bare, null),
              timingRow('board, warm reload: navigation -> interactive', figures.warm, figures.bare, null),
              timingRow('board, warm reload: navigation -> rows on screen', figures.warmRows, figures.bare, null),
              timingRow('boards list (same bundle, no board) -> its link', figures.boardsList, figures.bare, null),
              timingRow('bare page (/api/health) -> load', figures.bare, null, null),
            ],
            notes: [
              'rows on screen: the first frame with the connection online (document synced) and shot 1 showing its stored title',
              'interactive: a tap on shot 1 dispatched in that frame, to the first frame showing its detail sheet',
              `cold board vs boards list p50: ${ratio(figures.cold.p50, figures.boardsList.p50)}`,
            ],
          },
          {
            title: 'phone: JavaScript for the board route, gzip level 9',
            columns: ['measure', 'files', 'raw', 'gzip', 'target', 'under target'],
            rows: [
              ['entry + board route + static imports (build manifest)', manifest.files.length, kB(manifest.bytes), kB(manifest.gzip), '< 150 kB', manifest.gzip < 150 * 1024 ? 'yes' : 'NO'],
              ['scripts the page fetched up to interactive', fetched.files, '', kB(fetched.gzip), '< 150 kB', fetched.gzip < 150 * 1024 ? 'yes' : 'NO'],
            ],
          },
        ],
        data: figures,
      };
    } finally {
      await browser.close();
      await srv.close();
    }
  },
};
