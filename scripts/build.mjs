#!/usr/bin/env node
/**
 * `npm run build`: compiles the server, shared code and migrations with tsc (tsconfig.build.json)
 * into dist/server, dist/shared and dist/migrations, copies the files they read at run time, and
 * builds the web client with Vite into dist/client. `npm start` runs dist/server/main.js with
 * plain node. dist/.built is written last, so an interrupted build is never taken for a fresh one.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dist = path.join(root, 'dist');
export const stamp = path.join(dist, '.built');
/** What the build reads: a change in any of these makes dist/ stale. */
export const buildInputs = ['server', 'shared', 'migrations', 'client', 'tsconfig.json', 'tsconfig.build.json'];
const compiled = ['server', 'shared', 'migrations'];
/** Source files that are not runtime files: compiled ones (.ts), notes (.md), tsx-only thread boots. */
const notRuntime = /(\.ts|\.md|\.boot\.mjs)$/;

/** Runs a node script of a dev dependency; rejects with its exit code. Signals reach it. */
function run(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules', script), ...args], { cwd: root, stdio: 'inherit' });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      if (code === 0) resolve();
      else reject(new Error(`${script} ${signal ? `stopped by ${signal}` : `exited with ${code}`}`));
    });
  });
}

/** Copies the files compiled code reads beside itself (none is .ts), keeping the folder layout. */
function copyRuntimeFiles(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copyRuntimeFiles(rel);
    else if (!notRuntime.test(entry.name)) fs.cpSync(path.join(root, rel), path.join(dist, rel));
  }
}

/** Newest modification time (ms) under `p`, 0 when it does not exist. */
function newest(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    // Build output and installed packages are not sources.
    if (entry !== 'dist' && entry !== 'node_modules') max = Math.max(max, newest(path.join(p, entry)));
  }
  return max;
}

/** Whether dist/ is `missing`, older than its sources (`stale`) or `fresh`. */
export function buildState() {
  if (!fs.existsSync(stamp) || !fs.existsSync(path.join(dist, 'server', 'main.js'))) return 'missing';
  const builtAt = fs.statSync(stamp).mtimeMs;
  return buildInputs.some((s) => newest(path.join(root, s)) > builtAt) ? 'stale' : 'fresh';
}

export async function build() {
  fs.rmSync(stamp, { force: true });
  // Stale output of deleted sources must not linger in what the server loads.
  for (const dir of compiled) fs.rmSync(path.join(dist, dir), { recursive: true, force: true });
  await run('typescript/bin/tsc', ['-p', path.join(root, 'tsconfig.build.json')]);
  for (const dir of compiled) copyRuntimeFiles(dir);
  await run('vite/bin/vite.js', ['build', path.join(root, 'client'), '--logLevel', 'warn']);
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build().catch((err) => {
    process.stderr.write(`The build failed: ${err.message}\n`);
    process.exit(1);
  });
}
