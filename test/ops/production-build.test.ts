/**
 * The compiled production build: `npm start` builds dist/ when its sources are newer, then serves
 * it with plain node; a tree holding only the production dependencies (what `npm ci --omit=dev`
 * installs, read from package-lock.json) serves the app from dist/, its board-writer thread
 * included; SIGINT/SIGTERM to `npm start` or to `node scripts/start.mjs` stop the server
 * gracefully with no process left and nothing listening.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, shotsInOrder } from '../../shared/doc/index.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The npm running this suite (npm test), else the one installed beside this node.
const npmCli = process.env.npm_execpath?.endsWith('npm-cli.js')
  ? process.env.npm_execpath
  : path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

interface Started {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` or `node scripts/start.mjs` in `cwd`, in a process group of its own (like a terminal's). */
async function start(cwd: string, launcher: 'npm' | 'node', env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Started> {
  const args = launcher === 'npm' ? [npmCli, 'start', '--silent'] : ['scripts/start.mjs'];
  const child = spawn(process.execPath, args, {
    cwd,
    detached: true,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: tempDir('takeboard-prod-data-'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  groups.push(child.pid!);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`start exited with ${child.exitCode}:\n${out}`);
    return /running at (http:\/\/\S+)/.exec(out)?.[1];
  }, `the server to start in ${cwd}`, timeoutMs).catch((err) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${out}`);
  });
  return { child, url, port: Number(new URL(url).port), output: () => out, exited };
}

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …"; comm may hold spaces and parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const below = (p: number): number[] => [...parent].filter(([, pp]) => pp === p).flatMap(([c]) => [c, ...below(c)]);
  return below(pid);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/**
 * A tree with dist/, the start scripts and only the production packages of package-lock.json
 * (what `npm ci --omit=dev` installs), linked from this repo's node_modules; no sources.
 */
function productionTree(): string {
  const dir = tempDir('takeboard-prod-tree-');
  for (const f of ['package.json', 'package-lock.json', 'scripts', 'dist']) {
    fs.cpSync(path.join(repo, f), path.join(dir, f), { recursive: true, preserveTimestamps: true });
  }
  const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const [key, meta] of Object.entries(lock.packages)) {
    const name = key.replace(/^node_modules\//, '');
    // Top-level packages only: nested ones come inside their parent's folder.
    if (!key.startsWith('node_modules/') || name.includes('node_modules/') || meta.dev) continue;
    const from = path.join(repo, 'node_modules', name);
    if (!fs.existsSync(from)) continue; // an optional package for another platform
    fs.mkdirSync(path.dirname(path.join(dir, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(from, path.join(dir, 'node_modules', name));
  }
  return dir;
}

async function stop(s: Started, signal: NodeJS.Signals, toGroup = false) {
  const tree = [s.child.pid!, ...descendants(s.child.pid!)];
  if (toGroup) process.kill(-s.child.pid!, signal);
  else s.child.kill(signal);
  const exit = await s.exited;
  await waitFor(() => tree.every((pid) => !alive(pid)), `every process of the server to end (${tree.join(', ')})`).catch((err) => {
    // The failure is the finding; the orphans must not outlive the test.
    for (const pid of tree.filter(alive)) process.kill(pid, 'SIGKILL');
    throw err;
  });
  return { exit, tree };
}

/** Process groups started here: whatever a failed test left running is ended with them. */
const groups: number[] = [];

afterAll(() => {
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the compiled server', () => {
  let prod: string;
  beforeAll(async () => {
    // Sources newer than the last build: `npm start` must build before it serves.
    const stamp = path.join(repo, 'dist', '.built');
    if (fs.existsSync(stamp)) fs.utimesSync(stamp, new Date(0), new Date(0));
    const s = await start(repo, 'node', {}, 290_000);
    expect(s.output()).toMatch(/rebuilding|first start/);
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    expect((await stop(s, 'SIGTERM')).exit).toEqual({ code: 0, signal: null });
    prod = productionTree();
  }, 300_000);

  it('serves the app from dist/ with only the production dependencies installed', async () => {
    for (const dev of ['tsx', 'vite', 'typescript', 'vitest']) expect(fs.existsSync(path.join(prod, 'node_modules', dev))).toBe(false);
    const dataDir = tempDir('takeboard-prod-data-');
    let s = await start(prod, 'npm', { DATA_DIR: dataDir });
    expect(s.output()).not.toMatch(/build/i);
    expect(await (await fetch(`${s.url}/api/health`)).json()).toEqual({ ok: true });
    const page = await (await fetch(`${s.url}/boards/anything`)).text();
    const bundle = /<script type="module" crossorigin src="(\/static\/[^"]+\.js)"/.exec(page)?.[1];
    expect(bundle, page).toBeTruthy();
    const js = await fetch(s.url + bundle);
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);

    // A board edit goes through the compiled board-writer thread and survives a restart.
    const { client } = await signedUpClient(s.url, { name: 'Ops' });
    const boardId = await createBoard(client, 'Compiled');
    let conn = connectBoard(s.url, boardId, client);
    await conn.synced();
    addShot(conn.doc, { title: 'Stored by dist' });
    await waitFor(async () => (await client.get(`/api/boards/${boardId}/export/shots.csv`)).body.includes('Stored by dist'), 'the shot to be stored');
    conn.destroy();
    const stopped = await stop(s, 'SIGTERM');
    expect(stopped.exit).toEqual({ code: 0, signal: null });
    expect(s.output()).toContain('Takeboard stopped.');

    s = await start(prod, 'node', { DATA_DIR: dataDir });
    // The same session, now on the restarted server's port.
    const again = new TestClient(s.url);
    for (const [name, value] of client.cookies) again.cookies.set(name, value);
    conn = connectBoard(s.url, boardId, again);
    await conn.synced();
    expect(shotsInOrder(conn.doc).map((shot) => shot.title)).toEqual(['Stored by dist']);
    conn.destroy();
    await stop(s, 'SIGTERM');
  }, 120_000);

  it.each([
    ['npm start', 'SIGINT', 'Ctrl-C (to the whole process group)', 'npm'],
    ['npm start', 'SIGTERM', 'to npm', 'npm'],
    ['node scripts/start.mjs', 'SIGTERM', 'to node', 'node'],
    ['node scripts/start.mjs', 'SIGINT', 'to node', 'node'],
  ] as const)('%s stops gracefully on %s %s: no process left, nothing listening', async (_name, signal, how, launcher) => {
    const s = await start(prod, launcher);
    const { exit } = await stop(s, signal, how.startsWith('Ctrl-C'));
    expect(exit.code, s.output()).toBe(0);
    expect(s.output()).toContain('Takeboard stopped.');
    expect(await refused(s.port)).toBe(true);
  }, 60_000);

  it('serves the last build, with a warning, when sources are newer but the build tools are not installed', async () => {
    const stale = tempDir('takeboard-prod-stale-');
    fs.cpSync(prod, stale, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    fs.mkdirSync(path.join(stale, 'server'));
    fs.writeFileSync(path.join(stale, 'server', 'changed.ts'), 'export {};\n');
    const s = await start(stale, 'node');
    expect(s.output()).toContain('dist/ is older than the sources, and the build tools are not installed; serving the last build.');
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    await stop(s, 'SIGTERM');
  }, 60_000);

  it('says what to do when dist/ is missing and the build tools are not installed', async () => {
    const bare = tempDir('takeboard-prod-bare-');
    fs.cpSync(prod, bare, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    fs.rmSync(path.join(bare, 'dist'), { recursive: true });
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: bare, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('run `npm ci && npm run build` first');
  });
});
