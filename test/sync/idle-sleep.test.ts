import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, getPromptText, listTakes, shotsInOrder, upsertTake } from '../../shared/doc/index.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import { createPostgresStorage } from '../../server/sync/postgres-storage.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { connectedTeam } from '../helpers/team.js';
import { waitFor } from '../helpers/wait.js';

// A board idle for 30-60 ms sleeps: its documents go, its stored state stays encoded. On libSQL
// and on PostgreSQL (what a sleeping or unloaded board is served from is what storage holds).
describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);
  let srv: TestServer;
  const open: BoardConnection[] = [];
  beforeAll(async () => {
    const databaseUrl = engine === 'postgres' ? await dbs.url() : undefined;
    srv = await startTestServer({ ...(databaseUrl ? { databaseUrl } : {}), app: { sync: { idleMs: 30, unloadGraceMs: 50 } } });
  });
  afterAll(async () => {
    for (const c of open.splice(0)) c.destroy();
    await srv.close();
  });

  const hub = () => srv.takeboard.hub;
  const asleep = () => waitFor(() => hub().stats().asleep === hub().stats().boards && hub().stats().boards > 0, 'the board to sleep');

  async function storedState(boardId: string) {
    await hub().flush();
    const doc = new Y.Doc();
    const storage = srv.database.engine === 'postgres' ? createPostgresStorage(srv.database.db, { now: Date.now }) : createLibsqlStorage(srv.database.db, { now: Date.now });
    for (const p of (await storage.load(boardId)).parts) Y.applyUpdate(doc, p);
    return doc;
  }

  it('a sleeping board serves newcomers from its stored state, wakes on an edit, and still refuses what breaks the schema', async () => {
    const people = { owner: { name: 'Ana', city: 'Lisbon' }, editor: { name: 'Bo', city: 'Seoul' }, third: { name: 'Cy', city: 'Lagos', role: 'editor' as const } };
    const { owner, third: late, boardId, ca, cb } = await connectedTeam(srv.url, open, people);
    const shotId = addShot(ca.doc, { title: 'Harbour at dawn', prompt: 'fog lifts off the water' });
    getPromptText(ca.doc, shotId).delete(0, 4); // a deletion too: the encoded state carries it
    await waitFor(() => getPromptText(cb.doc, shotId).toString() === 'lifts off the water', 'the shot on B');
    await asleep();

    // A newcomer syncs from the encoded state, without waking the board.
    const cc = connectBoard(srv.url, boardId, late.client);
    open.push(cc);
    await cc.synced();
    expect(shotsInOrder(cc.doc).map((s) => s.title)).toEqual(['Harbour at dawn']);
    expect(getPromptText(cc.doc, shotId).toString()).toBe('lifts off the water');
    expect(hub().stats().asleep).toBe(1);

    // An edit wakes it: validated, stored, relayed to both others.
    getPromptText(cc.doc, shotId).insert(0, 'slowly ');
    await waitFor(() => getPromptText(ca.doc, shotId).toString() === 'slowly lifts off the water', 'the edit on A');
    await waitFor(() => getPromptText(cb.doc, shotId).toString() === 'slowly lifts off the water', 'the edit on B');
    expect(getPromptText(await storedState(boardId), shotId).toString()).toBe('slowly lifts off the water');

    // Asleep again, a client forging a take is refused; nothing of it is stored or relayed.
    await asleep();
    upsertTake(cb.doc, shotId, 'forged', { status: 'succeeded', jobId: 'x', model: 'animatic', durationSec: 4, costMicroUsd: 0, createdBy: 'me', createdAt: new Date().toISOString() });
    expect((await cb.closed()).code).toBe(SYNC_CLOSE.schemaViolation);
    getPromptText(ca.doc, shotId).insert(0, '>');
    await waitFor(() => getPromptText(cc.doc, shotId).toString().startsWith('>'), 'a later edit on C');
    expect(listTakes(cc.doc, shotId)).toEqual([]);
    const stored = await storedState(boardId);
    expect(listTakes(stored, shotId)).toEqual([]);
    expect(getPromptText(stored, shotId).toString()).toBe('>slowly lifts off the water');
  });

  it('a board that sleeps, unloads and loads again has everything stored', async () => {
    const owner = await signedUpClient(srv.url, { name: 'Di' });
    const boardId = await createBoard(owner.client);
    const c = connectBoard(srv.url, boardId, owner.client);
    await c.synced();
    const ids = ['one', 'two', 'three'].map((title) => addShot(c.doc, { title }));
    await waitFor(async () => shotsInOrder(await storedState(boardId)).length === 3, 'the shots stored');
    await waitFor(() => hub().stats().asleep >= 1, 'a board to sleep');
    c.destroy();
    // Unloading folds the log into a snapshot taken from the sleeping board's encoded state.
    const storage = createLibsqlStorage(srv.database.db, { now: Date.now });
    await waitFor(async () => (await storage.load(boardId)).logCount === 0, 'the log folded into a snapshot on unload');
    const again = connectBoard(srv.url, boardId, owner.client);
    open.push(again);
    await again.synced();
    expect(shotsInOrder(again.doc).map((s) => s.id)).toEqual(ids);
  });
});
