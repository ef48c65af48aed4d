import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { addShot, getPromptText, shotsInOrder } from '../../shared/doc/index.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase } from '../../server/db/open.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { createDocHub } from '../../server/sync/hub.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import { waitFor } from '../helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-hub-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function updateMessage(update: Uint8Array) {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeUpdate(enc, update);
  return encoding.toUint8Array(enc);
}

it('compaction keeps stored bytes bounded over 10,000 edits; the reloaded document is the same', async () => {
  const url = `file:${path.join(dir, 'hub.db')}`;
  const database = await openDatabase(url);
  await migrateToLatest(database.db);
  const storage = createLibsqlStorage(database.db, systemClock, { url });
  const hub = createDocHub({
    storage,
    log: createLogger('silent'),
    limits: { updatesPerSecond: 1e9, updateBurst: 1e9 },
    compactAfterUpdates: 500,
    unloadGraceMs: 10,
  });
  const peer = { send: () => {}, close: () => {}, bufferedAmount: () => 0 };
  const conn = hub.connect('board-1', { id: 'u1', name: 'U', city: null }, 'editor', peer);

  const client = new Y.Doc();
  client.on('update', (u: Uint8Array) => conn.receive(updateMessage(u)));
  const shotId = addShot(client, { title: 'Long take' });
  const prompt = getPromptText(client, shotId);
  let maxStored = 0;
  for (let i = 0; i < 10_000; i++) {
    // typing with corrections: the text stays short while the history grows
    if (i % 4 === 3) prompt.delete(Math.max(0, prompt.length - 2), 1);
    else prompt.insert(prompt.length, 'abcdefghij'[i % 10]!);
    if (prompt.length > 400) prompt.delete(0, 100);
    if (i % 50 === 49) await hub.flush();
    if (i % 1000 === 999) {
      const { bytes } = await storage.load('board-1');
      maxStored = Math.max(maxStored, bytes);
    }
  }
  await hub.flush();
  const stateBytes = Y.encodeStateAsUpdate(client).byteLength;
  // The log between compactions is bounded by the threshold: 500 small updates of ~25 bytes.
  expect(maxStored).toBeLessThan(stateBytes + 600 * 40);
  expect(maxStored).toBeGreaterThan(0);

  const expected = Y.encodeStateVector(client);
  conn.closed();
  await waitFor(() => hub.stats().boards === 0, 'board to unload');
  const reloaded = new Y.Doc();
  for (const p of (await storage.load('board-1')).parts) Y.applyUpdate(reloaded, p);
  expect(Y.encodeStateVector(reloaded)).toEqual(expected);
  expect(getPromptText(reloaded, shotId).toString()).toBe(prompt.toString());
  expect(shotsInOrder(reloaded).map((s) => s.title)).toEqual(['Long take']);
  await hub.close();
  await storage.close();
  await database.close();
}, 60_000);
