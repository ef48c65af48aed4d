import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addShot, getPromptText, shotsInOrder } from '../../shared/doc/index.js';
import { startChildServer } from '../helpers/child-server.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-crash-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const CYCLES = 4;

describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);

  it(`an edit another client saw survives SIGKILL right after (${CYCLES} cycles)`, async () => {
    // The libSQL file lives in DATA_DIR (the default); PostgreSQL gets a fresh database.
    const env = { DATA_DIR: fs.mkdtempSync(path.join(dataDir, `${engine}-`)), ...(engine === 'postgres' ? { DATABASE_URL: await dbs.url() } : {}) };
    let server = await startChildServer(env);
    const owner = await signedUpClient(server.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client);
    const expected: string[] = [];
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        // The origin changes with the port; the session cookie stays valid across restarts.
        const client = new TestClient(server.url);
        for (const [k, v] of owner.client.cookies) client.cookies.set(k, v);
        const writer = connectBoard(server.url, boardId, client);
        const watcher = connectBoard(server.url, boardId, client);
        await Promise.all([writer.synced(), watcher.synced()]);
        const title = `cycle ${cycle}`;
        const shotId = addShot(writer.doc, { title });
        getPromptText(writer.doc, shotId).insert(0, `prompt ${cycle}`);
        expected.push(title);
        await waitFor(() => getPromptText(watcher.doc, shotId).toString() === `prompt ${cycle}`, 'the watcher to see the edit');
        await server.kill('SIGKILL');
        writer.destroy();
        watcher.destroy();

        server = await startChildServer(env);
        const reader = new TestClient(server.url);
        for (const [k, v] of owner.client.cookies) reader.cookies.set(k, v);
        const check = connectBoard(server.url, boardId, reader);
        await check.synced();
        expect(shotsInOrder(check.doc).map((s) => s.title)).toEqual(expected);
        expect(getPromptText(check.doc, shotId).toString()).toBe(`prompt ${cycle}`);
        check.destroy();
      }
    } finally {
      await server.kill('SIGKILL');
    }
  }, 120_000);
});
