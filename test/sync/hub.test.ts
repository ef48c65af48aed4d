import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { SYNC_CLOSE, SYNC_MESSAGE } from '../../shared/sync.js';
import { addShot, getPromptText, shotsInOrder } from '../../shared/doc/index.js';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '../../server/db/migrate.js';
import type { Database } from '../../server/db/schema.js';
import { openDatabase } from '../../server/db/open.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { createDocHub } from '../../server/sync/hub.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import { createMemoryStorage } from '../../server/sync/memory-storage.js';
import { createPostgresStorage } from '../../server/sync/postgres-storage.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-hub-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Bytes the tables hold for a board (snapshot and every log row, folded or not): what compaction must bound. */
async function storedBytes(db: Kysely<Database>, boardId: string): Promise<number> {
  const r = await sql<{ n: number }>`select (select coalesce(sum(length(data)), 0) from doc_updates where board_id = ${boardId})
    + (select coalesce(sum(length(data)), 0) from doc_snapshots where board_id = ${boardId}) as n`.execute(db);
  return Number(r.rows[0]!.n);
}

function updateMessage(update: Uint8Array) {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeUpdate(enc, update);
  return encoding.toUint8Array(enc);
}

describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);

  it('compaction keeps stored bytes bounded over 10,000 edits; the reloaded document is the same', async () => {
    // libSQL: a file with its board-document writer; PostgreSQL: a fresh database (closed after the file).
    const url = engine === 'postgres' ? await dbs.url() : `file:${path.join(dir, 'hub.db')}`;
    const database = await openDatabase(url);
    await migrateToLatest(database.db);
    const storage = database.engine === 'postgres' ? createPostgresStorage(database.db, systemClock) : createLibsqlStorage(database.db, systemClock, { url });
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
        await hub.flush();
        maxStored = Math.max(maxStored, await storedBytes(database.db, 'board-1'));
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
    await storage.close?.();
    await database.close();
  }, 60_000);
});

/** A peer that keeps how the hub closed it and hands on what it is sent. */
function recordingPeer(onMessage: (data: Uint8Array) => void = () => {}) {
  const peer = {
    closed: null as { code: number; reason: string } | null,
    send: (data: Uint8Array) => onMessage(data),
    close: (code: number, reason: string) => void (peer.closed ??= { code, reason }),
    bufferedAmount: () => 0,
  };
  return peer;
}

function presenceMessage(awareness: awarenessProtocol.Awareness, clients: number[]) {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, SYNC_MESSAGE.awareness);
  encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(enc);
}

it('a newcomer to a board with 300 people present echoes all their presence back, as the stock client does, and stays connected', async () => {
  const hub = createDocHub({ storage: createMemoryStorage(), log: createLogger('silent') });
  const present = 300;
  /** What the first one present hears from the others. */
  const heard: Buffer[] = [];
  for (let i = 0; i < present; i++) {
    const tab = new awarenessProtocol.Awareness(new Y.Doc());
    tab.setLocalStateField('focus', { shotId: `shot-${i}` });
    const conn = hub.connect('board-1', { id: `u${i}`, name: `Crew ${i}`, city: null }, 'editor', recordingPeer(i === 0 ? (d) => heard.push(Buffer.from(d)) : undefined));
    conn.receive(presenceMessage(tab, [tab.clientID]));
  }
  await waitFor(() => hub.stats().connections === present, 'everyone to be on the board');

  // y-websocket 3 sends its own state on open, applies every presence message it is sent and
  // re-sends whatever changed in it (its awareness 'update' handler has no origin check): the
  // greeting, which holds everyone present, comes straight back in one message.
  const tab = new awarenessProtocol.Awareness(new Y.Doc());
  tab.setLocalStateField('focus', { shotId: 'shot-new' });
  let conn: ReturnType<typeof hub.connect> | null = null;
  const peer = recordingPeer((data) => {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== SYNC_MESSAGE.awareness) return;
    const update = decoding.readVarUint8Array(decoder);
    queueMicrotask(() => awarenessProtocol.applyAwarenessUpdate(tab, update, 'server'));
  });
  let echoedEntries = 0;
  tab.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const changed = [...added, ...updated, ...removed];
    echoedEntries = Math.max(echoedEntries, changed.length);
    conn?.receive(presenceMessage(tab, changed));
  });
  conn = hub.connect('board-1', { id: 'newcomer', name: 'New', city: null }, 'editor', peer);
  conn.receive(presenceMessage(tab, [tab.clientID]));
  await waitFor(() => tab.getStates().size === present + 1, 'the newcomer to see everyone present');
  expect(echoedEntries).toBe(present);
  expect(peer.closed).toBeNull();

  // Still on the board: what it says about itself reaches the others.
  tab.setLocalStateField('focus', { shotId: 'shot-moved' });
  await waitFor(() => heard.some((m) => m.includes('shot-moved')), "the newcomer's move to reach the others");
  expect(peer.closed).toBeNull();
  expect(hub.stats().connections).toBe(present + 1);
  await hub.close();
});

it('a failure of the server while acting on a well-formed message closes with a retryable code (4501), not as malformed (4400)', async () => {
  const hub = createDocHub({ storage: createMemoryStorage(), log: createLogger('silent') });
  const peer = recordingPeer();
  const conn = hub.connect('board-1', { id: 'u1', name: 'U', city: null }, 'editor', peer);
  await waitFor(() => hub.stats().connections === 1, 'the socket to join');
  // The transport fails while the hub answers sync step 1: the hub's fault, not the client's.
  peer.bufferedAmount = () => {
    throw new Error('transport gone');
  };
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, SYNC_MESSAGE.sync);
  syncProtocol.writeSyncStep1(enc, new Y.Doc());
  conn.receive(encoding.toUint8Array(enc));
  expect(peer.closed?.code).toBe(SYNC_CLOSE.serverError);
  expect(SYNC_CLOSE.serverError >= 4500 && SYNC_CLOSE.serverError < 4600).toBe(true);
  await hub.close();
});

it('presence changes that arrive in one turn go to each socket as one message, not one per change', async () => {
  const hub = createDocHub({ storage: createMemoryStorage(), log: createLogger('silent') });
  const presenceMessages: Uint8Array[] = [];
  hub.connect('board-1', { id: 'observer', name: 'O', city: null }, 'editor', recordingPeer((d) => void (d[0] === SYNC_MESSAGE.awareness && presenceMessages.push(d))));
  const tabs = Array.from({ length: 50 }, (_, i) => ({
    tab: new awarenessProtocol.Awareness(new Y.Doc()),
    conn: hub.connect('board-1', { id: `u${i}`, name: `Crew ${i}`, city: null }, 'editor', recordingPeer()),
  }));
  await waitFor(() => hub.stats().connections === 51, 'everyone to be on the board');
  // Fifty people say where they are within one turn of the event loop (a reconnect storm).
  for (const { tab, conn } of tabs) {
    tab.setLocalStateField('focus', { shotId: 'shot-1' });
    conn.receive(presenceMessage(tab, [tab.clientID]));
  }
  const seen = new awarenessProtocol.Awareness(new Y.Doc());
  seen.setLocalState(null);
  let read = 0;
  await waitFor(() => {
    for (; read < presenceMessages.length; read++) {
      const decoder = decoding.createDecoder(presenceMessages[read]!);
      decoding.readVarUint(decoder);
      awarenessProtocol.applyAwarenessUpdate(seen, decoding.readVarUint8Array(decoder), 'hub');
    }
    return seen.getStates().size === tabs.length;
  }, 'the observer to see all fifty');
  expect(presenceMessages).toHaveLength(1);
  await hub.close();
});
