import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import * as Y from 'yjs';
import { addComment, addShot, getShot, listComments, listTakes, setMeta, setShotFields } from '../../shared/doc/index.js';
import type { NotificationList, NotificationView } from '../../shared/api.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { createBoard, joinWithRole, signedUpClient, type TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { animaticBreakingOnTitle, jobReaches } from '../generation/helpers.js';
import { makeMediaFixtures } from '../assets/media-fixtures.js';
import { allowFakes, setServedVideo } from '../providers/fakes/core.js';
import { guestJoins } from '../review-links/helpers.js';
import { GUEST_COMMENTS_NOTIFIED_PER_MINUTE } from '../../server/notifications/notifier.js';
import { startFalFake } from '../providers/fakes/fal.js';

let srv: TestServer;
const conns: BoardConnection[] = [];
beforeAll(async () => {
  // A shot titled "Breaks" fails to render (not retried: a plain error is permanent).
  srv = await startTestServer({ app: { generation: { renderLocal: animaticBreakingOnTitle() } } });
}, 60_000);
afterEach(() => {
  for (const c of conns.splice(0)) c.destroy();
});
afterAll(async () => {
  await srv.close();
});

const inbox = async (c: TestClient) => (await c.get<NotificationList>('/api/notifications')).body;

/** An owner, an editor and a viewer on one board, each synced; a shot on it. */
async function team(title = 'Night shoot') {
  const owner = await signedUpClient(srv.url, { name: 'Olga' });
  const editor = await signedUpClient(srv.url, { name: 'Eli' });
  const viewer = await signedUpClient(srv.url, { name: 'Vera' });
  const boardId = await createBoard(owner.client, title);
  await joinWithRole(owner.client, editor.client, boardId, 'editor');
  await joinWithRole(owner.client, viewer.client, boardId, 'viewer');
  const [a, b] = [connectBoard(srv.url, boardId, owner.client), connectBoard(srv.url, boardId, editor.client)];
  conns.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  const shotId = addShot(a.doc, { title: 'Alley', prompt: 'rain', durationSec: 1, model: 'animatic' });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)), 'shot stored');
  await waitFor(() => getShot(b.doc, shotId), 'shot on the editor’s copy');
  return { owner, editor, viewer, boardId, a, b, shotId };
}

/** Reads a user's unread stream until `until` is seen in it. */
function watchUnread(c: TestClient) {
  const ctl = new AbortController();
  let text = '';
  const done = fetch(`${srv.url}/api/notifications/events`, { headers: { cookie: c.cookieHeader }, signal: ctl.signal }).then(async (res) => {
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += new TextDecoder().decode(value);
    }
  }).catch(() => undefined);
  return {
    ended: done,
    ready: () => waitFor(() => text.includes('event: ready'), 'unread stream ready'),
    sees: (unread: number) => waitFor(() => text.includes(`event: unread\ndata: {"unread":${unread}}`), `unread ${unread} on the stream`),
    async close() {
      ctl.abort();
      await done;
    },
  };
}

describe('notifications', () => {
  it('a mention reaches the mentioned members live, with where and when; nobody else, no stranger, not the author', async () => {
    const { owner, editor, viewer, boardId, a, shotId } = await team();
    const stream = watchUnread(editor.client);
    await stream.ready();
    const commentId = addComment(a.doc, { shotId, takeId: 'take_x', atSec: 2.5, author: owner.user.id, text: '@Eli @Vera look at the light', mentions: [editor.user.id, viewer.user.id, owner.user.id, 'usr_not_on_this_board'] });
    await stream.sees(1);
    await stream.close();
    const list = await inbox(editor.client);
    expect(list.unread).toBe(1);
    expect(list.items).toEqual([
      expect.objectContaining<Partial<NotificationView>>({ kind: 'mention', boardId, boardTitle: 'Night shoot', actor: { id: owner.user.id, name: 'Olga' }, shotId, takeId: 'take_x', commentId, atSec: 2.5, text: '@Eli @Vera look at the light', readAt: null }),
    ]);
    expect((await inbox(viewer.client)).items.map((n) => n.kind)).toEqual(['mention']);
    expect((await inbox(owner.client)).items).toEqual([]);
    const rows = await srv.database.db.selectFrom('notifications').select('user_id').where('board_id', '=', boardId).execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([editor.user.id, viewer.user.id].sort());
  });

  it('a comment in a take’s thread replies to everyone who spoke there before (a mention wins over a reply)', async () => {
    const { owner, editor, viewer, a, b, shotId } = await team();
    addComment(a.doc, { shotId, takeId: 'take_1', atSec: 1, author: owner.user.id, text: 'too dark' });
    addComment(a.doc, { shotId, takeId: 'take_2', atSec: 1, author: owner.user.id, text: 'other take' });
    await waitFor(() => b.doc.getMap('comments').size === 2, 'comments on the editor’s copy');
    addComment(b.doc, { shotId, takeId: 'take_1', atSec: 3, author: editor.user.id, text: 'brighter now?' });
    const olga = await waitFor(async () => ((await inbox(owner.client)).items.length > 0 ? inbox(owner.client) : null), 'reply in Olga’s inbox');
    expect(olga.items).toEqual([expect.objectContaining({ kind: 'reply', actor: { id: editor.user.id, name: 'Eli' }, takeId: 'take_1', atSec: 3, text: 'brighter now?' })]);
    // Eli answers again and mentions Olga: one entry, the mention.
    addComment(b.doc, { shotId, takeId: 'take_1', atSec: 4, author: editor.user.id, text: '@Olga see 0:04', mentions: [owner.user.id] });
    await waitFor(async () => (await inbox(owner.client)).items.length === 2, 'second entry for Olga');
    expect((await inbox(owner.client)).items.map((n) => n.kind)).toEqual(['mention', 'reply']);
    expect((await inbox(editor.client)).items).toEqual([]);
    expect((await inbox(viewer.client)).items).toEqual([]);
  });

  it('a take that finishes or fails on a shot tells its assignee (not the rest of the team)', async () => {
    const { owner, editor, viewer, boardId, a, shotId } = await team();
    setShotFields(a.doc, shotId, { assignee: editor.user.id });
    const broken = addShot(a.doc, { title: 'Breaks', prompt: 'x', durationSec: 1, model: 'animatic' });
    setShotFields(a.doc, broken, { assignee: viewer.user.id });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, broken)?.assignee), 'assignments stored');
    const ok = await owner.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
    const bad = await owner.client.post(`/api/boards/${boardId}/shots/${broken}/generate`, {});
    await jobReaches(owner.client, ok.body.jobId, 'succeeded');
    await jobReaches(owner.client, bad.body.jobId, 'failed');
    const eli = await waitFor(async () => ((await inbox(editor.client)).items.length > 0 ? inbox(editor.client) : null), 'Eli told');
    expect(eli.items).toEqual([expect.objectContaining({ kind: 'take_succeeded', actor: null, shotId, takeId: ok.body.takeId, text: 'Take 1 of “Alley” is ready to review' })]);
    const vera = await waitFor(async () => ((await inbox(viewer.client)).items.length > 0 ? inbox(viewer.client) : null), 'Vera told');
    expect(vera.items).toEqual([expect.objectContaining({ kind: 'take_failed', shotId: broken, takeId: bad.body.takeId })]);
    expect(vera.items[0]!.text).toMatch(/^Take 1 of “Breaks” failed: .*renderer broke/);
    expect((await inbox(owner.client)).items).toEqual([]);
    expect(listTakes(a.doc, shotId)).toHaveLength(1);
  }, 90_000);

  it('only the owner’s own entries can be read or marked, and only while a member of their board', async () => {
    const { owner, editor, viewer, boardId, a, shotId } = await team();
    addComment(a.doc, { shotId, author: owner.user.id, text: 'for both', mentions: [editor.user.id, viewer.user.id] });
    const eli = await waitFor(async () => ((await inbox(editor.client)).unread === 1 ? inbox(editor.client) : null), 'Eli’s mention');
    const vera = await waitFor(async () => ((await inbox(viewer.client)).unread === 1 ? inbox(viewer.client) : null), 'Vera’s mention');

    // Someone else's id is refused by position and marks nothing.
    const theirs = await editor.client.post('/api/notifications/read', { ids: [eli.items[0]!.id, vera.items[0]!.id] });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toMatchObject({ code: 'not_found', field: 'ids.1', message: 'ids[1]: not one of your notifications' });
    expect((await inbox(editor.client)).unread).toBe(1);
    for (const [body, message] of [
      [{}, /^ids: /],
      [{ ids: [] }, /^ids: name at least one notification/],
      [{ ids: 'all' }, /^ids: /],
      [{ ids: Array.from({ length: 101 }, (_, i) => `n${i}`) }, /^ids: at most 100 at once/],
    ] as const) {
      const res = await editor.client.post('/api/notifications/read', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await editor.client.get('/api/notifications?limit=0')).body.error).toMatchObject({ field: 'limit', message: 'limit: a whole number from 1 to 100' });
    expect((await new (editor.client.constructor as typeof TestClient)(srv.url).get('/api/notifications')).status).toBe(401);

    const read = await editor.client.post<NotificationList>('/api/notifications/read', { ids: [eli.items[0]!.id] });
    expect(read.status).toBe(200);
    expect(read.body.unread).toBe(0);
    expect(read.body.items[0]!.readAt).toEqual(expect.any(String));

    // Vera loses access: her entry of that board is gone from her inbox and count, live.
    const stream = watchUnread(viewer.client);
    await stream.ready();
    expect((await owner.client.delete(`/api/boards/${boardId}/members/${viewer.user.id}`)).status).toBe(204);
    await stream.sees(0);
    await stream.close();
    expect(await inbox(viewer.client)).toEqual({ items: [], unread: 0 });
    expect((await viewer.client.post('/api/notifications/read', { ids: [vera.items[0]!.id] })).status).toBe(404);
    // And a later mention of her there creates nothing.
    // (Eli is mentioned with her: once his entry is there, hers would have been written with it.)
    addComment(a.doc, { shotId, author: owner.user.id, text: 'still there?', mentions: [viewer.user.id, editor.user.id] });
    await waitFor(async () => (await inbox(editor.client)).items.length === 2, 'Eli’s second mention');
    expect(await inbox(viewer.client)).toEqual({ items: [], unread: 0 });
    expect(await srv.database.db.selectFrom('notifications').select('id').where('user_id', '=', viewer.user.id).execute()).toHaveLength(1);

    const all = await editor.client.post<NotificationList>('/api/notifications/read-all');
    expect(all.body.unread).toBe(0);
    expect(all.body.items.every((n) => n.readAt !== null)).toBe(true);
  });

  it('one person’s comments cannot flood the team’s inboxes: past the per-author rate their entries are dropped', async () => {
    const { owner, editor, viewer, boardId, a, b, shotId } = await team();
    const count = async () => Number((await srv.database.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('board_id', '=', boardId).execute())[0]!.n);
    // 200 comments, each mentioning two people: 400 entries wanted; the burst allows 240 (then 2 a second).
    for (let i = 0; i < 200; i++) addComment(a.doc, { shotId, author: owner.user.id, text: `ping ${i}`, mentions: [editor.user.id, viewer.user.id] });
    await waitFor(async () => (await count()) >= 200, 'the flood to be stored', 30_000);
    await waitFor(() => b.doc.getMap('comments').size === 200, 'every comment on the editor’s copy', 30_000);
    // Someone else's mention still arrives (the cap is per author), after the flood's were handled.
    addComment(b.doc, { shotId, author: editor.user.id, text: 'enough', mentions: [owner.user.id] });
    await waitFor(async () => (await inbox(owner.client)).items.length === 1, 'Eli’s mention of Olga');
    await srv.takeboard.hub.flush();
    const n = await count();
    expect(n).toBeGreaterThanOrEqual(241); // 240 of the flood and Olga's
    expect(n).toBeLessThan(300);
  }, 60_000);

  it('the unread stream ends when its session is logged out', async () => {
    const { client } = await signedUpClient(srv.url, { name: 'Leaving' });
    const stream = watchUnread(client);
    await stream.ready();
    let ended = false;
    void stream.ended.then(() => (ended = true));
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    // At once, not at the next 15 s keep-alive check.
    await waitFor(() => ended, 'the stream to end', 5_000);
  });

  it('a comment whose mentions are not a list of ids is refused by the server and stored nowhere', async () => {
    const { owner, boardId, a, shotId } = await team();
    const bad = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ shotId, author: owner.user.id, text: 'x', createdAt: new Date().toISOString(), resolved: false, mentions: 'everyone' })) bad.set(k, v);
    a.doc.getMap('comments').set('cmt_bad', bad);
    const closed = await a.closed();
    expect(closed.code).toBe(SYNC_CLOSE.schemaViolation);
    expect(closed.reason).toMatch(/comments\.cmt_bad\.mentions: expected an array of ids/);
    expect(await srv.takeboard.hub.read(boardId, (d) => d.getMap('comments').has('cmt_bad'))).toBe(false);
  });
});

/** The team's board with "Alley" assigned to Eli and its take 1 finished (and in his inbox, so later counts start from it). */
async function assignedTake() {
  const t = await team();
  setShotFields(t.a.doc, t.shotId, { assignee: t.editor.user.id });
  const gen = await t.owner.client.post(`/api/boards/${t.boardId}/shots/${t.shotId}/generate`, {});
  await jobReaches(t.owner.client, gen.body.jobId, 'succeeded');
  await waitFor(async () => (await inbox(t.editor.client)).items.length === 1, 'take 1 in Eli’s inbox');
  return { ...t, takeId: gen.body.takeId as string };
}

describe('answers to notes', () => {
  /** Eli's note on take 1 of "Alley" (the shot assigned to him), stored. */
  async function noted() {
    const t = await assignedTake();
    const noteId = addComment(t.b.doc, { shotId: t.shotId, takeId: t.takeId, atSec: 0.5, author: t.editor.user.id, text: 'slower rain' });
    await waitFor(() => srv.takeboard.hub.read(t.boardId, (d) => listComments(d).some((c) => c.id === noteId)), 'note stored');
    return { ...t, noteId };
  }

  it('the note’s author is told once when the take made from it is ready, with a link to that take; not when they queued it themselves', async () => {
    const { owner, editor, viewer, boardId, shotId, noteId } = await noted();
    const res = await owner.client.post(`/api/boards/${boardId}/comments/${noteId}/regenerate`, {});
    expect(res.status).toBe(202);
    await jobReaches(owner.client, res.body.jobId, 'succeeded');
    const eli = await waitFor(async () => ((await inbox(editor.client)).items.length > 1 ? inbox(editor.client) : null), 'the answer in Eli’s inbox');
    // One entry for take 2 (the answer), not a second one as the shot's assignee.
    expect(eli.items.filter((n) => n.takeId === res.body.takeId)).toEqual([
      expect.objectContaining<Partial<NotificationView>>({ kind: 'note_take_succeeded', actor: { id: owner.user.id, name: 'Olga' }, shotId, takeId: res.body.takeId, text: 'Your note on shot 1 “Alley” was answered: take 2 is ready' }),
    ]);
    expect(eli.items).toHaveLength(2);
    expect((await inbox(owner.client)).items).toEqual([]);
    expect((await inbox(viewer.client)).items).toEqual([]);

    // Eli answers his own note: he hears of take 3 only as its shot's assignee.
    const own = await editor.client.post(`/api/boards/${boardId}/comments/${noteId}/regenerate`, {});
    await jobReaches(editor.client, own.body.jobId, 'succeeded');
    const later = await waitFor(async () => ((await inbox(editor.client)).items.length > 2 ? inbox(editor.client) : null), 'take 3 in Eli’s inbox');
    expect(later.items.filter((n) => n.takeId === own.body.takeId).map((n) => n.kind)).toEqual(['take_succeeded']);
  }, 120_000);

  it('a take made from a note that fails tells the note’s author why', async () => {
    const { owner, editor, boardId, a, b } = await team();
    const broken = addShot(a.doc, { title: 'Breaks', prompt: 'x', durationSec: 1, model: 'animatic' });
    await waitFor(() => getShot(b.doc, broken), 'shot on the editor’s copy');
    const noteId = addComment(b.doc, { shotId: broken, author: editor.user.id, text: 'try it wider' });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => listComments(d).some((c) => c.id === noteId)), 'note stored');
    const res = await owner.client.post(`/api/boards/${boardId}/comments/${noteId}/regenerate`, {});
    await jobReaches(owner.client, res.body.jobId, 'failed');
    const eli = await waitFor(async () => ((await inbox(editor.client)).items.length > 0 ? inbox(editor.client) : null), 'the failure in Eli’s inbox');
    expect(eli.items).toEqual([expect.objectContaining({ kind: 'note_take_failed', actor: { id: owner.user.id, name: 'Olga' }, shotId: broken, takeId: res.body.takeId })]);
    expect(eli.items[0]!.text).toMatch(/^The take 1 for your note on shot 2 “Breaks” failed: .*renderer broke/);
  }, 90_000);
});

describe('guest comments', () => {
  /** The team's board with a finished take on "Alley" (assigned to Eli) and a guest, Dana, on a review link. */
  async function reviewed() {
    const t = await assignedTake();
    const link = await t.owner.client.post(`/api/boards/${t.boardId}/review-links`, {});
    expect(link.status).toBe(201);
    const guest = await guestJoins(srv, link.body.url, 'Dana');
    // The take is 1 s long: the guest comments at its end.
    const comment = (text: string) => guest.post('/api/guest/comments', { shotId: t.shotId, takeId: t.takeId, atSec: 1, text });
    return { ...t, comment };
  }
  const guestEntries = async (c: TestClient) => (await inbox(c)).items.filter((n) => n.kind === 'guest_comment');

  it('the shot’s assignee and the owners are told, with the guest’s name, where and when, the words cut short; not the rest of the team', async () => {
    const { owner, editor, viewer, shotId, takeId, comment } = await reviewed();
    const long = `The rain ${'really '.repeat(60)}should fall slower here`;
    const res = await comment(long);
    expect(res.status).toBe(201);
    const olga = await waitFor(async () => ((await guestEntries(owner.client)).length > 0 ? guestEntries(owner.client) : null), 'Olga told');
    expect(olga).toEqual([expect.objectContaining<Partial<NotificationView>>({ kind: 'guest_comment', actor: null, shotId, takeId, commentId: res.body.id, atSec: 1 })]);
    expect(olga[0]!.text).toMatch(/^Guest Dana commented on shot 1 “Alley” at 0:01: The rain really really .*…$/);
    expect(olga[0]!.text.length).toBeLessThan(220);
    const eli = await waitFor(async () => ((await guestEntries(editor.client)).length > 0 ? guestEntries(editor.client) : null), 'Eli told');
    expect(eli[0]!.text).toBe(olga[0]!.text);
    expect(await guestEntries(viewer.client)).toEqual([]);
  }, 90_000);

  it('a guest cannot flood the team’s inboxes: past the per-link rate their comments stay on the take, untold', async () => {
    const { owner, boardId, comment } = await reviewed();
    const burst = GUEST_COMMENTS_NOTIFIED_PER_MINUTE * 2;
    for (let i = 0; i < burst + 8; i++) expect((await comment(`note ${i}`)).status).toBe(201);
    await waitFor(async () => (await guestEntries(owner.client)).length >= burst, 'the burst told');
    await srv.takeboard.hub.flush();
    expect(await srv.takeboard.hub.read(boardId, (d) => listComments(d).filter((c) => c.guestName === 'Dana').length)).toBe(burst + 8);
    // The burst, and at most a refill or two while the comments were posted.
    expect((await guestEntries(owner.client)).length).toBeLessThanOrEqual(burst + 2);
  }, 90_000);
});

describe('budget warnings', () => {
  it('owners are told once when queued and spent cost passes 80% of the budget', async () => {
    const fake = await startFalFake();
    const fx = await makeMediaFixtures();
    setServedVideo(new Uint8Array(await fs.readFile(fx.clip)));
    const providers = createProviders({ FAL_KEY: fake.key, FAL_BASE_URL: fake.baseUrl }, { prices: { 'fal:veo3': { microUsdPerSecond: 250_000, asOf: 'test' } }, ...allowFakes(fake) });
    const paid = await startTestServer({ app: { providers, generation: { startWorker: false } } });
    try {
      const owner = await signedUpClient(paid.url, { name: 'Olga' });
      const editor = await signedUpClient(paid.url, { name: 'Eli' });
      const boardId = await createBoard(owner.client, 'Paid board');
      await joinWithRole(owner.client, editor.client, boardId, 'editor');
      const conn = connectBoard(paid.url, boardId, owner.client);
      conns.push(conn);
      await conn.synced();
      setMeta(conn.doc, { budgetMicroUsd: 5_000_000 });
      const shot = addShot(conn.doc, { title: 'Paid', prompt: 'a paid shot', durationSec: 4, model: 'fal:veo3' });
      await waitFor(() => paid.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'shot stored');
      const at = async () => (await owner.client.get<NotificationList>('/api/notifications')).body;
      // $1 each: 1, 2, 3 stay under $4 (80% of $5); the fourth reaches it; the fifth is past it already.
      for (let i = 0; i < 3; i++) expect((await editor.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).status).toBe(202);
      expect((await at()).items).toEqual([]);
      expect((await editor.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).status).toBe(202);
      const warned = await waitFor(async () => ((await at()).items.length > 0 ? at() : null), 'budget warning');
      expect(warned.items).toEqual([expect.objectContaining({ kind: 'budget', boardId, actor: { id: editor.user.id, name: 'Eli' }, text: '$4.00 of the $5.00 budget is spent or queued (80%)' })]);
      expect((await editor.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).status).toBe(202);
      await paid.takeboard.hub.flush();
      expect((await at()).items).toHaveLength(1);
      expect((await editor.client.get<NotificationList>('/api/notifications')).body.items).toEqual([]);
    } finally {
      await paid.close();
      setServedVideo(null);
      await fake.close();
      await fx.cleanup();
    }
  }, 60_000);
});
