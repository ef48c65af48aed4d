/**
 * What the browser benchmarks share: Debian's Chromium launched as the e2e suites launch it
 * (test/e2e/harness.ts imports vitest, so not from there), and their table row of a timing
 * against a reference measured in the same run.
 */
import { chromium, type Browser } from 'playwright-core';
import { fmt, ratio, type Summary } from './stats.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Chromium with the e2e flags plus `extra` (e.g. an autoplay policy). */
export function launchChromium(extra: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...extra] });
}

/** Columns for `timingRow`. */
export const TIMING_COLUMNS = ['measure', 'n', 'p50', 'p90', 'max', 'reference p50', 'ratio', 'under target'];

/** One measure: its spread, the reference's p50 and the ratio (when there is one), and whether its p50 meets `target` ms. */
export function timingRow(name: string, s: Summary, ref: Summary | null, target: number | null): Array<string | number> {
  return [name, s.count, fmt(s.p50), fmt(s.p90), fmt(s.max), ref ? fmt(ref.p50) : '', ref ? ratio(s.p50, ref.p50) : '', target === null ? '' : s.p50 < target ? 'yes' : 'NO'];
}
