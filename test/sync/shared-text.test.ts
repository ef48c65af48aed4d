/**
 * Boards stored while titles, names, beats and camera were plain strings: the sync server
 * converts them to shared text when it loads them (real libSQL file, stock y-websocket clients),
 * once and without loss, also when two instances load the same board at once; an outdated
 * client writing a string afterwards is refused with a reason that asks it to reload. The board
 * title follows API renames without ever cutting back what people typed into it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_UPDATED, getMeta, getReference, getShot, getShotText, getTitleText, legacyTexts, roots, validateDocument,
  META,
} from '../../shared/doc/index.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase } from '../../server/db/open.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { createDocHub } from '../../server/sync/hub.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import type { DocStorage } from '../../server/sync/storage.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { writeLegacyBoard } from '../unit/doc/helpers.js';

let srv: TestServer;
const open: BoardConnection[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-texts-'));
beforeAll(async () => {
  srv = await startTestServer({ app: { sync: { unloadGraceMs: 50 } } });
});
afterAll(async () => {
  for (const c of open) c.destroy();
  await srv.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes, straight into storage, what a build from before shared titles would have stored. */
async function storeLegacyBoard(storage: DocStorage, boardId: string) {
  const doc = new Y.Doc();
  for (const p of (await storage.load(boardId)).parts) Y.applyUpdate(doc, p);
  const before = Y.encodeStateVector(doc);
  writeLegacyBoard(doc);
  await storage.append([{ boardId, update: Y.encodeStateAsUpdate(doc, before) }]);
}

/** A new board with two stock clients of its owner, both synced. */
async function ownerTwice(title: string) {
  const owner = await signedUpClient(srv.url);
  const boardId = await createBoard(owner.client, title);
  const [a, b] = [connectBoard(srv.url, boardId, owner.client), connectBoard(srv.url, boardId, owner.client)];
  open.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  return { owner, boardId, a, b };
}

async function storedDoc(storage: DocStorage, boardId: string) {
  const doc = new Y.Doc();
  for (const p of (await storage.load(boardId)).parts) Y.applyUpdate(doc, p);
  return doc;
}

function expectConverted(doc: Y.Doc) {
  expect(legacyTexts(doc)).toEqual([]);
  expect(validateDocument(doc)).toEqual([]);
  expect(getTitleText(doc)?.toString()).toBe('Night market');
  expect(getShotText(doc, 'shot_1', 'title')?.toString()).toBe('Crane up');
  expect(getShotText(doc, 'shot_1', 'camera')?.toString()).toBe('crane');
  expect(getReference(doc, 'ref_1')).toMatchObject({ name: 'Mina', versions: [{ beat: 'act 1' }] });
  // A card from before cards had an order is given one on the same load.
  expect(getReference(doc, 'ref_1')!.rank).toMatch(/^a/);
}

describe('a board stored with string text fields', () => {
  it('is converted when it loads: clients sync shared texts, typing merges, storage holds the conversion', async () => {
    const owner = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client, 'Night market');
    await waitFor(() => srv.takeboard.hub.stats().boards === 0, 'board to unload after creation');
    const storage = createLibsqlStorage(srv.database.db, systemClock);
    await storeLegacyBoard(storage, boardId);
    expect(legacyTexts(await storedDoc(storage, boardId)).length).toBe(5);

    const a = connectBoard(srv.url, boardId, owner.client);
    const b = connectBoard(srv.url, boardId, owner.client);
    open.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    expectConverted(a.doc);
    // Both type into the converted title at once: both keep their characters.
    getShotText(a.doc, 'shot_1', 'title')!.insert(0, 'Big ');
    getShotText(b.doc, 'shot_1', 'title')!.insert(8, ' fast');
    await waitFor(() => getShot(a.doc, 'shot_1')?.title === 'Big Crane up fast' && getShot(b.doc, 'shot_1')?.title === 'Big Crane up fast', 'titles to merge');
    await srv.takeboard.hub.flush();
    const stored = await storedDoc(storage, boardId);
    expect(legacyTexts(stored)).toEqual([]);
    expect(getShot(stored, 'shot_1')?.title).toBe('Big Crane up fast');
    expect(getMeta(stored).title).toBe('Night market');
  });

  it('refuses an outdated client writing a string into a converted field, asking it to reload', async () => {
    const { boardId, a: current, b: outdated } = await ownerTwice('Night market');
    expect(getTitleText(outdated.doc)?.toString()).toBe('Night market');
    roots(outdated.doc).meta.set(META.title, 'Renamed the old way');
    const closed = await outdated.closed();
    expect(closed.code).toBe(SYNC_CLOSE.schemaViolation);
    expect(closed.reason.startsWith(BOARD_UPDATED)).toBe(true);
    // Nothing of it reached the teammate or storage: the title is still the shared text.
    getTitleText(current.doc)!.insert(0, 'The ');
    const storage = createLibsqlStorage(srv.database.db, systemClock);
    const stored = await waitFor(async () => {
      const d = await storedDoc(storage, boardId);
      return getMeta(d).title === 'The Night market' ? d : null;
    }, 'the teammate’s edit to be stored');
    expect(getTitleText(stored)).toBeInstanceOf(Y.Text);
  });
});

describe('the board title', () => {
  it('follows an API rename while untouched, and is never cut back by a rename sent after typing', async () => {
    const { owner, boardId, a, b } = await ownerTwice('Night market');
    expect((await owner.client.patch(`/api/boards/${boardId}`, { title: 'Day market' })).status).toBe(200);
    await waitFor(() => getMeta(a.doc).title === 'Day market', 'the rename to reach the shared title');
    // A types and leaves the field (its page renames the list entry); B has typed on meanwhile.
    getTitleText(a.doc)!.insert(10, ' II');
    await waitFor(() => getMeta(b.doc).title === 'Day market II', 'A’s typing to reach B');
    getTitleText(b.doc)!.insert(13, '!');
    await waitFor(() => getMeta(a.doc).title === 'Day market II!', 'B’s typing to reach A');
    expect((await owner.client.patch(`/api/boards/${boardId}`, { title: 'Day market II' })).status).toBe(200);
    expect((await owner.client.get(`/api/boards/${boardId}`)).body.title).toBe('Day market II');
    // The rename request is done; the shared title kept B's character.
    await srv.takeboard.hub.flush();
    expect(getMeta(a.doc).title).toBe('Day market II!');
    expect(await srv.takeboard.hub.read(boardId, (d) => getMeta(d).title)).toBe('Day market II!');
  });
});

it('two instances loading the same old board at once convert it to one shared text per field', async () => {
  const url = `file:${path.join(dir, 'two.db')}`;
  const database = await openDatabase(url);
  await migrateToLatest(database.db);
  const storage = createLibsqlStorage(database.db, systemClock, { url });
  await storeLegacyBoard(storage, 'board-old');
  const hubs = [0, 1].map(() => createDocHub({ storage, log: createLogger('silent'), unloadGraceMs: 10_000 }));
  // Each instance loads the board (and converts it) before either sees the other's write.
  const titles = await Promise.all(hubs.map((h) => h.read('board-old', (doc) => getTitleText(doc)?.toString())));
  expect(titles).toEqual(['Night market', 'Night market']);
  await Promise.all(hubs.map((h) => h.flush()));
  const stored = await storedDoc(storage, 'board-old');
  expectConverted(stored);
  // One of the two identical conversions was a no-op: the title is not doubled, and a third
  // instance loading now finds nothing to convert.
  const third = createDocHub({ storage, log: createLogger('silent') });
  const before = (await storage.load('board-old')).logCount;
  await third.read('board-old', (doc) => expectConverted(doc));
  await third.flush();
  expect((await storage.load('board-old')).logCount).toBe(before);
  for (const h of [...hubs, third]) await h.close();
  await storage.close?.();
  await database.close();
});
