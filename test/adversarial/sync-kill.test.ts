/**
 * An edit another client saw survives a SIGKILL of the server, whenever it
 * lands. Each cycle a writer streams edits (one Yjs transaction every few ms) while a watcher on
 * another socket records what was relayed to it; the process is killed at a random moment
 * during the stream; after the restart every edit the watcher saw must be on the board, once.
 * Default configuration (compaction at its normal thresholds), on libSQL and on PostgreSQL (the
 * update log is committed before relay on both). KILL_SEED replays a run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { LONG } from './helpers.js';
import { killCycles, serverLauncher } from './sync-helpers.js';

const CYCLES = LONG ? 1000 : 50;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-kill-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);

  it(`every relayed edit survives SIGKILL at a random moment (${CYCLES} cycles)`, async () => {
    // The libSQL file lives in DATA_DIR (the default); PostgreSQL gets a fresh database.
    const env = { DATA_DIR: fs.mkdtempSync(path.join(dataDir, `${engine}-`)), ...(engine === 'postgres' ? { DATABASE_URL: await dbs.url() } : {}) };
    const launcher = serverLauncher(env);
    try {
      const report = await killCycles({
        launcher,
        cycles: CYCLES,
        killWindowMs: 300,
        editEveryMs: 4,
        ...(process.env.KILL_SEED ? { seed: Number(process.env.KILL_SEED) } : {}),
      });
      console.log(`[sync-kill] ${engine}: ${report.cycles} SIGKILL cycles (seed ${report.seed}): ${report.sent} edits sent, ${report.seen} relayed to a watcher, ${report.lost} lost, ${report.duplicated} twice`);
      expect(report.problems).toEqual([]);
      expect(report.cycles).toBe(CYCLES);
      expect(report.lost).toBe(0);
      expect(report.seen).toBeGreaterThanOrEqual(CYCLES);
    } finally {
      await launcher.close();
    }
  }, LONG ? 4 * 3_600_000 : 300_000);
});
