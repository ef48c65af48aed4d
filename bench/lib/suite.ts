/**
 * The contract every benchmark module meets: `bench/<name>.bench.ts` default- or named-exports
 * `{ name, run(opts) }`, and the runner finds it by its file name. A suite returns tables to
 * print and plain data for `bench/results/latest.json`.
 */

/** Options the runner passes to every suite. */
export interface BenchOptions {
  /** `--quick`: smaller sizes and shorter phases; the whole run stays under two minutes. */
  quick: boolean;
  /** Base seed for every random choice (`--seed`, default 1). */
  seed: number;
  /** Every `--key value` / `--key=value` flag, for suite-specific settings (e.g. `--rate 500`). */
  flags: ReadonlyMap<string, string>;
  /** Progress lines go to stderr so stdout carries only the tables. */
  log(line: string): void;
}

/** One printed table. */
export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  /** Lines printed under the table. */
  notes?: string[];
}

export interface SuiteResult {
  tables: Table[];
  /** Anything JSON-serialisable: the raw figures behind the tables. */
  data: unknown;
}

export interface BenchSuite {
  name: string;
  run(opts: BenchOptions): Promise<SuiteResult>;
}

/** A number flag with a default; throws on garbage so a typo is not silently ignored. */
export function numberFlag(opts: BenchOptions, name: string, fallback: number): number {
  const raw = opts.flags.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${raw}"`);
  return n;
}

/** A comma-separated list of numbers (e.g. `--clients 10,50`). */
export function listFlag(opts: BenchOptions, name: string, fallback: number[]): number[] {
  const raw = opts.flags.get(name);
  if (raw === undefined) return fallback;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isFinite(n) || n <= 0)) throw new Error(`--${name} must be a list of positive numbers, got "${raw}"`);
  return list;
}
