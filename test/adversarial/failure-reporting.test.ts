/**
 * Failures say what happened. A disk that fills while an upload, a sequence export or a take's
 * files are written answers 507 "storage full" (a failed take says so) with no temp file, no
 * partial blob and no asset row left, and the next request works once space is freed. A COMMIT
 * that fails in the libSQL dialect surfaces its own error and leaves the one connection usable.
 * A board document at its size cap refuses only the edit that would pass it, with the reason,
 * while its other editors, other boards, compaction and reloading carry on.
 *
 * The disk runs twice: an injected store whose writes fail with an ENOSPC-shaped error (every
 * machine), and a real 64 MB tmpfs filled to the brim (needs root to mount; skipped, saying so,
 * where mounting is impossible).
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getPromptText, getShot, listTakes, shotsInOrder } from '../../shared/doc/index.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { createFsBlobStore } from '../../server/assets/fs-blob-store.js';
import type { BlobSource, BlobStore } from '../../server/assets/blob-store.js';
import { ffmpeg } from '../assets/media-fixtures.js';
import { generateAndSelect, getBytes, storedShot } from '../export/helpers.js';
import { jobReaches } from '../generation/helpers.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { blobFiles, tempFiles, upload } from './helpers.js';

/** A blob disk the test can fill and free. `leave` bytes stay free when filling. */
interface Disk {
  blobs: BlobStore;
  fill(leave?: number): Promise<void>;
  free(): Promise<void>;
  /** Lets `n` more blobs in, then is full (injected only: a real disk's sizes are not that exact). */
  fillAfter?(n: number): void;
  /** The next blob streams in whole, then placing it fails (injected only). */
  failNextCommit?(): void;
  close(): Promise<void>;
}

const FILLER = 'filler';

/** What a write on a full disk throws, as Node shapes it. */
function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

/** The fs store whose writes fail with ENOSPC after their first chunk while `full` (so a partial temp file exists). */
function injectedDisk(root: string): Disk {
  const inner = createFsBlobStore({ root });
  let allowed = Infinity;
  async function* choke(source: BlobSource): AsyncIterable<Uint8Array | string> {
    const full = allowed <= 0;
    allowed--;
    const chunks = source instanceof Uint8Array ? [source] : 'path' in source ? createReadStream(source.path) : source;
    for await (const chunk of chunks as AsyncIterable<Uint8Array | string>) {
      yield chunk;
      if (full) throw enospc();
    }
  }
  let commitFails = false;
  const ingest: BlobStore['ingest'] = async (s, o) => {
    const up = await inner.ingest(choke(s), o);
    if (!commitFails) return up;
    commitFails = false;
    return { ...up, commit: () => Promise.reject(enospc()) };
  };
  return {
    blobs: { ...inner, ingest, put: async (s, o) => (await ingest(s, o)).commit() },
    failNextCommit() {
      commitFails = true;
    },
    async fill() {
      allowed = 0;
    },
    async free() {
      allowed = Infinity;
    },
    fillAfter(n) {
      allowed = n;
    },
    async close() {},
  };
}

/** A real tmpfs mounted at `root`, or null (with the reason) where this process cannot mount. */
function tmpfsDisk(root: string): Disk | string {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', root], { stdio: 'pipe' });
  } catch (err) {
    return `cannot mount a tmpfs here (${String((err as { stderr?: Buffer }).stderr ?? err).trim()}); run as root to test a real full disk`;
  }
  const filler = path.join(root, FILLER);
  return {
    blobs: createFsBlobStore({ root }),
    async fill(leave = 0) {
      const fh = await fs.open(filler, 'w');
      const mb = Buffer.alloc(1024 * 1024, 7);
      try {
        for (;;) await fh.write(mb);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
      const { size } = await fh.stat();
      await fh.truncate(Math.max(0, size - leave));
      await fh.close();
    },
    async free() {
      await fs.rm(filler, { force: true });
    },
    async close() {
      execFileSync('umount', [root]);
    },
  };
}

async function pngFile(dir: string): Promise<Buffer> {
  const file = path.join(dir, 'still.png');
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', file);
  return fs.readFile(file);
}

const storedBlobs = async (dataDir: string) => (await blobFiles(dataDir)).filter((f) => f !== FILLER);

const diskKinds: { name: string; make: (root: string) => Disk | string }[] = [
  { name: 'injected ENOSPC', make: injectedDisk },
  { name: 'real tmpfs', make: tmpfsDisk },
];

describe.each(diskKinds)('disk full ($name)', ({ make }) => {
  let dataDir: string;
  let disk: Disk;
  let skipped: string | null = null;
  let srv: TestServer;
  let owner: TestClient;
  let boardId: string;
  let otherBoard: string;
  let conn: BoardConnection;
  let other: BoardConnection;
  let shotId: string;
  let png: Buffer;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-full-'));
    const root = path.join(dataDir, 'blobs');
    await fs.mkdir(root);
    const made = make(root);
    if (typeof made === 'string') {
      skipped = made;
      console.warn(`skipped: ${made}`);
      return;
    }
    disk = made;
    png = await pngFile(dataDir);
    srv = await startTestServer({ dataDir, app: { blobs: disk.blobs } });
    owner = (await signedUpClient(srv.url, { name: 'Producer' })).client;
    boardId = await createBoard(owner, 'Full disk');
    otherBoard = await createBoard(owner, 'Elsewhere');
    conn = connectBoard(srv.url, boardId, owner);
    other = connectBoard(srv.url, otherBoard, owner);
    await Promise.all([conn.synced(), other.synced()]);
    shotId = addShot(conn.doc, { title: 'Alley', prompt: 'rain on neon', durationSec: 2, model: 'animatic' });
    await storedShot(srv, boardId, shotId);
    await generateAndSelect(srv, owner, conn, boardId, shotId, 3);
  }, 120_000);

  afterAll(async () => {
    conn?.destroy();
    other?.destroy();
    await srv?.close();
    await disk?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** Edits on another board keep being stored while the disk is full. */
  async function otherBoardStillStores(title: string) {
    const id = addShot(other.doc, { title });
    await storedShot(srv, otherBoard, id);
  }

  it('an upload answers 507 storage full, keeps nothing, and works again once space is freed', async (ctx) => {
    if (skipped) return ctx.skip();
    const blobsBefore = await storedBlobs(dataDir);
    const assetsBefore = (await owner.get(`/api/boards/${boardId}/assets`)).body.length;
    // Several chunks are written before the disk refuses this one.
    const big = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024, 1)]);
    try {
      // Bigger than what is left, then a small file on a disk with nothing left; then (injected)
      // a file that streamed in whole but could not be placed.
      for (const [leave, bytes] of [[256 * 1024, big], [0, png]] as const) {
        await disk.fill(leave);
        const res = await upload(owner, boardId, bytes, 'still.png', 'image/png');
        expect(res.status).toBe(507);
        expect(res.body.error.code).toBe('storage_full');
        expect(res.body.error.message).toMatch(/^The server's storage is full: the file could not be saved/);
        expect(await tempFiles(dataDir)).toEqual([]);
        expect(await storedBlobs(dataDir)).toEqual(blobsBefore);
      }
      if (disk.failNextCommit) {
        await disk.free();
        disk.failNextCommit();
        const res = await upload(owner, boardId, png, 'still.png', 'image/png');
        expect(res.status).toBe(507);
        expect(await tempFiles(dataDir)).toEqual([]);
      }
      expect((await owner.get(`/api/boards/${boardId}/assets`)).body).toHaveLength(assetsBefore);
      await otherBoardStillStores('while an upload was refused');
    } finally {
      await disk.free();
    }
    const res = await upload(owner, boardId, png, 'still.png', 'image/png');
    expect(res.status).toBe(201);
    expect(await tempFiles(dataDir)).toEqual([]);
  });

  it('a sequence export answers 507 storage full, stores no half sequence, and builds once space is freed', async (ctx) => {
    if (skipped) return ctx.skip();
    const url = `/api/boards/${boardId}/export/sequence.mp4`;
    const sequenceRows = () => srv.database.db.selectFrom('assets').select('id').where('board_id', '=', boardId).where('name', 'like', 'sequence-%').execute();
    await disk.fill();
    try {
      const res = await owner.get(url);
      expect(res.status).toBe(507);
      expect(res.body.error).toMatchObject({ code: 'storage_full', message: expect.stringMatching(/^The server's storage is full: the sequence could not be saved/) });
      expect(await tempFiles(dataDir)).toEqual([]);
      expect(await sequenceRows()).toEqual([]);
      await otherBoardStillStores('while an export was refused');
    } finally {
      await disk.free();
    }
    const ok = await getBytes(owner, url);
    expect(ok.status).toBe(200);
    expect(ok.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(await sequenceRows()).toHaveLength(1);
  });

  it("a take whose files cannot be stored fails with 'storage full', leaves no asset, and the next generation works", async (ctx) => {
    if (skipped) return ctx.skip();
    // Full from the start; and (injected) full after the clip, with the poster, tail and frames still to store.
    const fills = [() => disk.fill(), ...(disk.fillAfter ? [async () => disk.fillAfter!(1)] : [])];
    for (const [i, fill] of fills.entries()) {
      await fill();
      try {
        const g = await owner.post(`/api/boards/${boardId}/shots/${shotId}/generate`, { seed: 11 + i });
        expect(g.status).toBe(202);
        const takeId: string = g.body.takeId;
        const job = await jobReaches(owner, g.body.jobId, 'failed', 90_000);
        expect(job.error).toMatch(/^storage full: /);
        const take = await waitFor(() => listTakes(conn.doc, shotId).find((t) => t.id === takeId && t.status === 'failed'), 'the failed take on the client');
        expect(take.error).toMatch(/^storage full: the server had no space left/);
        expect(take.clip ?? null).toBeNull();
        const rows = await srv.database.db.selectFrom('assets').select('id').where('name', 'like', `take-${takeId}%`).execute();
        expect(rows).toEqual([]);
        expect(await tempFiles(dataDir)).toEqual([]);
        await otherBoardStillStores('while a take could not be stored');
      } finally {
        await disk.free();
      }
    }
    // Every asset row still points at a blob that is there; what a half-stored take put in the
    // store (its clip) is unused and goes with the orphan sweep (two passes), leaving no blob behind.
    const shas = await srv.database.db.selectFrom('assets').select('sha256').execute();
    for (const { sha256 } of shas) expect(await disk.blobs.has(sha256)).toBe(true);
    const grace = 24 * 3_600_000; // uploads waiting to be placed are kept: only blobs are at stake here
    await srv.takeboard.sweepOrphans(grace);
    await srv.takeboard.sweepOrphans(grace);
    const used = new Set((await srv.database.db.selectFrom('assets').select(['sha256', 'poster_sha256']).execute()).flatMap((r) => [r.sha256, r.poster_sha256]));
    const unused: string[] = [];
    for await (const sha of disk.blobs.list()) if (!used.has(sha)) unused.push(sha);
    expect(unused).toEqual([]);
    const again = await owner.post(`/api/boards/${boardId}/shots/${shotId}/generate`, { seed: 21 });
    await jobReaches(owner, again.body.jobId, 'succeeded', 90_000);
  }, 120_000);
});

describe('a failed COMMIT in the libSQL dialect', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv.close());

  it('surfaces the COMMIT error, rolls back, and the one connection serves the next transaction', async () => {
    const db = srv.database.db;
    const { client: owner, user } = await signedUpClient(srv.url, { name: 'Owner' });
    const boardId = await createBoard(owner, 'Committed');
    const orphan = (id: string) => ({ id, board_id: 'no-such-board', sha256: 'a'.repeat(64), kind: 'image' as const, mime: 'image/png', bytes: 1, width: 1, height: 1, duration_sec: null, fps: null, name: 'x.png', origin: 'upload' as const, poster_sha256: null, created_by: user.id, created_at: Date.now() });
    // Deferred foreign keys: every statement succeeds; only COMMIT finds the missing board.
    for (const id of ['commit-1', 'commit-2', 'commit-3']) {
      const failed = db.transaction().execute(async (tx) => {
        await sql`PRAGMA defer_foreign_keys = ON`.execute(tx);
        await tx.insertInto('assets').values(orphan(id)).execute();
        await tx.updateTable('boards').set({ title: 'half-written' }).where('id', '=', boardId).execute();
      });
      await expect(failed).rejects.toThrow(/FOREIGN KEY constraint failed/);
    }
    // Nothing of them stayed, and the connection is not held by a dead transaction.
    expect(await db.selectFrom('assets').select('id').where('id', 'like', 'commit-%').execute()).toEqual([]);
    expect((await owner.get(`/api/boards/${boardId}`)).body.title).toBe('Committed');
    const renamed = await owner.request('PATCH', `/api/boards/${boardId}`, { title: 'Renamed after' });
    expect(renamed.status).toBe(200);
    await db.transaction().execute((tx) => tx.updateTable('boards').set({ title: 'In a transaction' }).where('id', '=', boardId).execute());
    expect((await owner.get(`/api/boards/${boardId}`)).body.title).toBe('In a transaction');
  });
});

describe('a board document at its size cap', () => {
  const CAP = 64 * 1024;
  let dataDir: string;
  let srv: TestServer;
  const start = async () => startTestServer({ dataDir, app: { sync: { limits: { maxDocumentBytes: CAP } } } });
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-cap-'));
    srv = await start();
  });
  afterAll(async () => {
    await srv.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const prompts = (doc: Y.Doc) => shotsInOrder(doc).map((s) => getPromptText(doc, s.id).length);

  it('refuses only the edit that would pass the cap, with the reason; everyone else, compaction and reloading carry on', async () => {
    const a = await signedUpClient(srv.url, { name: 'Writer' });
    const b = await signedUpClient(srv.url, { name: 'Editor' });
    const boardId = await createBoard(a.client, 'Capped');
    const elsewhere = await createBoard(b.client, 'Elsewhere');
    await joinWithRole(a.client, b.client, boardId, 'editor');
    const ca = connectBoard(srv.url, boardId, a.client);
    const cb = connectBoard(srv.url, boardId, b.client);
    const ce = connectBoard(srv.url, elsewhere, b.client);
    const conns = [ca, cb, ce];
    try {
      await Promise.all(conns.map((c) => c.synced()));

      // 1. One edit far past the cap: its sender is closed with the reason, nothing of it is stored.
      addShot(ca.doc, { title: 'Huge', prompt: 'x'.repeat(CAP * 2) });
      const closed = await ca.closed();
      expect(closed.code).toBe(SYNC_CLOSE.documentTooLarge);
      expect(closed.reason).toBe('this edit would take the board past its 64 KB size limit');
      expect(await srv.takeboard.hub.read(boardId, (d) => shotsInOrder(d).length)).toBe(0);
      expect(cb.closes).toEqual([]);

      // 2. Edits that fit are stored, up to the one that would pass the cap; the teammate keeps its socket.
      const chunk = 'y'.repeat(CAP / 4);
      for (let i = 0; i < 3; i++) {
        const id = addShot(cb.doc, { title: `Part ${i}`, prompt: chunk });
        await storedShot(srv, boardId, id);
      }
      expect(cb.closes).toEqual([]);
      addShot(cb.doc, { title: 'One too many', prompt: chunk });
      expect((await cb.closed()).code).toBe(SYNC_CLOSE.documentTooLarge);

      // 3. A writer reconnecting with the refused edit still in its copy is refused again, never half-stored.
      const again = connectBoard(srv.url, boardId, a.client, { doc: ca.doc });
      conns.push(again);
      expect((await again.closed()).code).toBe(SYNC_CLOSE.documentTooLarge);
      expect(await srv.takeboard.hub.read(boardId, prompts)).toEqual([CAP / 4, CAP / 4, CAP / 4]);

      // 4. Fresh copies (the banner's "discard and reload") load the board and small edits still fit.
      const fresh = connectBoard(srv.url, boardId, a.client);
      conns.push(fresh);
      await fresh.synced();
      expect(prompts(fresh.doc)).toEqual([CAP / 4, CAP / 4, CAP / 4]);
      const small = addShot(fresh.doc, { title: 'Small note', prompt: 'still editable' });
      await storedShot(srv, boardId, small);

      // 5. Deleting text makes room again: an edit the full board refused now fits.
      const first = shotsInOrder(fresh.doc)[0]!.id;
      getPromptText(fresh.doc, first).delete(0, CAP / 4);
      await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getPromptText(d, first).length === 0), 'the deletion stored');
      const refill = addShot(fresh.doc, { title: 'Fits again', prompt: chunk });
      await storedShot(srv, boardId, refill);

      // 6. Other boards are untouched; compaction works on the full board.
      const e = addShot(ce.doc, { title: 'Unaffected' });
      await storedShot(srv, elsewhere, e);
      expect(ce.closes).toEqual([]);
      await srv.takeboard.hub.flush();
      await srv.takeboard.hub.compactNow(boardId);
      const after = addShot(fresh.doc, { title: 'After compaction' });
      await storedShot(srv, boardId, after);
    } finally {
      for (const c of conns) c.destroy();
    }

    // 7. The board reloads from storage after a restart, with everything that was accepted.
    await srv.close();
    srv = await start();
    const again = new TestClient(srv.url);
    expect((await again.post('/api/auth/login', { email: b.email, password: b.password })).status).toBe(200);
    const reader = connectBoard(srv.url, boardId, again);
    try {
      await reader.synced();
      expect(shotsInOrder(reader.doc).map((s) => getShot(reader.doc, s.id)?.title)).toEqual(['Part 0', 'Part 1', 'Part 2', 'Small note', 'Fits again', 'After compaction']);
      expect(prompts(reader.doc)).toEqual([0, CAP / 4, CAP / 4, 'still editable'.length, CAP / 4, 0]);
    } finally {
      reader.destroy();
    }
  });
});
