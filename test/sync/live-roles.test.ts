/**
 * On the wire: a role change or removal reaches the member's open sockets
 * at once (a board notice naming who did it), a downgraded socket's later edits are refused and
 * reach nobody, a removed member's socket closes and their queued edits never land, everyone's
 * member list is told to refresh, and a commenter's socket carries comments and approvals only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, addShot, getShot, getShotText, listComments, listTakes, selectTake, setShotFields, shotsInOrder, statusPatch, upsertTake } from '../../shared/doc/index.js';
import { COMMENT_ONLY_NOTICE, READ_ONLY_NOTICE, SYNC_CLOSE, type BoardNotice } from '../../shared/sync.js';
import { createBoard, joinWithRole, signedUpClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { openEventStream } from '../helpers/sse.js';
import { connectionPool, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const pool = connectionPool();
const connect = pool.connect;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  pool.destroyAll();
  await srv.close();
});

/** An owner (Olga) and a teammate (Tom) with `role`, both connected and synced, and a shot. */
async function board(role: 'editor' | 'commenter' | 'viewer') {
  const owner = await signedUpClient(srv.url, { name: 'Olga' });
  const mate = await signedUpClient(srv.url, { name: 'Tom' });
  const boardId = await createBoard(owner.client, 'Roles board');
  await joinWithRole(owner.client, mate.client, boardId, role);
  const co = connect(srv.url, boardId, owner.client);
  const cm = connect(srv.url, boardId, mate.client);
  await Promise.all([co.synced(), cm.synced()]);
  const shot = addShot(co.doc, { title: 'Opening', prompt: 'a quiet street' });
  await waitFor(() => getShot(cm.doc, shot), 'the shot to reach the teammate');
  return { owner, mate, boardId, co, cm, shot };
}

const stored = (boardId: string) => srv.takeboard.hub.read(boardId, (d) => Y.encodeStateAsUpdate(d));
const storedDoc = async (boardId: string) => {
  await srv.takeboard.hub.flush();
  const d = new Y.Doc();
  Y.applyUpdate(d, await stored(boardId));
  return d;
};
const last = (c: BoardConnection, type: BoardNotice['type']) => c.notices.filter((n) => n.type === type).at(-1);

/** A marker edit by the owner: once it is stored, anything sent before it has been judged. */
async function settled(boardId: string, co: BoardConnection) {
  const marker = addShot(co.doc, { title: 'marker' });
  await waitFor(async () => getShot(await storedDoc(boardId), marker), 'the marker to be stored');
}

describe('a role change reaches the open board at once', () => {
  it('tells the member their new role and who changed it, within a second; every socket refreshes its members', async () => {
    const { owner, mate, boardId, co, cm } = await board('editor');
    expect(last(cm, 'role')).toEqual({ type: 'role', role: 'editor' }); // told on connect
    const membersBefore = co.notices.filter((n) => n.type === 'members').length;
    const t0 = Date.now();
    expect((await owner.client.patch(`/api/boards/${boardId}/members/${mate.user.id}`, { role: 'viewer' })).status).toBe(200);
    await waitFor(() => last(cm, 'role')?.type === 'role' && (last(cm, 'role') as { role: string }).role === 'viewer', 'the role notice');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(last(cm, 'role')).toEqual({ type: 'role', role: 'viewer', by: { id: owner.user.id, name: 'Olga' } });
    await waitFor(() => co.notices.filter((n) => n.type === 'members').length > membersBefore, 'the owner’s member list to be told');
  });

  it('a socket downgraded to viewer has its later edits refused, told why, relayed to nobody and not stored', async () => {
    const { owner, mate, boardId, co, cm, shot } = await board('editor');
    expect((await owner.client.patch(`/api/boards/${boardId}/members/${mate.user.id}`, { role: 'viewer' })).status).toBe(200);
    await waitFor(() => last(cm, 'role')?.type === 'role' && (last(cm, 'role') as { role: string }).role === 'viewer', 'the role notice');
    getShotText(cm.doc, shot, 'title')!.insert(0, 'Tom was here: ');
    addShot(cm.doc, { title: 'after the downgrade' });
    await waitFor(() => cm.denied.includes(READ_ONLY_NOTICE), 'the read-only notice');
    await settled(boardId, co);
    const d = await storedDoc(boardId);
    expect(getShot(d, shot)?.title).toBe('Opening');
    expect(shotsInOrder(d).map((s) => s.title)).toEqual(['Opening', 'marker']);
    expect(shotsInOrder(co.doc).map((s) => s.title)).toEqual(['Opening', 'marker']);
    // The viewer still reads the board live.
    await waitFor(() => shotsInOrder(cm.doc).some((s) => s.title === 'marker'), 'the marker to reach the viewer');
    expect(cm.closes).toEqual([]);
  });

  it('a socket downgraded to commenter may still comment, but its shot edits are refused as past its role', async () => {
    const { owner, mate, boardId, co, cm, shot } = await board('editor');
    expect((await owner.client.patch(`/api/boards/${boardId}/members/${mate.user.id}`, { role: 'commenter' })).status).toBe(200);
    await waitFor(() => (last(cm, 'role') as { role?: string } | undefined)?.role === 'commenter', 'the role notice');
    addComment(cm.doc, { shotId: shot, author: mate.user.id, text: 'lovely light' });
    await waitFor(() => listComments(co.doc).length === 1, 'the comment to reach the owner');
    setShotFields(cm.doc, shot, { durationSec: 3 });
    await waitFor(() => cm.denied.some((r) => r.startsWith(COMMENT_ONLY_NOTICE)), 'the comment-only notice');
    expect(cm.denied.find((r) => r.startsWith(COMMENT_ONLY_NOTICE))).toMatch(/durationSec/);
    // What it sends after a refused edit builds on it: ignored too, never half-applied.
    addComment(cm.doc, { shotId: shot, author: mate.user.id, text: 'after the refusal' });
    await settled(boardId, co);
    const d = await storedDoc(boardId);
    expect(getShot(d, shot)?.durationSec).not.toBe(3);
    expect(listComments(d).map((c) => c.text)).toEqual(['lovely light']);
  });
});

describe('removal', () => {
  it('tells the member who removed them and closes their socket; the others refresh their list', async () => {
    const { owner, mate, boardId, co, cm } = await board('editor');
    const membersBefore = co.notices.filter((n) => n.type === 'members').length;
    const t0 = Date.now();
    expect((await owner.client.delete(`/api/boards/${boardId}/members/${mate.user.id}`)).status).toBe(204);
    expect((await cm.closed()).code).toBe(SYNC_CLOSE.removed);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(last(cm, 'removed')).toEqual({ type: 'removed', by: { id: owner.user.id, name: 'Olga' } });
    await waitFor(() => co.notices.filter((n) => n.type === 'members').length > membersBefore, 'the owner’s member list to be told');
  });

  it('ends the removed member’s open event stream (jobs) within a second', async () => {
    const { owner, mate, boardId } = await board('editor');
    const stream = await openEventStream(`${srv.url}/api/boards/${boardId}/events`, { cookie: mate.client.cookieHeader });
    expect(stream.status).toBe(200);
    expect(stream.first).toMatch(/event: ready/);
    expect((await owner.client.delete(`/api/boards/${boardId}/members/${mate.user.id}`)).status).toBe(204);
    await waitFor(() => stream.ended(), 'the event stream to end', 1_000);
    await stream.drained;
  });

  it('a removed member’s queued offline edits are refused and nothing of them lands on the board', async () => {
    const { owner, mate, boardId, co, cm, shot } = await board('editor');
    // Tom goes offline and keeps typing; meanwhile he is removed.
    cm.provider.disconnect();
    getShotText(cm.doc, shot, 'title')!.insert(0, 'Offline: ');
    addShot(cm.doc, { title: 'typed while removed' });
    expect((await owner.client.delete(`/api/boards/${boardId}/members/${mate.user.id}`)).status).toBe(204);
    // Back online with the queued edits: refused before a byte is read.
    const back = connect(srv.url, boardId, mate.client, { doc: cm.doc });
    expect((await back.closed()).code).toBe(SYNC_CLOSE.notFound);
    await settled(boardId, co);
    const d = await storedDoc(boardId);
    expect(shotsInOrder(d).map((s) => s.title)).toEqual(['Opening', 'marker']);
  });
});

describe('joining', () => {
  it('an accepted invite refreshes the member list of everyone on the board', async () => {
    const { owner, boardId, co } = await board('viewer');
    const membersBefore = co.notices.filter((n) => n.type === 'members').length;
    const newcomer = await signedUpClient(srv.url, { name: 'Nia' });
    await joinWithRole(owner.client, newcomer.client, boardId, 'commenter');
    await waitFor(() => co.notices.filter((n) => n.type === 'members').length > membersBefore, 'the member list to be told');
  });
});

describe('a commenter on the wire', () => {
  it('comments and approves a take (relayed and stored); cannot type into a shot', async () => {
    const { mate, boardId, co, cm, shot } = await board('commenter');
    await srv.takeboard.hub.change(boardId, (d) => upsertTake(d, shot, 'take_1', { jobId: 'job_1', model: 'animatic', durationSec: 4, createdBy: mate.user.id, status: 'succeeded' }));
    await waitFor(() => listTakes(cm.doc, shot).length === 1, 'the take to reach the commenter');
    cm.doc.transact(() => {
      selectTake(cm.doc, shot, 'take_1');
      setShotFields(cm.doc, shot, statusPatch('approved', mate.user.id));
    });
    addComment(cm.doc, { shotId: shot, takeId: 'take_1', atSec: 1.2, author: mate.user.id, text: 'approved, the light at 1.2 s sells it' });
    await waitFor(() => getShot(co.doc, shot)?.status === 'approved' && listComments(co.doc).length === 1, 'the approval and comment to reach the owner');
    expect(getShot(co.doc, shot)).toMatchObject({ status: 'approved', approvedBy: mate.user.id, selectedTake: 'take_1' });
    getShotText(cm.doc, shot, 'prompt')!.insert(0, 'Rewritten: ');
    await waitFor(() => cm.denied.some((r) => r.startsWith(COMMENT_ONLY_NOTICE)), 'the comment-only notice');
    expect(cm.denied.find((r) => r.startsWith(COMMENT_ONLY_NOTICE))).toMatch(/prompt/);
    await settled(boardId, co);
    const d = await storedDoc(boardId);
    expect(getShot(d, shot)).toMatchObject({ prompt: 'a quiet street', status: 'approved', approvedBy: mate.user.id });
    expect(listComments(d).map((c) => c.author)).toEqual([mate.user.id]);
  });
});
