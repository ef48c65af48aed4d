/**
 * Actor-aware document validation. A member speaks for nobody but themselves:
 * against a real server process (libSQL file) with stock y-websocket clients, an editor tries to
 * write a comment as a teammate, change a comment's author, rewrite a teammate's comment, resolve
 * it together with a rewrite, delete it, re-create a removed comment's id, smuggle a forged
 * comment inside an otherwise honest edit, approve as someone else and write "keep anyway" as
 * someone else. Each is refused with a close reason naming the field, nothing of it is stored,
 * and teammates never see it. What is allowed stays allowed: resolving a teammate's thread
 * (review work, decided in shared/doc/specs.ts), setting assignees, an owner removing a comment,
 * which every member then sees as "removed by" with its text gone. Afterwards other boards still
 * store edits and every member still loads the board.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  COMMENT,
  REMOVAL_RECORD_IS_KEPT,
  SHOT,
  addComment,
  addShot,
  deleteComment,
  getShot,
  listComments,
  resolveComment,
  roots,
  setShotFields,
  shotsInOrder,
  statusPatch,
} from '../../shared/doc/index.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection, type Closed } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

let dataDir: string;
let server: ChildServer;
let owner: { client: TestClient; id: string };
let ana: { client: TestClient; id: string };
let bo: { client: TestClient; id: string; email: string; password: string };
let boardId: string;
let otherBoard: string;
let shotId: string;
/** Ana's own comment, written through the real accessor as the real client does. */
let anasComment: string;
/** Ana's and the owner's sockets, open throughout: what teammates see. */
let anaConn: BoardConnection;
let ownerConn: BoardConnection;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-actor-'));
  server = await startChildServer({ DATA_DIR: dataDir, WORKER_CONCURRENCY: '0' });
  const member = async (name: string) => {
    const s = await signedUpClient(server.url, { name });
    return { client: s.client, id: s.user.id, email: s.email, password: s.password };
  };
  [owner, ana, bo] = await Promise.all([member('Olivia'), member('Ana'), member('Bo')]);
  boardId = await createBoard(owner.client, 'Attributed');
  otherBoard = await createBoard(ana.client, 'Somewhere else');
  await joinWithRole(owner.client, ana.client, boardId, 'editor');
  await joinWithRole(owner.client, bo.client, boardId, 'editor');
  anaConn = connectBoard(server.url, boardId, ana.client);
  ownerConn = connectBoard(server.url, boardId, owner.client);
  await Promise.all([anaConn.synced(), ownerConn.synced()]);
  shotId = addShot(anaConn.doc, { title: 'Market at night' });
  anasComment = addComment(anaConn.doc, { shotId, author: ana.id, text: 'too dark' });
  await waitFor(() => listComments(ownerConn.doc).length === 1, 'the owner to see Ana’s comment');
}, 60_000);

afterAll(async () => {
  anaConn?.destroy();
  ownerConn?.destroy();
  await server?.kill('SIGKILL');
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Bo's sessions. A session cut off for misbehaving more than a few times is held off from new
 * sockets for a while (server/sync/upgrade-guard.ts), so Bo logs in again before that.
 */
let boSession: TestClient | null = null;
let boOffences = 0;
const OFFENCES_PER_SESSION = 5;

async function boClient(): Promise<TestClient> {
  if (boSession && boOffences < OFFENCES_PER_SESSION) return boSession;
  const client = new TestClient(server.url);
  const res = await client.post('/api/auth/login', { email: bo.email, password: bo.password });
  if (res.status !== 200) throw new Error(`Bo could not log in again: ${res.status}`);
  boOffences = 0;
  return (boSession = client);
}

/** Bo, on a fresh stock client, makes `edit`; resolves with how the server closed his socket. */
async function boTries(edit: (doc: Y.Doc) => void): Promise<Closed> {
  const conn = connectBoard(server.url, boardId, await boClient());
  boOffences++;
  try {
    await conn.synced();
    edit(conn.doc);
    return await conn.closed();
  } finally {
    conn.destroy();
  }
}

/** Someone, on a fresh stock client, makes an edit the server accepts; resolves once `seen` holds for Ana. */
async function accepted(who: { client: TestClient }, edit: (doc: Y.Doc) => void, seen: (anaDoc: Y.Doc) => boolean, what: string) {
  const conn = connectBoard(server.url, boardId, who.client);
  try {
    await conn.synced();
    edit(conn.doc);
    await waitFor(() => seen(anaConn.doc), what);
    expect(conn.closes).toEqual([]);
  } finally {
    conn.destroy();
  }
}

const comment = (doc: Y.Doc, id: string) => roots(doc).comments.get(id) as Y.Map<unknown>;
const refusedWith = (closed: Closed, reason: RegExp) => {
  expect(closed.code).toBe(SYNC_CLOSE.schemaViolation);
  expect(closed.reason).toMatch(reason);
};

describe('nobody writes as someone else', () => {
  it('a comment forged as Ana is refused and never reaches anyone', async () => {
    const closed = await boTries((d) => void addComment(d, { shotId, author: ana.id, text: 'Ana agrees: ship it' }));
    refusedWith(closed, /comments\.cmt_\w+\.author: must be your own user id/);
    expect(listComments(anaConn.doc).map((c) => c.text)).toEqual(['too dark']);
  });

  it("changing the author of Ana's comment is refused", async () => {
    refusedWith(await boTries((d) => comment(d, anasComment).set(COMMENT.author, bo.id)), /author/);
    expect(listComments(ownerConn.doc)[0]).toMatchObject({ author: ana.id });
  });

  it("rewriting Ana's comment is refused, also when wrapped in a resolve", async () => {
    refusedWith(await boTries((d) => comment(d, anasComment).set(COMMENT.text, 'looks great')), /text: only its author may change this/);
    refusedWith(await boTries((d) => d.transact(() => {
      resolveComment(d, anasComment);
      comment(d, anasComment).set(COMMENT.text, 'looks great');
    })), /text: only its author/);
    expect(listComments(anaConn.doc)[0]).toMatchObject({ text: 'too dark', resolved: false });
  });

  it('a forged comment inside an honest shot edit refuses the whole update', async () => {
    refusedWith(await boTries((d) => d.transact(() => {
      setShotFields(d, shotId, { durationSec: 9, assignee: ana.id });
      addComment(d, { shotId, author: owner.id, text: 'approved by the owner' });
    })), /author: must be your own user id/);
    expect(getShot(anaConn.doc, shotId)).not.toMatchObject({ durationSec: 9 });
    expect(listComments(anaConn.doc)).toHaveLength(1);
  });

  it('approving as Ana, or writing "keep anyway" for her, is refused', async () => {
    refusedWith(await boTries((d) => setShotFields(d, shotId, statusPatch('approved', ana.id))), /approvedBy: must be your own user id/);
    refusedWith(await boTries((d) => setShotFields(d, shotId, { status: 'approved' })), /approvedBy: setting status to "approved" records who did it/);
    refusedWith(await boTries((d) => (roots(d).shots.get(shotId) as Y.Map<unknown>).set(SHOT.staleAccepted, { take: 't', tail: null, by: ana.id, at: '2026-12-06T10:00:00Z' })), /staleAccepted is written by the server only/);
    expect(getShot(ownerConn.doc, shotId)?.status).toBe('draft');
  });
});

describe('what stays allowed', () => {
  it('Bo resolves Ana’s thread, assigns the shot and approves it as himself; everyone sees it', async () => {
    await accepted(bo, (d) => d.transact(() => {
      resolveComment(d, anasComment);
      setShotFields(d, shotId, { assignee: ana.id, ...statusPatch('approved', bo.id) });
    }), (d) => listComments(d)[0]?.resolved === true && getShot(d, shotId)?.approvedBy === bo.id, 'Ana to see the resolve and the approval');
    expect(getShot(ownerConn.doc, shotId)).toMatchObject({ status: 'approved', approvedBy: bo.id, assignee: ana.id });
  });
});

describe('deleting comments', () => {
  it("an editor cannot delete Ana's comment, nor replace it under its id", async () => {
    refusedWith(await boTries((d) => void deleteComment(d, anasComment)), /only its author or a board owner may delete it/);
    refusedWith(await boTries((d) => d.transact(() => {
      comment(d, anasComment).set(COMMENT.author, bo.id); // claim it first, in the same update
      deleteComment(d, anasComment);
    })), /author|only its author or a board owner/);
    refusedWith(await boTries((d) => {
      const mine = new Y.Map<unknown>();
      comment(d, anasComment).forEach((v, k) => mine.set(k, k === COMMENT.author ? bo.id : v));
      roots(d).comments.set(anasComment, mine);
    }), /only its author or a board owner may delete it/);
    expect(listComments(anaConn.doc)[0]).toMatchObject({ id: anasComment, author: ana.id, text: 'too dark' });
  });

  it('the owner removes it; every member then sees who removed whose comment, text gone', async () => {
    await accepted(owner, (d) => void deleteComment(d, anasComment), (d) => listComments(d)[0]?.removedBy === owner.id, 'Ana to see the removal record');
    expect(listComments(anaConn.doc)).toEqual([expect.objectContaining({ id: anasComment, author: ana.id, text: '', removedBy: owner.id, removedAt: expect.any(String) })]);
    // Stored: a new connection (the room serves what is stored) gets the record too.
    const fresh = connectBoard(server.url, boardId, bo.client);
    try {
      await fresh.synced();
      await waitFor(() => listComments(fresh.doc)[0]?.removedBy === owner.id, 'a fresh load to hold the record');
    } finally {
      fresh.destroy();
    }
  });

  it('the removal record cannot be re-created, edited or deleted, not even by its author', async () => {
    const recreate = (as: string) => (d: Y.Doc) => {
      const again = new Y.Map<unknown>();
      const fields = { shotId, author: as, text: 'back again', createdAt: '2026-12-06T10:00:00Z', resolved: false };
      for (const [k, v] of Object.entries(fields)) again.set(k, v);
      roots(d).comments.set(anasComment, again);
    };
    refusedWith(await boTries(recreate(bo.id)), new RegExp(REMOVAL_RECORD_IS_KEPT));
    refusedWith(await boTries((d) => void deleteComment(d, anasComment)), new RegExp(REMOVAL_RECORD_IS_KEPT));
    refusedWith(await boTries((d) => comment(d, anasComment).set(COMMENT.removedBy, bo.id)), /removal is recorded by the server only/);
    const asAna = connectBoard(server.url, boardId, ana.client);
    try {
      await asAna.synced();
      recreate(ana.id)(asAna.doc);
      refusedWith(await asAna.closed(), new RegExp(REMOVAL_RECORD_IS_KEPT));
    } finally {
      asAna.destroy();
    }
    expect(listComments(ownerConn.doc)).toEqual([expect.objectContaining({ text: '', removedBy: owner.id })]);
  });

  it('Ana deletes a comment of her own outright, with nothing recorded', async () => {
    const own = addComment(anaConn.doc, { shotId, author: ana.id, text: 'never mind' });
    await waitFor(() => listComments(ownerConn.doc).some((c) => c.id === own), 'the owner to see the second comment');
    deleteComment(anaConn.doc, own);
    await waitFor(() => !listComments(ownerConn.doc).some((c) => c.id === own), 'the owner to see it gone');
  });
});

describe('afterwards', () => {
  it('other boards still store edits and every member still loads the board', async () => {
    const elsewhere = connectBoard(server.url, otherBoard, ana.client);
    const reload = connectBoard(server.url, otherBoard, ana.client);
    try {
      await elsewhere.synced();
      addShot(elsewhere.doc, { title: 'Stored elsewhere' });
      await reload.synced(); // the hub relays only what it has stored
      await waitFor(() => shotsInOrder(reload.doc).some((s) => s.title === 'Stored elsewhere'), 'the other board to keep its edit');
    } finally {
      reload.destroy();
      elsewhere.destroy();
    }
    for (const who of [owner, ana, bo]) {
      const conn = connectBoard(server.url, boardId, who.client);
      try {
        await conn.synced();
        expect(getShot(conn.doc, shotId)).toMatchObject({ title: 'Market at night', status: 'approved', approvedBy: bo.id });
        expect(listComments(conn.doc).map((c) => c.text)).toEqual(['']);
        expect(conn.closes).toEqual([]);
      } finally {
        conn.destroy();
      }
    }
    // A plain edit by the editor who was refused so often still goes through.
    await accepted(bo, (d) => setShotFields(d, shotId, { durationSec: 6 }), (d) => getShot(d, shotId)?.durationSec === 6, 'Bo’s later honest edit');
  });
});
