/**
 * Guest review links: an owner's expiring, revocable link; a guest without an account who typed a
 * name watches the sequence and the takes and comments on a take at a time, marked as a guest.
 * Everything else stays shut: member routes and the socket (the authorisation matrix tries every
 * member route with a guest's cookie), other boards' media, member names and emails, prompts and
 * costs. Expired and revoked links answer 401 in plain words; each link is throttled on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, addShot, deleteComment, deleteShot, getTake, listComments, roots, upsertTake } from '../../shared/doc/index.js';
import { takeKey } from '../../shared/doc/schema.js';
import { MAX_GUEST_COMMENT_CHARS, MAX_GUEST_NAME_CHARS, MAX_GUESTS_PER_LINK } from '../../shared/review-links.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { GUEST_COOKIE } from '../../server/review-links/guest-session.js';
import { hashToken } from '../../server/lib/ids.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, rawSocket } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { guestJoins, reviewBoard, secretOf, type ReviewBoard } from './helpers.js';

const HOUR = 3_600_000;
let offset = 0;
const clock = { now: () => Date.now() + offset };
let srv: TestServer;
let fx: MediaFixtures;
let a: ReviewBoard;
let b: ReviewBoard;

beforeAll(async () => {
  fx = await makeMediaFixtures();
  srv = await startTestServer({ clock });
  [a, b] = await Promise.all([reviewBoard(srv, fx.png, 'Board A'), reviewBoard(srv, fx.png, 'Board B')]);
}, 240_000);
afterAll(async () => {
  a?.conn.destroy();
  b?.conn.destroy();
  await srv?.close();
  await fx?.cleanup();
});

async function newLink(board: ReviewBoard, expiresInHours?: number) {
  const res = await board.owner.client.post(`/api/boards/${board.boardId}/review-links`, expiresInHours === undefined ? {} : { expiresInHours });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; url: string; secret: string; expiresAt: string };
}

describe('an owner’s review links', () => {
  it('are made with the expiry the owner chose, listed with who made them, when, until when and last use, and stored only as a hash', async () => {
    const before = clock.now();
    const link = await newLink(a, 48);
    expect(link.url).toBe(`${srv.origin}/review/${link.secret}`);
    expect(Date.parse(link.expiresAt) - before).toBeGreaterThanOrEqual(48 * HOUR - 5_000);
    expect(Date.parse(link.expiresAt) - before).toBeLessThanOrEqual(48 * HOUR + 5_000);
    const listed = (await a.owner.client.get(`/api/boards/${a.boardId}/review-links`)).body as Record<string, unknown>[];
    const mine = listed.find((l) => l.id === link.id)!;
    expect(mine).toMatchObject({ createdBy: { id: a.owner.user.id, name: 'Olga' }, expiresAt: link.expiresAt, lastUsedAt: null, guests: 0, expired: false });
    expect(JSON.stringify(listed)).not.toContain(link.secret);
    const row = await srv.database.db.selectFrom('review_links').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(hashToken(link.secret));
    expect(JSON.stringify(row)).not.toContain(link.secret);

    await guestJoins(srv, link.url, 'Dana');
    const again = ((await a.owner.client.get(`/api/boards/${a.boardId}/review-links`)).body as Record<string, unknown>[]).find((l) => l.id === link.id)!;
    expect(again.guests).toBe(1);
    // A typed expiry outside the range is refused, naming the field and the range.
    for (const bad of [0, 24.5, 90 * 24 + 1, '24']) {
      const res = await a.owner.client.post(`/api/boards/${a.boardId}/review-links`, { expiresInHours: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^expiresInHours: /);
    }
  });
});

describe('a guest', () => {
  it('opens the link, types a name and gets a cookie only the guest routes see (HttpOnly, SameSite Strict)', async () => {
    const link = await newLink(a);
    const preview = await new TestClient(srv.url).get(`/api/guest/links/${link.secret}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ boardTitle: 'Board A', expiresAt: link.expiresAt, linkId: link.id });
    const res = await fetch(`${srv.url}/api/guest/session`, { method: 'POST', headers: { origin: srv.origin, 'content-type': 'application/json' }, body: JSON.stringify({ secret: link.secret, name: '  Dana\n Reviewer ' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'Dana Reviewer', linkId: link.id });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${GUEST_COOKIE}=`))!;
    expect(cookie).toMatch(/; Path=\/api\/guest(;|$)/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    // The cookie holds a secret kept only as its hash.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    expect(await srv.database.db.selectFrom('guest_sessions').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirst()).toBeTruthy();
  });

  it('watches the sequence and the finished takes, and sees no member names, emails, prompts or costs', async () => {
    addComment(a.conn.doc, { shotId: a.shotId, takeId: a.take.id, atSec: 0.5, author: a.owner.user.id, text: 'member note on the take, @Olga look', mentions: [a.owner.user.id] });
    await waitFor(() => srv.takeboard.hub.read(a.boardId, (d) => listComments(d).some((c) => c.text.startsWith('member note on the take'))), 'member comment stored');
    const guest = await guestJoins(srv, (await newLink(a)).url, 'Viewer Vic');
    const view = await guest.get('/api/guest/board');
    expect(view.status).toBe(200);
    expect(view.body.board.title).toBe('Board A');
    expect(view.body.you.name).toBe('Viewer Vic');
    expect(view.body.plan.cuts).toEqual([expect.objectContaining({ kind: 'take', shotId: a.shotId, takeId: a.take.id, clipId: a.take.clip })]);
    expect(view.body.shots).toEqual([expect.objectContaining({ id: a.shotId, number: 1, title: 'Opening', selectedTake: a.take.id, takes: [expect.objectContaining({ id: a.take.id, clip: a.take.clip })] })]);
    // Members are "Team", and a member the comment @mentions is no name either.
    expect(view.body.comments).toContainEqual(expect.objectContaining({ text: 'member note on the take, @team member look', author: 'Team', guest: false, mine: false }));
    const text = JSON.stringify(view.body);
    for (const secret of [a.owner.email, 'Olga', a.owner.user.id, 'SECRET PROMPT', 'costMicroUsd', 'seed', a.take.jobId]) expect(text).not.toContain(secret);
  });

  it('comments on a take at a time: the server writes it marked as a guest’s, and a member’s open board gets it live', async () => {
    const watcher = connectBoard(srv.url, a.boardId, a.owner.client);
    await watcher.synced();
    const guest = await guestJoins(srv, (await newLink(a)).url, 'Gus the Guest');
    const res = await guest.post('/api/guest/comments', { shotId: a.shotId, takeId: a.take.id, atSec: 1.23, text: 'the light is lovely here' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ author: 'Gus the Guest', guest: true, mine: true, atSec: 1.2 });
    const seen = await waitFor(() => listComments(watcher.doc).find((c) => c.text === 'the light is lovely here'), 'the guest comment on the member’s socket');
    expect(seen).toMatchObject({ guestName: 'Gus the Guest', takeId: a.take.id, atSec: 1.2, shotId: a.shotId });
    // Its author is the guest's own id: never a member's.
    expect(seen.author).toBe((await guest.get('/api/guest/board')).body.you.id);
    expect(seen.author).not.toBe(a.owner.user.id);
    // Other guests read it under the typed name; its writer reads it as their own.
    const other = await guestJoins(srv, (await newLink(a)).url, 'Olive');
    const otherView = (await other.get('/api/guest/board')).body;
    expect(otherView.comments).toContainEqual(expect.objectContaining({ id: seen.id, author: 'Gus the Guest', guest: true, mine: false }));
    // In the editor's timeline it is a marker under the typed name, marked as a guest's (never "a former member").
    const edl = await a.owner.client.get(`/api/boards/${a.boardId}/export/sequence.edl`);
    expect(edl.status).toBe(200);
    expect(String(edl.body)).toMatch(/\* LOC: \d\d:\d\d:\d\d:\d\d RED +Gus the Guest \(guest\): the light is lovely here/);
    watcher.destroy();
  });

  it('an owner removes a guest’s comment like anyone’s: the board keeps the record (with the guest’s name), guests no longer read it', async () => {
    const guest = await guestJoins(srv, (await newLink(a)).url, 'Rex');
    const made = await guest.post('/api/guest/comments', { shotId: a.shotId, takeId: a.take.id, atSec: 0, text: 'off-topic remark' });
    expect(made.status).toBe(201);
    const conn = connectBoard(srv.url, a.boardId, a.owner.client);
    await conn.synced();
    expect(deleteComment(conn.doc, made.body.id)).toBe(true);
    const record = await waitFor(() => srv.takeboard.hub.read(a.boardId, (d) => listComments(d).find((c) => c.id === made.body.id && c.removedBy)), 'the removal recorded');
    expect(record).toMatchObject({ removedBy: a.owner.user.id, guestName: 'Rex', text: '' });
    expect(((await guest.get('/api/guest/board')).body.comments as { id: string }[]).map((c) => c.id)).not.toContain(made.body.id);
    conn.destroy();
  });

  it('fetches only the clips and posters of the takes it watches, served as members’ media are; anything else is the made-up id’s 404', async () => {
    const guest = await guestJoins(srv, (await newLink(a)).url, 'Mia');
    const clip = await fetch(`${srv.url}/api/guest/assets/${a.take.clip}`, { headers: { cookie: guest.cookieHeader, range: 'bytes=0-99' } });
    expect(clip.status).toBe(206);
    const member = await fetch(`${srv.url}/api/assets/${a.take.clip}`, { headers: { cookie: a.owner.client.cookieHeader, range: 'bytes=0-99' } });
    for (const h of ['content-type', 'content-security-policy', 'content-range', 'etag', 'x-content-type-options', 'cache-control']) expect(clip.headers.get(h), h).toBe(member.headers.get(h));
    expect(Buffer.from(await clip.arrayBuffer())).toEqual(Buffer.from(await member.arrayBuffer()));
    const poster = await fetch(`${srv.url}/api/guest/assets/${a.take.clip}/poster`, { headers: { cookie: guest.cookieHeader } });
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    const madeUp = await guest.get('/api/guest/assets/x9zq7m2k4p8r6t1w3y5v0nab');
    expect(madeUp.status).toBe(404);
    for (const id of [a.stillId, b.take.clip!, b.stillId]) {
      for (const suffix of ['', '/poster']) {
        const res = await guest.get(`/api/guest/assets/${id}${suffix}`);
        expect({ status: res.status, body: res.body }, `${id}${suffix}`).toEqual({ status: 404, body: madeUp.body });
      }
    }
    // A guest comment on another board's take, or a made-up one, is refused naming the field; nothing lands on B.
    const cross = await guest.post('/api/guest/comments', { shotId: b.shotId, takeId: b.take.id, atSec: 0, text: 'sneaky' });
    expect(cross.status).toBe(400);
    expect(cross.body.error.field).toBe('takeId');
    expect(await srv.takeboard.hub.read(b.boardId, (d) => listComments(d).some((c) => c.text === 'sneaky'))).toBe(false);
  });

  it('media follow the board as it changes: a take finished since is served, one deleted since is the made-up id’s 404', async () => {
    const hub = srv.takeboard.hub;
    const guest = await guestJoins(srv, (await newLink(a)).url, 'Nell');
    const madeUp = await guest.get('/api/guest/assets/x9zq7m2k4p8r6t1w3y5v0nab');
    // The uploaded still is no take's media: refused, and refused again (the answer kept for this version of the board).
    for (let i = 0; i < 2; i++) expect((await guest.get(`/api/guest/assets/${a.stillId}`)).status).toBe(404);
    let shotId = '';
    await hub.change(a.boardId, (doc) => {
      shotId = addShot(doc, { title: 'Insert' });
      upsertTake(doc, shotId, 'tk_still', { jobId: 'job-still', model: 'animatic', durationSec: 2, createdBy: a.owner.user.id, status: 'succeeded', clip: a.stillId });
    });
    try {
      for (let i = 0; i < 2; i++) expect((await fetch(`${srv.url}/api/guest/assets/${a.stillId}`, { headers: { cookie: guest.cookieHeader } })).status).toBe(200);
      await hub.change(a.boardId, (doc) => (roots(doc).shots.get(shotId) as Y.Map<unknown>).delete(takeKey('tk_still')));
      const gone = await guest.get(`/api/guest/assets/${a.stillId}`);
      expect({ status: gone.status, body: gone.body }).toEqual({ status: 404, body: madeUp.body });
      expect((await fetch(`${srv.url}/api/guest/assets/${a.take.clip}`, { headers: { cookie: guest.cookieHeader, range: 'bytes=0-9' } })).status).toBe(206);
    } finally {
      await hub.change(a.boardId, (doc) => void deleteShot(doc, shotId));
    }
  });

  it('a comment on a take deleted just before it is written: 400 naming takeId, and no comment pointing at nothing', async () => {
    const hub = srv.takeboard.hub;
    const link = await newLink(a);
    const guest = await guestJoins(srv, link.url, 'Tess');
    let shotId = '';
    await hub.change(a.boardId, (doc) => {
      shotId = addShot(doc, { title: 'Doomed' });
      upsertTake(doc, shotId, 'tk_doomed', { jobId: 'job-doomed', model: 'animatic', durationSec: 2, createdBy: a.owner.user.id, status: 'succeeded', clip: a.take.clip! });
    });
    const commentsOn = () => hub.read(a.boardId, (d) => listComments(d).filter((c) => c.shotId === shotId));
    // Another writer's change lands between the guest's request and its write: the take goes, then
    // (second round) the whole shot. Both are document changes, so they are run just ahead of the guest's.
    const change = hub.change;
    const removals: [string, (doc: Y.Doc) => void][] = [
      ['the take', (doc) => (roots(doc).shots.get(shotId) as Y.Map<unknown>).delete(takeKey('tk_doomed'))],
      ['the shot', (doc) => void deleteShot(doc, shotId)],
    ];
    try {
      for (const [what, remove] of removals) {
        hub.change = async (boardId, fn) => {
          hub.change = change;
          await change(boardId, remove);
          return change(boardId, fn);
        };
        const res = await guest.post('/api/guest/comments', { shotId, takeId: 'tk_doomed', atSec: 1, text: `too late for ${what}` });
        expect(hub.change, 'the guest’s write went through the hub').toBe(change);
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.field).toBe('takeId');
        expect(res.body.error.message).toMatch(/not a finished take/);
        expect(await commentsOn()).toEqual([]);
        expect(await hub.read(a.boardId, (d) => getTake(d, shotId, 'tk_doomed'))).toBeUndefined();
        // Put back for the second round.
        if (what === 'the take') {
          await change(a.boardId, (doc) => upsertTake(doc, shotId, 'tk_doomed', { jobId: 'job-doomed', model: 'animatic', durationSec: 2, createdBy: a.owner.user.id, status: 'succeeded', clip: a.take.clip! }));
        }
      }
      // A comment on a live take still goes in; only it counts against the link's comments.
      const ok = await guest.post('/api/guest/comments', { shotId: a.shotId, takeId: a.take.id, atSec: 0, text: 'still here' });
      expect(ok.status).toBe(201);
      const counted = await srv.database.db.selectFrom('auth_throttle').select('failures').where('key', '=', `review-link-comments:${link.id}`).executeTakeFirstOrThrow();
      expect(Number(counted.failures)).toBe(1);
    } finally {
      hub.change = change;
    }
  });

  it('is told what is wrong with a bad name or comment, naming the field and the limit', async () => {
    const link = await newLink(a);
    const anon = new TestClient(srv.url);
    for (const name of ['', '   ', '\n\t', 'x'.repeat(MAX_GUEST_NAME_CHARS + 1), 42]) {
      const res = await anon.post('/api/guest/session', { secret: link.secret, name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error.field).toBe('name');
      expect(res.body.error.message).toContain(`1 to ${MAX_GUEST_NAME_CHARS} characters`);
    }
    // A name shows beside comments on one line: no line breaks, no bidi controls reversing what follows.
    const odd = await anon.post('/api/guest/session', { secret: link.secret, name: 'Fay\u202e\u2066 Lee\nX' });
    expect(odd.status).toBe(201);
    expect(odd.body.name).toBe('Fay Lee X');
    const guest = await guestJoins(srv, link.url, 'Fay');
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ shotId: a.shotId, takeId: a.take.id, atSec: 0, text: '  ' }, 'text', /empty/],
      [{ shotId: a.shotId, takeId: a.take.id, atSec: 0, text: 'y'.repeat(MAX_GUEST_COMMENT_CHARS + 1) }, 'text', new RegExp(`at most ${MAX_GUEST_COMMENT_CHARS}`)],
      [{ shotId: a.shotId, takeId: a.take.id, atSec: -1, text: 'hi' }, 'atSec', /0 or more/],
      [{ shotId: a.shotId, takeId: a.take.id, atSec: 999, text: 'hi' }, 'atSec', /long/],
      [{ shotId: a.shotId, takeId: 'nope', atSec: 0, text: 'hi' }, 'takeId', /finished take/],
      [{ shotId: a.shotId, atSec: 0, text: 'hi' }, 'takeId', /take/],
    ];
    for (const [body, field, message] of cases) {
      const res = await guest.post('/api/guest/comments', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('at most a fixed number of names per link: past it, the link says to ask for a new one', async () => {
    const link = await newLink(a);
    for (let i = 0; i < MAX_GUESTS_PER_LINK; i++) await guestJoins(srv, link.url, `Guest ${i}`);
    const res = await new TestClient(srv.url).post('/api/guest/session', { secret: link.secret, name: 'One too many' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/ask the board owner for a new link/);
  });
});

describe('what a guest cannot reach', () => {
  it('no socket, no member route, no write without the app’s Origin; and a member’s session opens no guest route', async () => {
    const guest = await guestJoins(srv, (await newLink(a)).url, 'Sid');
    const sock = rawSocket(srv.url, a.boardId, guest);
    expect((await sock.waitClosed()).code).toBe(SYNC_CLOSE.unauthorized);
    expect(sock.messages).toEqual([]);
    expect((await guest.get(`/api/boards/${a.boardId}/members`)).status).toBe(401);
    expect((await guest.get(`/api/assets/${a.take.clip}`)).status).toBe(401);
    const noOrigin = new TestClient(srv.url, null);
    for (const [k, v] of guest.cookies) noOrigin.cookies.set(k, v);
    const refused = await noOrigin.post('/api/guest/comments', { shotId: a.shotId, takeId: a.take.id, atSec: 0, text: 'from another site' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('origin_forbidden');
    for (const path of ['/api/guest/board', `/api/guest/assets/${a.take.clip}`]) {
      const res = await a.owner.client.get(path);
      expect(res.status, path).toBe(401);
      expect(res.body.error.message).toMatch(/Open the review link/);
    }
  });

  it('members cannot pass a comment off as a guest’s over the socket', async () => {
    const conn = connectBoard(srv.url, a.boardId, a.owner.client);
    await conn.synced();
    addComment(conn.doc, { shotId: a.shotId, takeId: a.take.id, atSec: 0, author: a.owner.user.id, text: 'pretending', guestName: 'Not Me' });
    expect((await conn.closed()).reason).toMatch(/guest comment is written by the server only/);
    expect(await srv.takeboard.hub.read(a.boardId, (d) => listComments(d).some((c) => c.text === 'pretending'))).toBe(false);
    conn.destroy();
  });
});

describe('links that no longer work', () => {
  it('a revoked link answers 401 in plain words to its open guests at their next request, and to anyone opening it; other links go on', async () => {
    const link = await newLink(a);
    const kept = await newLink(a);
    const guest = await guestJoins(srv, link.url, 'Rita');
    const keptGuest = await guestJoins(srv, kept.url, 'Kim');
    expect((await guest.get('/api/guest/board')).status).toBe(200);
    expect((await a.owner.client.delete(`/api/boards/${a.boardId}/review-links/${link.id}`)).status).toBe(204);
    for (const res of [await guest.get('/api/guest/board'), await guest.get(`/api/guest/assets/${a.take.clip}`), await guest.post('/api/guest/comments', { shotId: a.shotId, takeId: a.take.id, atSec: 0, text: 'late' })]) {
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('This review link was revoked by the board owner');
    }
    const reopened = await new TestClient(srv.url).post('/api/guest/session', { secret: link.secret, name: 'Rita again' });
    expect(reopened.status).toBe(401);
    expect(reopened.body.error.message).toBe('This review link was revoked by the board owner');
    expect((await keptGuest.get('/api/guest/board')).status).toBe(200);
    // Listed no more; revoking again, or another board's link through this board, is 404.
    expect(((await a.owner.client.get(`/api/boards/${a.boardId}/review-links`)).body as { id: string }[]).map((l) => l.id)).not.toContain(link.id);
    expect((await a.owner.client.delete(`/api/boards/${a.boardId}/review-links/${link.id}`)).status).toBe(404);
    const bLink = await newLink(b);
    expect((await a.owner.client.delete(`/api/boards/${a.boardId}/review-links/${bLink.id}`)).status).toBe(404);
    expect((await guestJoins(srv, bLink.url, 'Still works')).cookies.has(GUEST_COOKIE)).toBe(true);
  });

  it('an expired link answers 401 saying when it expired; the owner’s list marks it', async () => {
    const link = await newLink(a, 1);
    const guest = await guestJoins(srv, link.url, 'Ed');
    offset += HOUR + 1_000;
    try {
      const res = await guest.get('/api/guest/board');
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe(`This review link expired on ${link.expiresAt}; ask the board owner for a new one`);
      const opened = await new TestClient(srv.url).get(`/api/guest/links/${link.secret}`);
      expect(opened.status).toBe(401);
      expect(opened.body.error.message).toMatch(/expired/);
      const listed = ((await a.owner.client.get(`/api/boards/${a.boardId}/review-links`)).body as { id: string; expired: boolean }[]).find((l) => l.id === link.id);
      expect(listed?.expired).toBe(true);
    } finally {
      offset -= HOUR + 1_000;
    }
  });

  it('an unknown secret is 404, and guessing them is throttled per address', async () => {
    const res = await new TestClient(srv.url).get('/api/guest/links/not-a-real-secret');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/not valid/);
  });
});

describe('throttling per link (a server with small allowances), and an archived board', () => {
  let small: TestServer;
  let board: ReviewBoard;
  beforeAll(async () => {
    small = await startTestServer({
      app: {
        reviewLinks: { requests: { max: 8, windowMs: 60_000 }, comments: { maxFailures: 2, windowMs: 60_000 } },
        authRules: { inviteIp: { maxFailures: 3, windowMs: 60_000 } },
        // Behind "our proxy" (the test itself), so each case can come from an address of its own.
        trustedProxies: ['127.0.0.1', '::1'],
      },
    });
    board = await reviewBoard(small, fx.png);
  }, 120_000);
  afterAll(async () => {
    board?.conn.destroy();
    await small?.close();
  });
  const link = (expiresInHours = 24) => board.owner.client.post(`/api/boards/${board.boardId}/review-links`, { expiresInHours }).then((r) => r.body as { url: string; secret: string });

  it('comments: past the link’s allowance 429 with Retry-After; another link of the board is unaffected', async () => {
    const [one, two] = [await link(), await link()];
    const g1 = await guestJoins(small, one.url, 'First');
    const g2 = await guestJoins(small, one.url, 'Second, same link');
    const g3 = await guestJoins(small, two.url, 'Other link');
    const say = (g: TestClient, text: string) => g.post('/api/guest/comments', { shotId: board.shotId, takeId: board.take.id, atSec: 0, text });
    expect((await say(g1, 'one')).status).toBe(201);
    expect((await say(g2, 'two')).status).toBe(201);
    const third = await say(g1, 'three');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(third.body.error.message).toMatch(/Too many comments through this review link/);
    expect((await say(g3, 'other link')).status).toBe(201);
    expect(await small.takeboard.hub.read(board.boardId, (d) => listComments(d).some((c) => c.text === 'three'))).toBe(false);
  });

  it('requests: past the link’s allowance every guest request of it is 429; another link is unaffected', async () => {
    const [one, two] = [await link(), await link()];
    const g1 = await guestJoins(small, one.url, 'Busy');
    const g2 = await guestJoins(small, two.url, 'Calm');
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) answers.push((await g1.get('/api/guest/board')).status);
    // The join counted one; seven views more, then refused.
    expect(answers).toEqual([200, 200, 200, 200, 200, 200, 200, 429, 429, 429]);
    const media = await g1.get(`/api/guest/assets/${board.take.clip}`);
    expect(media.status).toBe(429);
    expect(media.body.error.message).toMatch(/Too many requests through this review link/);
    // 8 a minute: the next one is due in about 7.5 s.
    expect(Number(media.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(media.headers.get('retry-after'))).toBeLessThanOrEqual(8);
    expect((await g2.get('/api/guest/board')).status).toBe(200);
    // Counted in memory: guest requests write no throttle rows (only comments and guessed secrets do).
    const rows = await small.database.db.selectFrom('auth_throttle').select('key').execute();
    expect(rows.map((r) => r.key).filter((k) => k.startsWith('review-link-') && !k.startsWith('review-link-comments:'))).toEqual([]);
  });

  it('an archived board: guests still watch, comments are closed (409) and the page is told', async () => {
    const g = await guestJoins(small, (await link()).url, 'Late reviewer');
    expect((await board.owner.client.patch(`/api/boards/${board.boardId}`, { archived: true })).status).toBe(200);
    const view = await g.get('/api/guest/board');
    expect(view.status).toBe(200);
    expect(view.body.readOnly).toBe(true);
    expect((await g.get(`/api/guest/assets/${board.take.clip}`)).status).toBe(200);
    const res = await g.post('/api/guest/comments', { shotId: board.shotId, takeId: board.take.id, atSec: 0, text: 'after the archive' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/archived/);
  });

  it('secrets that do not work: throttled per address, review links and invite links under one allowance', async () => {
    const from = (address: string) => {
      const anon = new TestClient(small.url);
      let n = 0;
      const get = async (path: string) => (await anon.request('GET', `${path}guess-${address}-${n++}`, undefined, { headers: { 'x-forwarded-for': address } })).status;
      return { review: () => get('/api/guest/links/'), invite: () => get('/api/invites/') };
    };
    // Three guesses an address (inviteIp): two spent on invites leave one for review links...
    const one = from('203.0.113.1');
    expect([await one.invite(), await one.invite()]).toEqual([404, 404]);
    expect([await one.review(), await one.review(), await one.review()]).toEqual([404, 429, 429]);
    expect(await one.invite()).toBe(429);
    // ...and the other way round.
    const two = from('203.0.113.2');
    expect([await two.review(), await two.review()]).toEqual([404, 404]);
    expect([await two.invite(), await two.invite()]).toEqual([404, 429]);
    expect(await two.review()).toBe(429);
    // Another address has its own three.
    const three = from('203.0.113.3');
    expect([await three.review(), await three.review(), await three.review(), await three.review()]).toEqual([404, 404, 404, 429]);
    // A revoked link opened again and again (a client's office reloading an old link) is no guess.
    const open = { ...board, boardId: await createBoard(board.owner.client, 'Still open') };
    const revoked = await newLink(open);
    expect((await board.owner.client.delete(`/api/boards/${open.boardId}/review-links/${revoked.id}`)).status).toBe(204);
    const office = new TestClient(small.url);
    for (let i = 0; i < 5; i++) {
      const res = await office.request('GET', `/api/guest/links/${revoked.secret}`, undefined, { headers: { 'x-forwarded-for': '203.0.113.4' } });
      expect(res.status).toBe(401);
    }
    expect([await from('203.0.113.4').invite(), await from('203.0.113.4').review()]).toEqual([404, 404]);
  });
});
