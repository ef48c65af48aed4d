/**
 * "Regenerate from note" against the real server (temp DATA_DIR, libSQL file, worker running) and
 * a fake hosted provider on loopback: the prompt the provider receives is the shot's prompt with
 * the note after it, delimited; the take names the comment it answers; only editors and owners
 * may spend; the budget cap holds as for any Generate; bad notes are refused in words.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment, addShot, deleteComment, getShot, listComments, listTakes, setMeta, setShotFields } from '../../shared/doc/index.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { createBoard, joinWithRole, signedUpClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { allowFakes, setServedVideo, type FakeHandle } from '../providers/fakes/core.js';
import { startFalFake } from '../providers/fakes/fal.js';
import { jobReaches } from './helpers.js';

let fake: FakeHandle;
let fx: MediaFixtures;
let srv: TestServer;
const conns: BoardConnection[] = [];
type Person = Awaited<ReturnType<typeof signedUpClient>>;
let owner: Person, editor: Person, commenter: Person, viewer: Person, stranger: Person;
let boardId: string;
let shotId: string;
let conn: BoardConnection;
let noteId: string;

const PROMPT = 'a courier runs through the rain';
// Hostile: a paragraph break and a quote that would end the note early, a bidi override.
const NOTE = 'Heavier rain,\n\nand "less" neon\u202e please';

beforeAll(async () => {
  fake = await startFalFake();
  fx = await makeMediaFixtures();
  setServedVideo(new Uint8Array(await fs.readFile(fx.clip)));
  // $1 a take (4 s at $0.25/s).
  const providers = createProviders({ FAL_KEY: fake.key, FAL_BASE_URL: fake.baseUrl }, { prices: { 'fal:veo3': { microUsdPerSecond: 250_000, asOf: 'test' } }, ...allowFakes(fake) });
  srv = await startTestServer({ app: { providers } });
  [owner, editor, commenter, viewer, stranger] = (await Promise.all(['Olga', 'Eli', 'Cam', 'Vic', 'Stan'].map((name) => signedUpClient(srv.url, { name })))) as [Person, Person, Person, Person, Person];
  boardId = await createBoard(owner.client, 'Notes board');
  await joinWithRole(owner.client, editor.client, boardId, 'editor');
  await joinWithRole(owner.client, commenter.client, boardId, 'commenter');
  await joinWithRole(owner.client, viewer.client, boardId, 'viewer');
  conn = connectBoard(srv.url, boardId, owner.client);
  conns.push(conn);
  await conn.synced();
  setMeta(conn.doc, { budgetMicroUsd: 2_500_000 });
  shotId = addShot(conn.doc, { title: 'Run', prompt: PROMPT, durationSec: 4, model: 'fal:veo3' });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)), 'shot stored');
  // Take 1, then a reviewer's note on it at 2 s.
  const first = await owner.client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, {});
  expect(first.status).toBe(202);
  await jobReaches(owner.client, first.body.jobId, 'succeeded', 60_000);
  const review = connectBoard(srv.url, boardId, commenter.client);
  conns.push(review);
  await review.synced();
  noteId = addComment(review.doc, { shotId, takeId: first.body.takeId, atSec: 2, author: commenter.user.id, text: NOTE });
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => listComments(d).some((c) => c.id === noteId)), 'note stored');
}, 120_000);

afterAll(async () => {
  for (const c of conns) c.destroy();
  await srv?.close();
  setServedVideo(null);
  await fake?.close();
  await fx?.cleanup();
});

const regenerate = (who: Person, commentId = noteId, body: unknown = {}) => who.client.post(`/api/boards/${boardId}/comments/${commentId}/regenerate`, body);

describe('regenerate from note', () => {
  it('viewers and commenters may not spend on it; strangers are told nothing', async () => {
    const before = fake.state.submissions.length;
    for (const who of [viewer, commenter]) {
      const res = await regenerate(who);
      expect(res.status, who.user.name).toBe(403);
    }
    const s = await regenerate(stranger);
    expect(s.status).toBe(404);
    expect(s.body).toEqual((await stranger.client.post(`/api/boards/${boardId}/comments/cmt_made_up/regenerate`, {})).body);
    expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toHaveLength(1);
    expect(fake.state.submissions.length).toBe(before);
  });

  it('refuses bad input in words naming the field', async () => {
    const bad = await regenerate(editor, noteId, { model: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('model');
    const missing = await regenerate(editor, 'cmt_not_there');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Comment not found');
  });

  it('an editor queues a take whose prompt carries the note, delimited, and the take answers the note', async () => {
    const res = await regenerate(editor, noteId, { idempotencyKey: 'note-1' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ shotId, jobId: expect.any(String), takeId: expect.any(String), estimateMicroUsd: 1_000_000 });
    const job = await jobReaches(editor.client, res.body.jobId, 'succeeded', 60_000);
    const sent = `${PROMPT}\n\nReview note to apply: "Heavier rain, and 'less' neon please"`;
    expect(job.request.prompt).toBe(sent);
    expect(job.resolved.note).toEqual({ commentId: noteId, text: NOTE });
    // What the provider itself received.
    const submitted = fake.state.submissions.map((s) => (s.body as { prompt?: string }).prompt);
    expect(submitted).toEqual([PROMPT, sent]);
    // The link, as every client reads it: the take names the comment; the comment's take is number 2.
    const take = await waitFor(() => listTakes(conn.doc, shotId).find((t) => t.id === res.body.takeId && t.status === 'succeeded'), 'the answering take on a client');
    expect(take).toMatchObject({ answers: noteId, number: 2, prompt: sent, createdBy: editor.user.id });
    expect(listTakes(conn.doc, shotId).filter((t) => t.answers === noteId)).toHaveLength(1);
    // The shot's own prompt is unchanged: the note went with this take only.
    expect(getShot(conn.doc, shotId)?.prompt).toBe(PROMPT);
    // The same key is the same take.
    const again = await regenerate(editor, noteId, { idempotencyKey: 'note-1' });
    expect(again.body.takeId).toBe(res.body.takeId);
  }, 90_000);

  it('keeps the budget cap: past it nothing is queued', async () => {
    // $2 of $2.50 is spent: another $1 take does not fit.
    const res = await regenerate(owner);
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('over_budget');
    expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toHaveLength(2);
  });

  it('refuses a note that would make the prompt too long, and a removed note', async () => {
    setMeta(conn.doc, { budgetMicroUsd: 100_000_000 });
    const long = addComment(conn.doc, { shotId, author: owner.user.id, text: 'x'.repeat(501) });
    setShotFields(conn.doc, shotId, { prompt: 'p'.repeat(1990) });
    const short = addComment(conn.doc, { shotId, author: owner.user.id, text: 'tighter framing' });
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => listComments(d).some((c) => c.id === short) && getShot(d, shotId)?.prompt.length === 1990), 'stored');
    const tooLong = await regenerate(owner, long);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ field: 'note', message: expect.stringContaining('at most 500') });
    const over = await regenerate(owner, short);
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/prompt with this note is \d+ characters; a prompt may have at most 2000/);

    deleteComment(conn.doc, short);
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => !listComments(d).some((c) => c.id === short)), 'deleted');
    expect((await regenerate(owner, short)).status).toBe(404);
    // An owner removing a teammate's note leaves a record without its text: nothing to send.
    deleteComment(conn.doc, noteId);
    await waitFor(() => srv.takeboard.hub.read(boardId, (d) => listComments(d).find((c) => c.id === noteId)?.removedBy === owner.user.id), 'removal recorded');
    const removed = await regenerate(owner, noteId);
    expect(removed.status).toBe(409);
    expect(removed.body.error.message).toMatch(/was removed/);
    expect((await owner.client.get(`/api/boards/${boardId}/jobs`)).body).toHaveLength(2);
  });
});
