/**
 * `npm test` prepares the machine itself: what is missing is installed when it can be, and
 * otherwise the run stops at once with the command to run, instead of suites failing one by one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, missing, planSetup } from '../../scripts/test-setup.mjs';

const nothingHere = { exists: () => false, onPath: () => false };

describe('test set-up', () => {
  it('finds nothing missing on a machine that has every part (this one, after set-up)', () => {
    expect(missing().map((r) => r.what)).toEqual([]);
  });

  it('names every part a bare machine lacks, each with its Debian package', () => {
    const lacking = missing(REQUIREMENTS, nothingHere);
    expect(lacking.map((r) => r.pkg)).toEqual(['chromium', 'redis-server', 'postgresql', 'ffmpeg', 'fonts-dejavu-core', 'fonts-wqy-zenhei', 'util-linux']);
  });

  it('finds PostgreSQL whichever major version Debian installed (15 on bookworm, 17 on trixie)', () => {
    const only = (file: string) => ({ exists: (f: string) => f === file || !f.startsWith('/usr/lib/postgresql'), onPath: () => true, list: () => ['15', '17'] });
    expect(missing(REQUIREMENTS, only('/usr/lib/postgresql/17/bin/postgres')).map((r) => r.pkg)).toEqual([]);
    expect(missing(REQUIREMENTS, only('/usr/lib/postgresql/15/bin/postgres')).map((r) => r.pkg)).toEqual([]);
    expect(missing(REQUIREMENTS, { ...only('/nowhere'), list: () => [] }).map((r) => r.pkg)).toEqual(['postgresql']);
  });

  it('installs as root, through password-less sudo, and otherwise stops with the one command', () => {
    const lacking = missing(REQUIREMENTS, { exists: () => true, onPath: (c: string) => c !== 'redis-server' });
    expect(planSetup(lacking, { isRoot: true, canSudo: false, hasApt: true })).toEqual({ action: 'install', sudo: false, pkgs: ['redis-server'] });
    expect(planSetup(lacking, { isRoot: false, canSudo: true, hasApt: true })).toEqual({ action: 'install', sudo: true, pkgs: ['redis-server'] });
    const stop = planSetup(lacking, { isRoot: false, canSudo: false, hasApt: true });
    expect(stop.action).toBe('stop');
    expect(stop.message).toContain("sudo sh -c 'apt-get update && apt-get install -y redis-server'");
    expect(planSetup([], { isRoot: false, canSudo: false, hasApt: false })).toEqual({ action: 'none' });
  });

  it('stops a non-root run at once, naming what is missing and the command (no apt here)', () => {
    // A PATH holding only node: no apt-get, no sudo, no redis-server, no ffmpeg.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-setup-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    try {
      const r = spawnSync(path.join(bin, 'node'), ['scripts/test-setup.mjs'], { env: { PATH: bin }, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('redis-server (scale-out suites): Debian package redis-server');
      expect(r.stderr).toContain('install the equivalents of: redis-server ffmpeg util-linux');
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
