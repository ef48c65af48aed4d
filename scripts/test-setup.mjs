#!/usr/bin/env node
/**
 * First step of `npm test` (and of `.ci/run`): makes sure the machine has what the suite runs on
 * (Debian's Chromium, redis-server, PostgreSQL, maintained ffmpeg, DejaVu and CJK fonts, prlimit). Missing parts are
 * installed with apt when this user is root or has password-less sudo; otherwise the run stops at
 * once with the one command that installs them, so no suite is skipped for want of a tool.
 * Plain Node with no dependencies: it runs before `npm ci` on a bare machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the suite needs, how to tell it is here, and the Debian package that brings it. */
export const REQUIREMENTS = [
  { what: 'Chromium (browser suites)', files: ['/usr/bin/chromium'], pkg: 'chromium' },
  { what: 'redis-server (scale-out suites)', commands: ['redis-server'], pkg: 'redis-server' },
  // Any major version: Debian's `postgresql` brings 15 on bookworm, 17 on trixie.
  { what: 'PostgreSQL server (PostgreSQL suites, test/helpers/postgres.ts)', anyVersion: { root: '/usr/lib/postgresql', file: 'bin/postgres' }, pkg: 'postgresql' },
  { what: "ffmpeg and ffprobe (Debian's maintained build)", commands: ['ffmpeg', 'ffprobe'], pkg: 'ffmpeg' },
  { what: 'DejaVu fonts (text burnt into media)', files: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'], pkg: 'fonts-dejavu-core' },
  { what: 'a CJK font (names in Chinese, Japanese, Korean drawn into media)', files: ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc'], pkg: 'fonts-wqy-zenhei' },
  { what: 'prlimit (memory caps on media tools)', commands: ['prlimit'], pkg: 'util-linux' },
];

/** True when `name` is an executable file in one of PATH's directories. */
export function onPath(name, envPath = process.env.PATH ?? '') {
  return envPath.split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function listDir(dir) {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Whether `file` is under some version directory of `root` (e.g. /usr/lib/postgresql/<version>/bin/postgres). */
function someVersionHas({ root, file }, probe) {
  return (probe.list ?? listDir)(root).some((v) => probe.exists(path.join(root, v, file)));
}

/**
 * The requirements this machine lacks.
 * @param {{ exists: (file: string) => boolean, onPath: (name: string) => boolean, list?: (dir: string) => string[] }} probe
 */
export function missing(requirements = REQUIREMENTS, probe = { exists: fs.existsSync, onPath }) {
  return requirements.filter(
    (r) =>
      (r.files ?? []).some((f) => !probe.exists(f)) ||
      (r.commands ?? []).some((c) => !probe.onPath(c)) ||
      (r.anyVersion ? !someVersionHas(r.anyVersion, probe) : false),
  );
}

/**
 * What to do about the missing parts: nothing, install them (as root or through sudo), or stop with
 * the command a person must run. Pure, so the decision is tested without touching the machine.
 */
export function planSetup(lacking, { isRoot, canSudo, hasApt }) {
  if (lacking.length === 0) return { action: 'none' };
  const pkgs = [...new Set(lacking.map((r) => r.pkg))];
  const install = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
  if (hasApt && isRoot) return { action: 'install', sudo: false, pkgs };
  if (hasApt && canSudo) return { action: 'install', sudo: true, pkgs };
  const needs = lacking.map((r) => `  - ${r.what}: Debian package ${r.pkg}`).join('\n');
  const how = hasApt
    ? `Run as root (or with sudo):\n  sudo sh -c '${install}'`
    : `This machine has no apt-get; install the equivalents of: ${pkgs.join(' ')}`;
  return { action: 'stop', message: `The test suite needs parts this machine lacks:\n${needs}\n${how}\nthen run npm test again.` };
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function main() {
  const lacking = missing();
  const plan = planSetup(lacking, {
    isRoot: process.getuid?.() === 0,
    canSudo: onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
    hasApt: onPath('apt-get'),
  });
  if (plan.action === 'none') return;
  if (plan.action === 'stop') {
    process.stderr.write(`\n${plan.message}\n\n`);
    process.exit(1);
  }
  const prefix = plan.sudo ? ['sudo', '-n'] : [];
  process.stdout.write(`Installing what the test suite needs: ${plan.pkgs.join(' ')}\n`);
  const [cmd, ...pre] = [...prefix, 'apt-get'];
  run(cmd, [...pre, 'update', '-qq']);
  run(cmd, [...pre, 'install', '-y', '-qq', ...plan.pkgs]);
  const still = missing();
  if (still.length > 0) {
    process.stderr.write(`Still missing after apt-get install: ${still.map((r) => r.what).join(', ')}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
