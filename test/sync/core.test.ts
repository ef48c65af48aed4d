/**
 * The board room core without a transport: fake peers (tabs) and a fake store drive it, so
 * every behaviour of the hub is tested in milliseconds. The socket-level suites (live-sync,
 * adversarial sync-*) test the same through real sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { ARCHIVED_NOTICE, COMMENT_ONLY_NOTICE, READ_ONLY_NOTICE, SYNC_CLOSE } from '../../shared/sync.js';
import { addComment, addShot, getPromptText, roots, shotsInOrder, type CommentView } from '../../shared/doc/index.js';
import { encodeEnvelope } from '../../server/sync/envelope.js';
import type { FanoutMessage } from '../../server/sync/fanout.js';
import { waitFor } from '../helpers/wait.js';
import { fakeStore, makeCore, settle, tab, type Core } from './core-harness.js';

const B = 'board-1';
const cores: Core[] = [];
function setup(opts: Parameters<typeof makeCore>[0] = {}) {
  const made = makeCore(opts);
  cores.push(made.core);
  const join = (userId: string, role: Parameters<typeof tab>[4] = 'editor', access: { archived?: boolean } = {}, boardId = B) => tab(made.core, made.store, boardId, userId, role, access);
  return { ...made, join };
}
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

const titles = (doc: Y.Doc) => shotsInOrder(doc).map((s) => s.title);

describe('joining a board', () => {
  it('greets a connection with its role, whether the board is archived, then sync step 1, in that order', async () => {
    const { join, core } = setup();
    const a = join('a', 'commenter');
    await settle(core);
    expect(a.received.map((m) => m.kind)).toEqual(['notice', 'notice', 'step1']);
    expect(a.notices()).toEqual([{ type: 'role', role: 'commenter' }, { type: 'archived', archived: false }]);
  });

  it('processes what a tab sent while its board was loading, in order, once it loaded', async () => {
    const { join, core, store } = setup();
    const open = store.holdLoads();
    const a = join('a');
    const first = addShot(a.doc, { title: 'one' });
    addShot(a.doc, { title: 'two' });
    await settle(core);
    expect(store.calls.append).toBe(0);
    open();
    await waitFor(async () => titles(await store.stored(B)).length === 2, 'both edits stored');
    expect(titles(await store.stored(B))).toEqual(['one', 'two']);
    expect(shotsInOrder(await store.stored(B))[0]!.id).toBe(first);
  });

  it('answers sync step 1 with what the board stores', async () => {
    const { join, core } = setup();
    const a = join('a');
    addShot(a.doc, { title: 'stored' });
    await settle(core);
    const b = join('b');
    b.sync();
    await settle(core);
    expect(titles(b.doc)).toEqual(['stored']);
    expect(b.unstoredRelays).toEqual([]);
  });

  it('refuses a connection past the per-user limit with 4430, and lets the earlier ones be', async () => {
    const { join, core } = setup({ limits: { maxConnectionsPerUser: 2 } });
    const tabs = [join('a'), join('a'), join('a')];
    await settle(core);
    expect(tabs.map((t) => t.peer.closed?.code ?? null)).toEqual([null, null, SYNC_CLOSE.tooManyConnections]);
    tabs[0]!.conn.closed();
    const again = join('a');
    await settle(core);
    expect(again.peer.closed).toBeNull();
  });

  it('a board that cannot be loaded closes its connections with 4500 (retry), and the next try loads it', async () => {
    const { join, core, store } = setup();
    store.failLoad();
    const a = join('a');
    await waitFor(() => a.peer.closed, 'the socket to close');
    expect(a.peer.closed!.code).toBe(SYNC_CLOSE.storageFailed);
    const b = join('b');
    await settle(core);
    expect(b.peer.closed).toBeNull();
    expect(b.received.some((m) => m.kind === 'step1')).toBe(true);
  });

  it('a connection arriving while the core closes is told to reconnect soon (4503)', async () => {
    const { join, core } = setup();
    const closing = core.close();
    const a = join('a');
    await closing;
    expect(a.peer.closed?.code).toBe(SYNC_CLOSE.restarting);
  });
});

describe('roles', () => {
  it('a viewer’s edit is refused once with the read-only notice, nothing stored or relayed, and the viewer keeps reading', async () => {
    const { join, core, store } = setup();
    const owner = join('o', 'owner');
    const viewer = join('v', 'viewer');
    await settle(core);
    addShot(viewer.doc, { title: 'sneaky' });
    addShot(viewer.doc, { title: 'sneakier' });
    await settle(core);
    expect(viewer.denials()).toEqual([READ_ONLY_NOTICE]);
    expect(titles(await store.stored(B))).toEqual([]);
    expect(owner.updates()).toBe(0);
    addShot(owner.doc, { title: 'real' });
    await settle(core);
    expect(viewer.peer.closed).toBeNull();
    expect(titles(viewer.doc)).toContain('real');
  });

  it('a viewer’s empty update (its sync step 2 on reconnect) is not refused', async () => {
    const { join, core } = setup();
    const viewer = join('v', 'viewer');
    viewer.send({ kind: 'step2', update: new Uint8Array([0, 0]) });
    await settle(core);
    expect(viewer.denials()).toEqual([]);
  });

  it('a demoted editor is told who demoted them and its next edit is refused', async () => {
    const { join, core, store } = setup();
    const b = join('b', 'editor');
    await settle(core);
    core.setRole(B, 'b', 'viewer', { id: 'o', name: 'Olga' });
    addShot(b.doc, { title: 'after demotion' });
    await settle(core);
    expect(b.notices()).toContainEqual({ type: 'role', role: 'viewer', by: { id: 'o', name: 'Olga' } });
    expect(b.denials()).toEqual([READ_ONLY_NOTICE]);
    expect(titles(await store.stored(B))).toEqual([]);
    expect(core.openMemberships()).toEqual([{ boardId: B, userId: 'b', role: 'viewer' }]);
  });

  it('a promoted viewer edits from its next message on', async () => {
    const { join, core, store } = setup();
    const v = join('v', 'viewer');
    await settle(core);
    core.setRole(B, 'v', 'editor');
    addShot(v.doc, { title: 'promoted' });
    await settle(core);
    expect(titles(await store.stored(B))).toEqual(['promoted']);
  });

  it('once refused, a tab stays refused after a promotion (its later edits build on the refused one) until it reconnects', async () => {
    const { join, core, store } = setup();
    const v = join('v', 'viewer');
    await settle(core);
    addShot(v.doc, { title: 'refused' });
    await settle(core);
    core.setRole(B, 'v', 'editor');
    addShot(v.doc, { title: 'builds on the refused one' });
    await settle(core);
    expect(titles(await store.stored(B))).toEqual([]);
    v.conn.closed();
    const again = join('v', 'editor');
    addShot(again.doc, { title: 'fresh tab' });
    await settle(core);
    expect(titles(await store.stored(B))).toEqual(['fresh tab']);
  });

  it('a commenter may comment but not edit a shot (comment-only notice)', async () => {
    const { join, core, store } = setup();
    const e = join('e', 'editor');
    const c = join('c', 'commenter');
    const shotId = addShot(e.doc, { title: 'to discuss' });
    await settle(core);
    expect(titles(c.doc)).toEqual(['to discuss']);
    addComment(c.doc, { shotId, author: 'c', text: 'looks good' });
    await settle(core);
    expect(c.denials()).toEqual([]);
    expect(roots(await store.stored(B)).comments.size).toBe(1);
    getPromptText(c.doc, shotId).insert(0, 'rewrite');
    await settle(core);
    expect(c.denials()).toHaveLength(1);
    expect(c.denials()[0]!.startsWith(COMMENT_ONLY_NOTICE)).toBe(true);
    expect(getPromptText(await store.stored(B), shotId).toString()).toBe('');
  });

  it('an archived board refuses even its owner’s edits; restored, it accepts them, and every tab is told each time', async () => {
    const { join, core, store } = setup();
    const o = join('o', 'owner', { archived: true });
    await settle(core);
    expect(o.notices()).toContainEqual({ type: 'archived', archived: true });
    addShot(o.doc, { title: 'while archived' });
    await settle(core);
    expect(o.denials()).toEqual([ARCHIVED_NOTICE]);
    o.conn.closed();
    const again = join('o', 'owner');
    await settle(core);
    core.setArchived(B, true);
    await settle(core);
    core.setArchived(B, false);
    addShot(again.doc, { title: 'restored' });
    await settle(core);
    expect(again.notices().filter((n) => n.type === 'archived')).toEqual([
      { type: 'archived', archived: false },
      { type: 'archived', archived: true },
      { type: 'archived', archived: false },
    ]);
    expect(titles(await store.stored(B))).toEqual(['restored']);
  });

  it('a removed member is told by whom and closed with 4405; the others refresh their member list', async () => {
    const { join, core } = setup();
    const a = join('a');
    const b = join('b');
    await settle(core);
    core.removeMember(B, 'b', { id: 'a', name: 'Ana' });
    expect(b.notices()).toContainEqual({ type: 'removed', by: { id: 'a', name: 'Ana' } });
    expect(b.peer.closed?.code).toBe(SYNC_CLOSE.removed);
    expect(a.notices()).toContainEqual({ type: 'members' });
    expect(a.peer.closed).toBeNull();
    expect(core.openMemberships()).toEqual([{ boardId: B, userId: 'a', role: 'editor' }]);
  });

  it('deleting a board closes its tabs with 4410 and deletes what was stored', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    addShot(a.doc, { title: 'doomed' });
    await settle(core);
    await core.deleteBoard(B);
    expect(a.peer.closed?.code).toBe(SYNC_CLOSE.boardDeleted);
    expect((await store.raw.load(B)).parts).toEqual([]);
  });
});

describe('bad input closes only the sender', () => {
  async function withBystander(limits = {}) {
    const s = setup({ limits });
    const good = s.join('good');
    const bad = s.join('bad');
    await settle(s.core);
    return { ...s, good, bad };
  }
  async function bystanderUnaffected(s: Awaited<ReturnType<typeof withBystander>>) {
    addShot(s.good.doc, { title: 'still fine' });
    await settle(s.core);
    expect(s.good.peer.closed).toBeNull();
    expect(titles(await s.store.stored(B))).toEqual(['still fine']);
  }

  it.each([
    ['a text frame', 'text' as const],
    ['truncated bytes', new Uint8Array([0, 2, 50])],
    ['an unknown message type', new Uint8Array([7, 0])],
    ['an unknown sync step', new Uint8Array([0, 9, 0])],
    ['a state vector that does not decode', new Uint8Array([0, 0, 3, 200, 200, 200])],
    ['a board notice (server to client only)', encodeEnvelope({ kind: 'notice', notice: { type: 'members' } })],
    ['a permission-denied message (server to client only)', encodeEnvelope({ kind: 'denied', reason: 'x' })],
    ['presence bytes that are not an awareness update', encodeEnvelope({ kind: 'awareness', update: new Uint8Array([5, 1]) })],
  ])('%s closes the sender as malformed (4400)', async (_name, data) => {
    const s = await withBystander();
    s.bad.conn.receive(data);
    await settle(s.core);
    expect(s.bad.peer.closed?.code).toBe(SYNC_CLOSE.malformed);
    await bystanderUnaffected(s);
  });

  it('a message past the size limit closes the sender with 4413', async () => {
    const s = await withBystander({ maxMessageBytes: 1000 });
    s.bad.conn.receive(new Uint8Array(1001));
    expect(s.bad.peer.closed?.code).toBe(SYNC_CLOSE.messageTooLarge);
    await bystanderUnaffected(s);
  });

  it('an update that is not a Yjs update, or breaks the board schema, closes the sender with 4422 and stores nothing of it', async () => {
    const s = await withBystander();
    const rogue = new Y.Doc();
    rogue.getMap('shots').set('not-a-shot', 'just a string');
    s.bad.send({ kind: 'update', update: Y.encodeStateAsUpdate(rogue) });
    await settle(s.core);
    expect(s.bad.peer.closed?.code).toBe(SYNC_CLOSE.schemaViolation);
    const garbage = s.join('garbage');
    await settle(s.core);
    garbage.send({ kind: 'update', update: new Uint8Array([1, 1, 1, 1, 1]) });
    await settle(s.core);
    expect(garbage.peer.closed?.code).toBe(SYNC_CLOSE.schemaViolation);
    await bystanderUnaffected(s);
    expect((await s.store.stored(B)).getMap('shots').has('not-a-shot')).toBe(false);
  });

  it('an edit that would take the board past its size cap closes the sender with 4414; smaller edits carry on', async () => {
    const s = await withBystander({ maxDocumentBytes: 4000 });
    s.bad.doc.transact(() => {
      const shotId = addShot(s.bad.doc, { title: 'big' });
      getPromptText(s.bad.doc, shotId).insert(0, 'x'.repeat(5000));
    });
    await settle(s.core);
    expect(s.bad.peer.closed?.code).toBe(SYNC_CLOSE.documentTooLarge);
    await bystanderUnaffected(s);
  });

  it('too much sent while the board loads closes the sender (4429)', async () => {
    const { join, core, store } = setup({ limits: { maxMessageBytes: 1000 } });
    const open = store.holdLoads();
    const a = join('a');
    for (let i = 0; i < 3; i++) a.conn.receive(encodeEnvelope({ kind: 'update', update: new Uint8Array(900) }));
    expect(a.peer.closed?.code).toBe(SYNC_CLOSE.rateLimited);
    open();
    await settle(core);
  });

  it('presence that is not a JSON object closes the sender (4400); a state past its size closes it with 4413', async () => {
    const s = await withBystander({ maxAwarenessStateBytes: 200 });
    s.bad.sayPresence({ note: 'y'.repeat(300) });
    await settle(s.core);
    expect(s.bad.peer.closed?.code).toBe(SYNC_CLOSE.messageTooLarge);
    const other = s.join('other');
    await settle(s.core);
    // A presence state that is a JSON array, not an object.
    const a = new awarenessProtocol.Awareness(new Y.Doc());
    other.send({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID], new Map([[a.clientID, [1, 2]]])) });
    await settle(s.core);
    expect(other.peer.closed?.code).toBe(SYNC_CLOSE.malformed);
    await bystanderUnaffected(s);
  });
});

describe('limits', () => {
  it('updates past the burst close the sender (4429); the bucket refills with time', async () => {
    const { join, core, clock } = setup({ limits: { updatesPerSecond: 10, updateBurst: 5 } });
    const a = join('a');
    const b = join('b');
    await settle(core);
    const shotId = addShot(a.doc, { title: 'typing' });
    for (let i = 0; i < 4; i++) getPromptText(a.doc, shotId).insert(i, 'x');
    await settle(core);
    expect(a.peer.closed).toBeNull();
    getPromptText(a.doc, shotId).insert(0, 'one too many');
    expect(a.peer.closed?.code).toBe(SYNC_CLOSE.rateLimited);

    addShot(b.doc, { title: 'b1' });
    for (let i = 0; i < 4; i++) addShot(b.doc, { title: `b${i + 2}` });
    clock.advance(1000);
    for (let i = 0; i < 5; i++) addShot(b.doc, { title: `later ${i}` });
    await settle(core);
    expect(b.peer.closed).toBeNull();
  });

  it('presence messages past their burst close the sender (4429)', async () => {
    const { join, core } = setup({ limits: { awarenessPerSecond: 1, awarenessBurst: 3 } });
    const a = join('a');
    await settle(core);
    for (let i = 0; i < 3; i++) a.sayPresence({ focus: { shotId: `s${i}` } });
    expect(a.peer.closed).toBeNull();
    a.sayPresence({ focus: { shotId: 's9' } });
    expect(a.peer.closed?.code).toBe(SYNC_CLOSE.rateLimited);
  });

  it('a tab speaking for more presence ids than it may is closed (4429)', async () => {
    const { join, core } = setup({ limits: { maxAwarenessClientsPerConnection: 2 } });
    const a = join('a');
    await settle(core);
    const tabs = Array.from({ length: 3 }, () => new awarenessProtocol.Awareness(new Y.Doc()));
    const merged = new awarenessProtocol.Awareness(new Y.Doc());
    for (const t of tabs) {
      t.setLocalState({ n: 1 });
      awarenessProtocol.applyAwarenessUpdate(merged, awarenessProtocol.encodeAwarenessUpdate(t, [t.clientID]), null);
    }
    a.send({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(merged, tabs.map((t) => t.clientID)) });
    expect(a.peer.closed?.code).toBe(SYNC_CLOSE.rateLimited);
  });

  it('echoes of teammates’ presence do not count against a tab’s presence rate', async () => {
    const { join, core } = setup({ limits: { awarenessPerSecond: 1, awarenessBurst: 2 } });
    const a = join('a');
    const b = join('b');
    await settle(core);
    a.sayPresence({ focus: { shotId: 'a' } });
    await settle(core);
    // b echoes a's state (as the stock client does) many times, within what it was sent.
    const sent = b.received.filter((m) => m.kind === 'awareness').length;
    expect(sent).toBeGreaterThan(0);
    for (let i = 0; i < sent; i++) b.send({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(b.presence, [a.presence.clientID]) });
    b.sayPresence({ focus: { shotId: 'b' } });
    expect(b.peer.closed).toBeNull();
  });

  it('a tab that does not read what it is sent is closed as a slow reader (4508); the others keep receiving', async () => {
    const { join, core } = setup({ limits: { maxBufferedBytes: 1000 } });
    const a = join('a');
    const slow = join('slow');
    const fast = join('fast');
    await settle(core);
    slow.setBuffered(1001);
    addShot(a.doc, { title: 'news' });
    await settle(core);
    expect(slow.peer.closed?.code).toBe(SYNC_CLOSE.slowReader);
    expect(titles(fast.doc)).toEqual(['news']);
  });

  it('a failure of the core while acting on a readable message closes with 4501 (retry), not 4400', async () => {
    const { join, core } = setup();
    const a = join('a');
    await settle(core);
    a.peer.bufferedAmount = () => {
      throw new Error('transport gone');
    };
    a.sync();
    expect(a.peer.closed?.code).toBe(SYNC_CLOSE.serverError);
  });
});

describe('presence', () => {
  it('who a tab is comes from its session: a tab cannot show up under a teammate’s name', async () => {
    const { join, core } = setup();
    const a = join('a');
    const b = join('b');
    await settle(core);
    a.sayPresence({ user: { id: 'b', name: 'The CEO' }, focus: { shotId: 's1', field: 'prompt' } });
    await waitFor(() => b.presence.getStates().get(a.presence.clientID), 'a’s presence at b');
    expect(b.presence.getStates().get(a.presence.clientID)).toMatchObject({ user: { id: 'a', name: 'Name a' }, focus: { shotId: 's1', field: 'prompt' } });
  });

  it('a tab that leaves is removed from everyone’s presence', async () => {
    const { join, core } = setup();
    const a = join('a');
    const b = join('b');
    await settle(core);
    a.sayPresence({ focus: { shotId: 's1' } });
    await waitFor(() => b.presence.getStates().has(a.presence.clientID), 'a present at b');
    a.conn.closed();
    await waitFor(() => !b.presence.getStates().has(a.presence.clientID), 'a gone at b');
  });

  it('a tab cannot speak for a presence id another tab holds', async () => {
    const { join, core } = setup();
    const a = join('a');
    const b = join('b');
    const c = join('c');
    await settle(core);
    a.sayPresence({ focus: { shotId: 'mine' } });
    await settle(core);
    const forged = new awarenessProtocol.Awareness(new Y.Doc());
    forged.clientID = a.presence.clientID;
    // Set three times: its clock passes a's, so it would win if applied.
    for (let i = 0; i < 3; i++) forged.setLocalState({ focus: { shotId: 'forged' } });
    b.send({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(forged, [forged.clientID]) });
    await settle(core);
    expect(c.presence.getStates().get(a.presence.clientID)).toMatchObject({ focus: { shotId: 'mine' } });
  });
});

describe('relay', () => {
  it('an edit reaches every other tab once, never its sender', async () => {
    const { join, core } = setup();
    const [a, b, c] = [join('a'), join('b'), join('c')];
    await settle(core);
    addShot(a.doc, { title: 'one' });
    await settle(core);
    expect([a.updates(), b.updates(), c.updates()]).toEqual([0, 1, 1]);
    expect(titles(b.doc)).toEqual(['one']);
  });

  it('edits stored in one group commit go out as one message per tab, in the order they were made', async () => {
    const { join, core } = setup();
    const a = join('a');
    const b = join('b');
    await settle(core);
    const shotId = addShot(a.doc, { title: 'typed' });
    for (const ch of 'hello world') getPromptText(a.doc, shotId).insert(getPromptText(a.doc, shotId).length, ch);
    await settle(core);
    expect(b.updates()).toBe(1);
    expect(getPromptText(b.doc, shotId).toString()).toBe('hello world');
  });

  it('two editors typing at once converge with the store, and every relayed edit was stored first', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    const b = join('b');
    const watcher = join('w', 'viewer');
    await settle(core);
    const shotId = addShot(a.doc, { title: 'shared' });
    await settle(core);
    for (let i = 0; i < 50; i++) {
      getPromptText(a.doc, shotId).insert(0, 'a');
      getPromptText(b.doc, shotId).insert(0, 'b');
      if (i % 7 === 0) await settle(core, 1);
    }
    await settle(core);
    const stored = getPromptText(await store.stored(B), shotId).toString();
    expect(stored).toHaveLength(100);
    for (const t of [a, b, watcher]) expect(getPromptText(t.doc, shotId).toString()).toBe(stored);
    for (const t of [a, b, watcher]) expect(t.unstoredRelays).toEqual([]);
  });

  it('a re-sent edit is neither stored again nor relayed again', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    const b = join('b');
    await settle(core);
    addShot(a.doc, { title: 'once' });
    await settle(core);
    const appends = store.calls.append;
    a.send({ kind: 'update', update: Y.encodeStateAsUpdate(a.doc) });
    await settle(core);
    expect(store.calls.append).toBe(appends);
    expect(b.updates()).toBe(1);
  });

  it('a server change goes through validate, store, relay like a tab’s; a refused one throws and changes nothing', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    await settle(core);
    await core.change(B, (doc) => void addShot(doc, { title: 'from the server' }));
    await settle(core);
    expect(titles(a.doc)).toEqual(['from the server']);
    expect(a.unstoredRelays).toEqual([]);
    await expect(core.change(B, (doc) => doc.getMap('shots').set('bad', 1))).rejects.toThrow(/server change refused/);
    expect(titles(await store.stored(B))).toEqual(['from the server']);
  });

  it('what another instance stored reaches this instance’s tabs; one that arrives while the board loads is applied after', async () => {
    const published: FanoutMessage[] = [];
    const { join, core, store } = setup({ cluster: { publish: (m) => void published.push(m), tryLease: async () => true, shared: () => true } });
    const a = join('a');
    await settle(core);
    addShot(a.doc, { title: 'here' });
    await settle(core);
    expect(published.filter((m) => m.kind === 'update')).toHaveLength(1);

    const elsewhere = new Y.Doc();
    addShot(elsewhere, { title: 'there' });
    const update = Y.encodeStateAsUpdate(elsewhere);
    await store.storage.append([{ boardId: B, update }]);
    core.remote({ kind: 'update', boardId: B, seq: 2, update });
    await settle(core);
    expect(titles(a.doc).sort()).toEqual(['here', 'there']);

    const open = store.holdLoads();
    const c = join('c', 'editor', {}, 'board-2');
    const other = new Y.Doc();
    addShot(other, { title: 'early' });
    core.remote({ kind: 'update', boardId: 'board-2', seq: 1, update: Y.encodeStateAsUpdate(other) });
    open();
    await settle(core);
    c.sync();
    await settle(core);
    expect(titles(c.doc)).toEqual(['early']);
  });
});

describe('durable before relay, at every crash point of the store', () => {
  it('while a write is pending nothing is relayed; once durable, it is', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    const b = join('b');
    await settle(core);
    const release = store.holdAppends();
    addShot(a.doc, { title: 'pending' });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(b.updates()).toBe(0);
    release();
    await settle(core);
    expect(titles(b.doc)).toEqual(['pending']);
    expect(b.unstoredRelays).toEqual([]);
  });

  it('a crash before COMMIT: nothing relayed, every tab of the board told to resync (4500), the board reloads what is stored', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    const b = join('b');
    addShot(a.doc, { title: 'stored first' });
    await settle(core);
    store.failAppend('before-commit');
    addShot(a.doc, { title: 'lost in the crash' });
    await settle(core);
    expect(a.peer.closed?.code).toBe(SYNC_CLOSE.storageFailed);
    expect(b.peer.closed?.code).toBe(SYNC_CLOSE.storageFailed);
    expect(titles(b.doc)).toEqual(['stored first']);
    const c = join('c');
    c.sync();
    await settle(core);
    expect(titles(c.doc)).toEqual(['stored first']);
    expect(titles(await store.stored(B))).toEqual(['stored first']);
  });

  it('a crash after COMMIT: not relayed (the outcome is unknown), and a tab that reconnects gets it from storage', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    const b = join('b');
    await settle(core);
    store.failAppend('after-commit');
    addShot(a.doc, { title: 'committed, then the writer died' });
    await settle(core);
    expect(b.updates()).toBe(0);
    expect(b.peer.closed?.code).toBe(SYNC_CLOSE.storageFailed);
    const c = join('c');
    c.sync();
    await settle(core);
    expect(titles(c.doc)).toEqual(['committed, then the writer died']);
  });

  it('a crash in a batch holding several tabs’ edits: none of them is relayed, and all of those tabs resync', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    const b = join('b');
    const watcher = join('w', 'viewer');
    await settle(core);
    store.failAppend('before-commit');
    addShot(a.doc, { title: 'from a' });
    addShot(b.doc, { title: 'from b' });
    await settle(core);
    expect(store.calls.append).toBe(1);
    expect(watcher.updates()).toBe(0);
    expect([a, b, watcher].map((t) => t.peer.closed?.code)).toEqual([SYNC_CLOSE.storageFailed, SYNC_CLOSE.storageFailed, SYNC_CLOSE.storageFailed]);
  });

  it('edits queued behind a failed write are never stored (no gap in the log) and never relayed', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    const b = join('b');
    await settle(core);
    const release = store.holdAppends();
    store.failAppend('before-commit');
    addShot(a.doc, { title: 'first batch' });
    await new Promise((r) => setImmediate(r));
    addShot(a.doc, { title: 'builds on it' });
    release();
    await settle(core);
    expect(store.calls.append).toBe(1);
    expect(titles(await store.stored(B))).toEqual([]);
    expect(b.updates()).toBe(0);
  });

  it('a server change whose write fails rejects, and nothing of it is relayed', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    await settle(core);
    store.failAppend('before-commit');
    await expect(core.change(B, (doc) => void addShot(doc, { title: 'server write' }))).rejects.toThrow();
    expect(a.updates()).toBe(0);
  });

  it('mentions are announced only once the comment is stored, never when its write fails', async () => {
    const announced: CommentView[][] = [];
    const { join, core, store } = setup({ onComments: (_b, _author, comments) => void announced.push(comments) });
    const a = join('a');
    const shotId = addShot(a.doc, { title: 's' });
    await settle(core);
    store.failAppend('before-commit');
    addComment(a.doc, { shotId, author: 'a', text: 'lost' });
    await settle(core);
    expect(announced).toEqual([]);
    const b = join('b');
    b.sync();
    await settle(core);
    addComment(b.doc, { shotId, author: 'b', text: 'stored' });
    await settle(core);
    expect(announced.map((c) => c.map((x) => x.text))).toEqual([['stored']]);
  });
});

describe('compaction', () => {
  it('folds the log into a snapshot past its threshold; the stored document is unchanged', async () => {
    const { join, core, store } = setup({ compactAfterUpdates: 20 });
    const a = join('a');
    const shotId = addShot(a.doc, { title: 'long' });
    for (let i = 0; i < 40; i++) {
      getPromptText(a.doc, shotId).insert(0, String(i % 10));
      await settle(core, 1);
    }
    await waitFor(() => core.stats().compactions === 0 && store.calls.compact > 0, 'a compaction');
    const loaded = await store.raw.load(B);
    expect(loaded.snapshotSeq).toBeGreaterThan(0);
    expect(loaded.logCount).toBeLessThan(20);
    expect(getPromptText(await store.stored(B), shotId).toString()).toBe(getPromptText(a.doc, shotId).toString());
  });

  it.each(['reject', 'refuse', 'after-commit'] as const)('a compaction that fails (%s) keeps the board whole and is tried again', async (fault) => {
    const { join, core, store } = setup();
    const a = join('a');
    const shotId = addShot(a.doc, { title: 'kept' });
    getPromptText(a.doc, shotId).insert(0, 'text');
    await settle(core);
    store.failCompact(fault);
    await core.compactNow(B);
    expect(a.peer.closed).toBeNull();
    getPromptText(a.doc, shotId).insert(4, ' more');
    await settle(core);
    await core.compactNow(B);
    const stored = await store.stored(B);
    expect(getPromptText(stored, shotId).toString()).toBe('text more');
    expect(titles(stored)).toEqual(['kept']);
  });

  it('a board whose last tab left unloads folded into one snapshot, and loads again the same', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    const shotId = addShot(a.doc, { title: 'persisted' });
    getPromptText(a.doc, shotId).insert(0, 'words');
    await settle(core);
    a.conn.closed();
    await waitFor(() => core.stats().boards === 0, 'the board to unload');
    const loaded = await store.raw.load(B);
    expect(loaded.logCount).toBe(0);
    expect(loaded.parts).toHaveLength(1);
    const b = join('b');
    b.sync();
    await settle(core);
    expect(getPromptText(b.doc, shotId).toString()).toBe('words');
  });
});

describe('sleep and wake', () => {
  it('a sleeping board answers sync step 1 without waking, and wakes on the next edit', async () => {
    const { join, core } = setup();
    const a = join('a');
    addShot(a.doc, { title: 'before sleep' });
    await settle(core);
    expect(core.sleepNow([B])).toBe(1);
    const b = join('b');
    b.sync();
    await settle(core);
    expect(titles(b.doc)).toEqual(['before sleep']);
    expect(core.stats().asleep).toBe(1);
    addShot(b.doc, { title: 'wakes it' });
    await settle(core);
    expect(core.stats().asleep).toBe(0);
    expect(titles(a.doc)).toEqual(['before sleep', 'wakes it']);
  });

  it('the idle sweep puts an unused board to sleep, and spares one in use', async () => {
    const { join, core } = setup({ idleMs: 20 });
    const a = join('a');
    join('b', 'editor', {}, 'board-2');
    addShot(a.doc, { title: 'idle soon' });
    await settle(core);
    await waitFor(() => core.stats().asleep === 2, 'both boards asleep');
    addShot(a.doc, { title: 'awake' });
    await settle(core);
    expect(core.stats().asleep).toBe(1);
  });

  it('a board with a write in flight does not sleep', async () => {
    const { join, core, store } = setup();
    const a = join('a');
    await settle(core);
    const release = store.holdAppends();
    addShot(a.doc, { title: 'in flight' });
    await new Promise((r) => setImmediate(r));
    expect(core.sleepNow([B])).toBe(0);
    release();
    await settle(core);
    expect(core.sleepNow([B])).toBe(1);
  });

  it('a board read by the server without tabs unloads again after its grace period', async () => {
    const { core } = setup();
    expect(await core.read(B, (doc) => titles(doc))).toEqual([]);
    expect(core.stats().boards).toBe(1);
    await waitFor(() => core.stats().boards === 0, 'the board to unload');
  });
});

it('fake store sanity: a second core over the same store sees what the first stored', async () => {
  const store = fakeStore();
  const first = setup({ store });
  const a = first.join('a');
  addShot(a.doc, { title: 'shared store' });
  await settle(first.core);
  await first.core.close();
  const second = setup({ store });
  const b = second.join('b');
  b.sync();
  await settle(second.core);
  expect(titles(b.doc)).toEqual(['shared store']);
});
