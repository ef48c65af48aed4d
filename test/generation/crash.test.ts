/**
 * The queue's lease after a crash, on both engines: a job running when its server is SIGKILLed is
 * taken up again once its lease runs out and finishes once, with one take and one ledger row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addShot, getShot, listTakes } from '../../shared/doc/index.js';
import { startChildServer } from '../helpers/child-server.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { jobReaches } from './helpers.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-jobcrash-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);

  it('a job running when the server is killed finishes once after restart, with one take', async () => {
    // The libSQL file lives in DATA_DIR (the default); PostgreSQL gets a fresh database.
    const env = {
      DATA_DIR: fs.mkdtempSync(path.join(dataDir, `${engine}-`)),
      JOB_LEASE_SECONDS: '1',
      ...(engine === 'postgres' ? { DATABASE_URL: await dbs.url() } : {}),
    };
    let server = await startChildServer(env);
    try {
      const owner = await signedUpClient(server.url);
      const boardId = await createBoard(owner.client);
      const conn = connectBoard(server.url, boardId, owner.client);
      await conn.synced();
      const shot = addShot(conn.doc, { title: 'Interrupted', prompt: 'a long take', durationSec: 8, model: 'animatic' });
      await waitFor(() => getShot(conn.doc, shot), 'shot');
      // the shot must be stored before the server dies: wait for the echo of a second client
      const check = connectBoard(server.url, boardId, owner.client);
      await check.synced();
      await waitFor(() => getShot(check.doc, shot), 'shot stored');
      check.destroy();
      const g = (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body;
      await jobReaches(owner.client, g.jobId, 'running');
      await server.kill('SIGKILL');
      conn.destroy();

      server = await startChildServer(env);
      const again = new TestClient(server.url);
      for (const [k, v] of owner.client.cookies) again.cookies.set(k, v);
      const job = await jobReaches(again, g.jobId, 'succeeded', 90_000);
      expect(job.costMicroUsd).toBe(0);
      const after = connectBoard(server.url, boardId, again);
      await after.synced();
      const takes = await waitFor(() => {
        const t = listTakes(after.doc, shot);
        return t.length > 0 && t.every((x) => x.status === 'succeeded') ? t : null;
      }, 'take succeeded');
      expect(takes.map((t) => t.id)).toEqual([g.takeId]);
      const costs = (await again.get(`/api/boards/${boardId}/costs`)).body;
      expect(costs.shots).toMatchObject([{ shotId: shot, spentMicroUsd: 0, jobs: 1 }]);
      after.destroy();
    } finally {
      await server.kill('SIGKILL');
    }
  }, 180_000);
});
