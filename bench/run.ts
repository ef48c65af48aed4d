/**
 * `npm run bench [-- --quick] [--only sync,coldload] [--seed 1] [suite flags]`
 *
 * Finds every `bench/<name>.bench.ts` (each exports `suite: { name, run(opts) }`), runs them in
 * name order, prints their tables and writes `bench/results/latest.json` with the machine the
 * figures came from. Progress goes to stderr, tables to stdout. Exits by itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuPressure, machineInfo } from './lib/machine.js';
import type { BenchOptions, BenchSuite, SuiteResult } from './lib/suite.js';
import { renderTable } from './lib/table.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}" (flags look like --name value)`);
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(a.slice(2), argv[++i]!);
    else flags.set(a.slice(2), 'true');
  }
  return flags;
}

async function loadSuites(only: string[] | null): Promise<BenchSuite[]> {
  const files = fs.readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
  const suites: BenchSuite[] = [];
  for (const f of files) {
    const name = f.slice(0, -'.bench.ts'.length);
    if (only && !only.includes(name)) continue;
    const mod = (await import(pathToFileURL(path.join(here, f)).href)) as { suite?: BenchSuite; default?: BenchSuite };
    const suite = mod.suite ?? mod.default;
    if (!suite || typeof suite.run !== 'function') throw new Error(`${f} must export \`suite: { name, run(opts) }\``);
    suites.push(suite);
  }
  if (only) for (const o of only) if (!suites.some((s) => s.name === o)) throw new Error(`no suite named "${o}" (bench/${o}.bench.ts)`);
  return suites;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const opts: BenchOptions = {
    quick: flags.has('quick'),
    seed: Number(flags.get('seed') ?? 1),
    flags,
    log: (line) => process.stderr.write(`${line}\n`),
  };
  const only = flags.get('only')?.split(',').map((s) => s.trim()) ?? null;
  const suites = await loadSuites(only);
  const machine = machineInfo();
  const started = Date.now();
  const results: Record<string, SuiteResult['data']> = {};
  const pressure: Record<string, number | null> = {};
  let failed = false;
  console.log(`# Takeboard benchmarks${opts.quick ? ' (quick)' : ''}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}\n`);
  for (const suite of suites) {
    const t0 = Date.now();
    const psi = cpuPressure();
    opts.log(`== ${suite.name}`);
    try {
      const res = await suite.run(opts);
      results[suite.name] = res.data;
      const p = (pressure[suite.name] = psi.stop());
      for (const t of res.tables) console.log(`${renderTable(t)}\n`);
      if (p !== null && p > 0.1) {
        console.log(`note: during "${suite.name}" a runnable task waited for a CPU ${Math.round(p * 100)}% of the time (this run included); above ~10% other load is competing and tail latencies are noisy.\n`);
      }
    } catch (err) {
      failed = true;
      results[suite.name] = { error: err instanceof Error ? err.stack ?? err.message : String(err) };
      console.error(`suite ${suite.name} failed:`, err);
    }
    opts.log(`== ${suite.name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const out = path.join(here, 'results', 'latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const record = { machine, cpuPressure: pressure, quick: opts.quick, seed: opts.seed, flags: Object.fromEntries(flags), durationS: (Date.now() - started) / 1000, results };
  fs.writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)} (${record.durationS.toFixed(1)} s)`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
