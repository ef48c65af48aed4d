/**
 * The continuity bible over real y-websocket connections: an editor's entry reaches a teammate
 * and is stored; the sync server refuses a viewer's edit (read-only notice) and an entry naming a
 * reference that does not exist on the board (a deleted one), telling the sender why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReferenceVersion, bibleKey, createReference, getMeta, roots, setBibleEntry, setShotFields, addShot } from '../../shared/doc/index.js';
import { READ_ONLY_NOTICE, SYNC_CLOSE } from '../../shared/sync.js';
import { createBoard, joinWithRole, signedUpClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectionPool } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const pool = connectionPool();
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  pool.destroyAll();
  await srv.close();
});

/** What the server holds for the board now. */
const serverBible = (boardId: string) => srv.takeboard.hub.read(boardId, (d) => getMeta(d).bible ?? {});

describe('the continuity bible over the socket', () => {
  it('an editor sets it, a teammate sees it; a viewer and an entry for a deleted reference are refused', async () => {
    const ana = await signedUpClient(srv.url, { name: 'Ana' });
    const bo = await signedUpClient(srv.url, { name: 'Bo' });
    const vic = await signedUpClient(srv.url, { name: 'Vic' });
    const boardId = await createBoard(ana.client);
    await joinWithRole(ana.client, bo.client, boardId, 'editor');
    await joinWithRole(ana.client, vic.client, boardId, 'viewer');
    let mara = '';
    let gone = '';
    await srv.takeboard.hub.change(boardId, (d) => {
      mara = createReference(d, { kind: 'character', name: 'Mara' });
      addReferenceVersion(d, mara, { beat: 'act 1', assets: [] });
      gone = createReference(d, { kind: 'location', name: 'Torn-down pier' });
    });
    await srv.takeboard.hub.change(boardId, (d) => void roots(d).references.delete(gone));
    const [ca, cb, cv] = [pool.connect(srv.url, boardId, ana.client), pool.connect(srv.url, boardId, bo.client), pool.connect(srv.url, boardId, vic.client)];
    await Promise.all([ca.synced(), cb.synced(), cv.synced()]);

    setBibleEntry(cb.doc, mara);
    await waitFor(() => getMeta(ca.doc).bible?.[mara] === '', 'Ana to see Bo’s bible entry');
    await waitFor(async () => (await serverBible(boardId))[mara] === '', 'the entry stored');

    // The viewer's client lets them write locally; the server refuses and tells them.
    roots(cv.doc).meta.set(bibleKey(mara), 'ver_whatever');
    await waitFor(() => cv.denied.includes(READ_ONLY_NOTICE), 'the read-only notice');

    // An editor's (hostile or stale) client writing an entry for a reference that no longer exists:
    // the socket is closed as a schema violation whose reason names the entry.
    roots(cb.doc).meta.set(bibleKey(gone), '');
    const closed = await cb.closed();
    expect(closed.code).toBe(SYNC_CLOSE.schemaViolation);
    expect(closed.reason).toContain(`no reference "${gone}" on this board`);

    // A marker edit proves the relay flows; neither refused entry reached the server or Ana.
    const marker = addShot(ca.doc, { title: 'marker' });
    setShotFields(ca.doc, marker, { durationSec: 4 });
    await waitFor(async () => (await srv.takeboard.hub.read(boardId, (d) => roots(d).shots.has(marker))) === true, 'the marker stored');
    expect(await serverBible(boardId)).toEqual({ [mara]: '' });
    expect(getMeta(ca.doc).bible).toEqual({ [mara]: '' });
    expect(roots(ca.doc).meta.has(bibleKey(gone))).toBe(false);
  });
});
