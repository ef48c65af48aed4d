import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, getPromptText, getShot, listTakes, moveShot, setShotFields, shotsInOrder, upsertTake } from '../../shared/doc/index.js';
import { READ_ONLY_NOTICE, SYNC_CLOSE } from '../../shared/sync.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectionPool, rawSocket } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const pool = connectionPool();
const connect = pool.connect;
beforeAll(async () => {
  srv = await startTestServer({ app: { sync: { unloadGraceMs: 50 } } });
});
afterAll(async () => {
  pool.destroyAll();
  await srv.close();
});

/** A board with an owner and an editor, both connected and synced. */
async function twoEditors() {
  const a = await signedUpClient(srv.url, { name: 'Ana', city: 'Lisbon' });
  const b = await signedUpClient(srv.url, { name: 'Bo', city: 'Seoul' });
  const boardId = await createBoard(a.client);
  await joinWithRole(a.client, b.client, boardId, 'editor');
  const ca = connect(srv.url, boardId, a.client);
  const cb = connect(srv.url, boardId, b.client);
  await Promise.all([ca.synced(), cb.synced()]);
  return { a, b, boardId, ca, cb };
}

/** Reads what the server has stored for a board, straight from the database. */
async function storedState(boardId: string) {
  await srv.takeboard.hub.flush();
  const doc = new Y.Doc();
  const { createLibsqlStorage } = await import('../../server/sync/libsql-storage.js');
  const stored = await createLibsqlStorage(srv.database.db, { now: Date.now }).load(boardId);
  for (const p of stored.parts) Y.applyUpdate(doc, p);
  return doc;
}

describe('live sync', () => {
  it('two editors see each other’s edits, and the server stores them', async () => {
    const { boardId, ca, cb } = await twoEditors();
    const shotId = addShot(ca.doc, { title: 'Opening crane' });
    await waitFor(() => shotsInOrder(cb.doc).find((s) => s.id === shotId), 'shot to reach B');
    setShotFields(cb.doc, shotId, { durationSec: 6 });
    await waitFor(() => shotsInOrder(ca.doc)[0]?.durationSec === 6, 'edit to reach A');
    const stored = await storedState(boardId);
    expect(shotsInOrder(stored)[0]).toMatchObject({ id: shotId, title: 'Opening crane', durationSec: 6 });
  });

  it('concurrent typing in one prompt converges on every side', async () => {
    const { ca, cb } = await twoEditors();
    const shotId = addShot(ca.doc, { title: 'Market' });
    await waitFor(() => shotsInOrder(cb.doc).length === 1, 'shot on B');
    // Both type at once, while disconnected from each other's latest state.
    getPromptText(ca.doc, shotId).insert(0, 'neon rain, ');
    getPromptText(cb.doc, shotId).insert(0, 'slow dolly, ');
    await waitFor(() => getPromptText(ca.doc, shotId).length === 23 && getPromptText(cb.doc, shotId).length === 23, 'both prompts to merge');
    expect(getPromptText(ca.doc, shotId).toString()).toBe(getPromptText(cb.doc, shotId).toString());
    expect(getPromptText(ca.doc, shotId).toString()).toContain('neon rain, ');
  });

  it('concurrent reorders neither duplicate nor lose shots', async () => {
    const { ca, cb } = await twoEditors();
    const ids = ['A', 'B', 'C', 'D', 'E'].map((t) => addShot(ca.doc, { title: t }));
    await waitFor(() => shotsInOrder(cb.doc).length === 5, 'shots on B');
    ca.provider.disconnect();
    moveShot(ca.doc, ids[0]!, { after: ids[4]! });
    moveShot(cb.doc, ids[0]!, { after: ids[2]! });
    moveShot(cb.doc, ids[3]!, { before: ids[1]! });
    ca.provider.connect();
    await waitFor(
      () => JSON.stringify(shotsInOrder(ca.doc).map((s) => s.id)) === JSON.stringify(shotsInOrder(cb.doc).map((s) => s.id)),
      'orders to converge',
    );
    const order = shotsInOrder(ca.doc).map((s) => s.id);
    expect([...order].sort()).toEqual([...ids].sort());
  });

  it('a viewer’s update reaches nobody and is not stored; the viewer is told', async () => {
    const { a, boardId, ca } = await twoEditors();
    const viewer = await signedUpClient(srv.url, { name: 'Vi' });
    await joinWithRole(a.client, viewer.client, boardId, 'viewer');
    const cv = connect(srv.url, boardId, viewer.client);
    await cv.synced();
    addShot(cv.doc, { title: 'Viewer sneaks a shot' });
    await waitFor(() => cv.denied.includes(READ_ONLY_NOTICE), 'read-only notice');
    // A marker edit by the owner proves the relay is flowing; the viewer's shot never arrives.
    const marker = addShot(ca.doc, { title: 'marker' });
    const stored = await waitFor(async () => {
      const d = await storedState(boardId);
      return shotsInOrder(d).some((s) => s.id === marker) ? d : null;
    }, 'marker stored');
    expect(shotsInOrder(stored).map((s) => s.title)).toEqual(['marker']);
    expect(shotsInOrder(ca.doc).map((s) => s.title)).toEqual(['marker']);
    // and the viewer still receives the board
    await waitFor(() => shotsInOrder(cv.doc).some((s) => s.id === marker), 'viewer receives updates');
  });

  it('closes sockets without a session, from a foreign Origin, or of non-members before sending any data', async () => {
    const owner = await signedUpClient(srv.url);
    const stranger = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client);
    const cases: [TestClient | null, string | undefined, number][] = [
      [null, undefined, SYNC_CLOSE.unauthorized],
      [owner.client, 'https://evil.example', SYNC_CLOSE.badOrigin],
      [stranger.client, undefined, SYNC_CLOSE.notFound],
    ];
    for (const [client, origin, code] of cases) {
      const s = rawSocket(srv.url, boardId, client, origin);
      const closed = await s.waitClosed();
      expect(closed.code).toBe(code);
      expect(s.messages).toHaveLength(0);
    }
    // a board that does not exist looks the same as one you are not in
    const ghost = rawSocket(srv.url, 'no-such-board', owner.client);
    expect((await ghost.waitClosed()).code).toBe(SYNC_CLOSE.notFound);
  });

  it('a malformed or oversize message closes only that socket', async () => {
    const { a, boardId, ca, cb } = await twoEditors();
    const garbage = rawSocket(srv.url, boardId, a.client);
    await garbage.opened();
    garbage.ws.send(Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]));
    expect((await garbage.waitClosed()).code).toBe(SYNC_CLOSE.malformed);

    const unknownType = rawSocket(srv.url, boardId, a.client);
    await unknownType.opened();
    unknownType.ws.send(Buffer.from([7, 1, 2, 3]));
    expect((await unknownType.waitClosed()).code).toBe(SYNC_CLOSE.malformed);

    const text = rawSocket(srv.url, boardId, a.client);
    await text.opened();
    text.ws.send('hello');
    expect((await text.waitClosed()).code).toBe(SYNC_CLOSE.malformed);

    const big = rawSocket(srv.url, boardId, a.client);
    await big.opened();
    big.ws.send(Buffer.alloc(3 * 1024 * 1024, 1));
    expect((await big.waitClosed()).code).toBe(1009); // ws refuses frames past maxPayload

    // the well-behaved clients never noticed
    const shotId = addShot(ca.doc, { title: 'still alive' });
    await waitFor(() => shotsInOrder(cb.doc).some((s) => s.id === shotId), 'relay after the bad sockets');
    expect(ca.closes).toHaveLength(0);
    expect(cb.closes).toHaveLength(0);
  });

  it('refuses a client writing a take and closes only that socket', async () => {
    const { boardId, ca, cb } = await twoEditors();
    const shotId = addShot(ca.doc, { title: 'Real shot' });
    await waitFor(() => shotsInOrder(cb.doc).length === 1, 'shot on B');
    upsertTake(cb.doc, shotId, 'forged-take', { status: 'succeeded', jobId: 'x', model: 'animatic', durationSec: 4, costMicroUsd: 0, createdBy: 'me', createdAt: new Date().toISOString() });
    const closed = await cb.closed();
    expect(closed.code).toBe(SYNC_CLOSE.schemaViolation);
    expect(closed.reason).toMatch(/take/i);
    const marker = addShot(ca.doc, { title: 'after' });
    await waitFor(async () => shotsInOrder(await storedState(boardId)).some((s) => s.id === marker), 'marker stored');
    const stored = await storedState(boardId);
    expect(shotsInOrder(stored).map((s) => s.id)).toContain(shotId);
    expect(listTakes(stored, shotId)).toEqual([]);
  });

  it('fills presence from the session: a client cannot show up under another name', async () => {
    const { ca, cb, a } = await twoEditors();
    ca.provider.awareness.setLocalState({ user: { id: 'someone-else', name: 'The CEO', city: 'Nowhere' }, focus: { shotId: 's1', field: 'prompt' } });
    const seen = await waitFor(() => [...cb.provider.awareness.getStates().values()].find((s: any) => s.focus?.shotId === 's1'), 'A presence on B');
    expect(seen.user).toMatchObject({ id: a.user.id, name: 'Ana', city: 'Lisbon', color: expect.stringMatching(/^#/) });
  });

  it('closes the socket of a member who is removed, and stops a demoted one from writing', async () => {
    const { a, b, boardId, ca, cb } = await twoEditors();
    expect((await a.client.patch(`/api/boards/${boardId}/members/${b.user.id}`, { role: 'viewer' })).status).toBe(200);
    addShot(cb.doc, { title: 'written after demotion' });
    const marker = addShot(ca.doc, { title: 'owner marker' });
    await waitFor(async () => shotsInOrder(await storedState(boardId)).some((s) => s.id === marker), 'marker stored');
    expect(shotsInOrder(await storedState(boardId)).map((s) => s.title)).toEqual(['owner marker']);

    expect((await a.client.delete(`/api/boards/${boardId}/members/${b.user.id}`)).status).toBe(204);
    expect((await cb.closed()).code).toBe(SYNC_CLOSE.removed);
  });

  it('deleting a board closes its sockets and deletes its stored document', async () => {
    const { a, boardId, ca, cb } = await twoEditors();
    addShot(ca.doc, { title: 'doomed' });
    await waitFor(() => shotsInOrder(cb.doc).length === 1, 'shot on B');
    expect((await a.client.delete(`/api/boards/${boardId}`)).status).toBe(204);
    expect((await ca.closed()).code).toBe(SYNC_CLOSE.boardDeleted);
    expect((await cb.closed()).code).toBe(SYNC_CLOSE.boardDeleted);
    await waitFor(async () => (await srv.database.db.selectFrom('doc_updates').select('seq').where('board_id', '=', boardId).execute()).length === 0, 'rows deleted');
  });
});

describe('asset ids in the document', () => {
  it('accepts a board’s own fresh upload, refuses another board’s asset and closes only that socket', async () => {
    const fs = await import('node:fs/promises');
    const { makeMediaFixtures } = await import('../assets/media-fixtures.js');
    const { createReference, addReferenceVersion, getReference } = await import('../../shared/doc/index.js');
    const fx = await makeMediaFixtures();
    try {
      const { a, boardId, ca, cb } = await twoEditors();
      const other = await createBoard(a.client, 'Other board');
      const upload = async (board: string) => {
        const form = new FormData();
        form.set('file', new Blob([new Uint8Array(await fs.readFile(fx.png))]), 'frame.png');
        return (await a.client.request('POST', `/api/boards/${board}/assets`, undefined, { raw: form })).body.id as string;
      };
      // The board is loaded before the upload: the id is new to the hub, found by one lookup.
      const mine = await upload(boardId);
      const shot = addShot(ca.doc, { title: 'framed', mode: 'image', startFrame: mine });
      const ref = createReference(ca.doc, { kind: 'character', name: 'Mara' });
      addReferenceVersion(ca.doc, ref, { beat: 'act 1', assets: [mine] });
      await waitFor(() => getShot(cb.doc, shot)?.startFrame === mine && getReference(cb.doc, ref), 'own asset accepted');

      const foreign = await upload(other);
      addShot(cb.doc, { title: 'stolen frame', mode: 'image', startFrame: foreign });
      const closed = await cb.closed();
      expect(closed.code).toBe(SYNC_CLOSE.schemaViolation);
      expect(closed.reason).toMatch(/not an asset of this board/);
      expect(ca.closes).toHaveLength(0);
      const stored = await storedState(boardId);
      expect(shotsInOrder(stored).map((s) => s.title)).toEqual(['framed']);
    } finally {
      await fx.cleanup();
    }
  }, 60_000);
});

describe('board metadata in the document', () => {
  it('a new board’s document carries its title and a model that runs here; a rename reaches everyone live', async () => {
    const { getMeta } = await import('../../shared/doc/index.js');
    const owner = await signedUpClient(srv.url);
    const boardId = await createBoard(owner.client, 'Harbour at dawn');
    const c = connect(srv.url, boardId, owner.client);
    await c.synced();
    expect(getMeta(c.doc)).toMatchObject({ title: 'Harbour at dawn', defaultModel: 'animatic' });
    expect((await owner.client.patch(`/api/boards/${boardId}`, { title: 'Harbour at dusk' })).status).toBe(200);
    await waitFor(() => getMeta(c.doc).title === 'Harbour at dusk', 'rename in the document');
  });
});
