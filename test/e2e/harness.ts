/**
 * Browser test harness: Debian's Chromium through playwright-core, the real server on port 0
 * serving the built client, users signed up over HTTP and handed to browser contexts as cookies.
 * Without /usr/bin/chromium the suites skip with a message, or fail when REQUIRE_E2E=1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { TestClient, uniqueEmail } from '../helpers/http.js';
import type { InviteRole } from '../../shared/api.js';
import type { CreateAppOptions } from '../../server/app.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** `describe` that runs only where Chromium exists (and fails loudly under REQUIRE_E2E=1). */
export function describeE2E(name: string, fn: () => void) {
  if (fs.existsSync(CHROMIUM)) return describe(name, fn);
  if (process.env.REQUIRE_E2E === '1') {
    return describe(name, () => it(`needs Chromium at ${CHROMIUM}`, () => {
      throw new Error(`REQUIRE_E2E=1 but ${CHROMIUM} is missing: apt-get install -y chromium`);
    }));
  }
  console.warn(`\n[e2e] SKIPPED "${name}": ${CHROMIUM} not found (apt-get install -y chromium; REQUIRE_E2E=1 makes this fail)\n`);
  return describe.skip(name, fn);
}

export interface E2EUser {
  client: TestClient;
  user: { id: string; name: string; email: string; city: string | null };
  email: string;
  password: string;
  context: BrowserContext;
  page: Page;
  /** console errors and uncaught exceptions seen on the page. */
  errors: string[];
}

/** A screen to test on; `touch` makes a phone or tablet (touch events, coarse pointer, mobile viewport). */
export interface Device {
  width: number;
  height: number;
  touch?: boolean;
}

export interface E2E {
  server: TestServer;
  browser: Browser;
  shotsDir: string;
  /** A browser context (1280x800 unless `device` says otherwise) with no account and no session. */
  newVisitor(timezoneId?: string, device?: Device): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  /** A browser context (1280x800 unless `device` says otherwise, its own cookie jar) for a fresh user. */
  newUser(opts?: { name?: string; city?: string; timezoneId?: string; loggedIn?: boolean; device?: Device }): Promise<E2EUser>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The suite's app and Chromium: started before its tests, closed after them; `app` overrides parts
 * of the server (e.g. sync limits). The returned object
 * stands for the started E2E (read it inside tests and hooks, not at collection time).
 */
export function useE2E(app: Partial<CreateAppOptions> = {}): E2E {
  let started: E2E | undefined;
  beforeAll(async () => {
    started = await startE2E(app);
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as E2E, {
    get(_target, key) {
      if (!started) throw new Error('the e2e harness is used before its beforeAll started it');
      return started[key as keyof E2E];
    },
  });
}

export async function startE2E(app: Partial<CreateAppOptions> = {}): Promise<E2E> {
  const server = await startTestServer({ app: { clientDir: inject('clientDir'), ...app } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const shotsDir = process.env.E2E_SCREENSHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-shots-'));
  fs.mkdirSync(shotsDir, { recursive: true });
  const contexts: BrowserContext[] = [];
  async function newVisitor(timezoneId = 'UTC', device: Device = { width: 1280, height: 800 }) {
    const touch = device.touch === true;
    const context = await browser.newContext({ viewport: { width: device.width, height: device.height }, timezoneId, hasTouch: touch, isMobile: touch });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    return { context, page, errors };
  }
  return {
    server,
    browser,
    shotsDir,
    newVisitor,
    async newUser(opts = {}) {
      const signed = await signUp(server.url, opts.name ?? 'Test User', opts.city);
      const visitor = await newVisitor(opts.timezoneId, opts.device);
      if (opts.loggedIn !== false) {
        await visitor.context.addCookies([...signed.client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
      }
      return { ...signed, ...visitor };
    },
    async screenshot(page, name) {
      const file = path.join(shotsDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.close();
      // Screenshots nobody asked to keep (E2E_SCREENSHOTS unset) go with the run.
      if (!process.env.E2E_SCREENSHOTS) fs.rmSync(shotsDir, { recursive: true, force: true });
    },
  };
}

const PASSWORD = 'correct horse battery';

async function signUp(baseUrl: string, name: string, city?: string) {
  const client = new TestClient(baseUrl);
  const email = uniqueEmail('e2e');
  const res = await client.post('/api/auth/signup', { email, password: PASSWORD, name, city });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, user: res.body as E2EUser['user'], email, password: PASSWORD };
}

/** Polls `check` until it returns true (for state outside the page, e.g. the server's document). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Console errors that are the app's fault. Chromium also logs every non-2xx fetch as "Failed to
 * load resource"; a 401 from /api/me (logged out) or a wrong password is an expected answer.
 */
export function appErrors(errors: readonly string[]): string[] {
  return errors.filter((e) => !/^Failed to load resource: the server responded with a status of 401/.test(e));
}

/** Opens a board in the user's page and waits until it is live (synced with the server). */
export async function openBoard(e2e: E2E, u: E2EUser, boardId: string): Promise<void> {
  await u.page.goto(`${e2e.server.url}/boards/${boardId}`);
  await u.page.locator('[role="status"][data-status="online"]').waitFor();
}

/** Adds `member` to the board through a real invite. */
export async function share(owner: E2EUser, member: E2EUser, boardId: string, role: InviteRole): Promise<void> {
  const inv = await owner.client.post(`/api/boards/${boardId}/invites`, { role });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status}`);
  const acc = await member.client.post(`/api/invites/${inv.body.token}/accept`);
  if (acc.status !== 200) throw new Error(`accept failed: ${acc.status}`);
}

/** Creates a board over HTTP as `owner`. */
export async function newBoard(owner: E2EUser, title = 'E2E board'): Promise<string> {
  const res = await owner.client.post('/api/boards', { title });
  if (res.status !== 201) throw new Error(`create board failed: ${res.status}`);
  return res.body.id;
}
