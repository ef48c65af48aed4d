import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, joinWithRole, signedUpClient, TestClient } from '../helpers/http.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';

let srv: TestServer;
let fx: MediaFixtures;
let owner: Awaited<ReturnType<typeof signedUpClient>>;
let boardId: string;

beforeAll(async () => {
  fx = await makeMediaFixtures();
  srv = await startTestServer({ app: { assetLimits: { imageMaxBytes: 2 * 1024 * 1024, videoMaxBytes: 8 * 1024 * 1024, audioMaxBytes: 1024 * 1024 } } });
  owner = await signedUpClient(srv.url, { name: 'Owner' });
  boardId = await createBoard(owner.client);
}, 60_000);
afterAll(async () => {
  await srv.close();
  await fx.cleanup();
});

async function upload(client: TestClient, board: string, file: string | Buffer, name = path.basename(typeof file === 'string' ? file : 'blob.bin')) {
  const bytes = typeof file === 'string' ? await fs.readFile(file) : file;
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  return client.request('POST', `/api/boards/${board}/assets`, undefined, { raw: form });
}

describe('uploads', () => {
  it('stores an image and a video with their probed figures', async () => {
    const img = await upload(owner.client, boardId, fx.jpeg);
    expect(img.status).toBe(201);
    expect(img.body).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 1920, height: 1080, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const vid = await upload(owner.client, boardId, fx.clip);
    expect(vid.status).toBe(201);
    expect(vid.body).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 320, height: 240 });
    expect(vid.body.durationSec).toBeCloseTo(10, 0);
    for (const f of [fx.png, fx.webp, fx.webm, fx.mov]) expect((await upload(owner.client, boardId, f)).status).toBe(201);
  });

  it('deduplicates the same bytes within a board', async () => {
    const a = await upload(owner.client, boardId, fx.png, 'first.png');
    const b = await upload(owner.client, boardId, fx.png, 'second name.png');
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
  });

  it('refuses a renamed text file and a truncated mp4 with 415 and a clear message', async () => {
    const text = await upload(owner.client, boardId, fx.textAsMp4, 'clip.mp4');
    expect(text.status).toBe(415);
    expect(text.body.error.message).toMatch(/not a PNG, JPEG or WebP image, an MP4, MOV or WebM video, or a WAV/);
    const cut = await upload(owner.client, boardId, fx.truncatedMp4, 'cut.mp4');
    expect(cut.status).toBe(415);
    expect(cut.body.error.message).toMatch(/refused/);
    expect((await owner.client.get(`/api/boards/${boardId}/assets`)).body.map((a: any) => a.name)).not.toContain('cut.mp4');
  });

  it('refuses an oversize file with 413 and keeps nothing of it', async () => {
    // a valid PNG header followed by 3 MB: past the 2 MB image limit of this server
    const head = (await fs.readFile(fx.png)).subarray(0, 64);
    const big = Buffer.concat([head, Buffer.alloc(3 * 1024 * 1024, 7)]);
    const res = await upload(owner.client, boardId, big, 'huge.png');
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/2 MB/);
    const tmp = path.join(srv.dataDir, 'blobs', 'tmp');
    const left = await fs.readdir(tmp).catch(() => []);
    expect(left).toEqual([]);
  });

  it('keeps path-like and NUL-bearing names harmless', async () => {
    const res = await upload(owner.client, boardId, fx.webpLossless, '../../etc/passwd.webp');
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('passwd.webp');
    const nul = await upload(owner.client, boardId, fx.webpAlpha, 'a\u0000b.webp');
    expect([201, 400]).toContain(nul.status);
    if (nul.status === 201) expect(nul.body.name).toBe('ab.webp');
    else expect(nul.body.error.message).toMatch(/multipart|file/i);
    const get = await owner.client.get(`/api/assets/${res.body.id}`);
    expect(get.headers.get('content-disposition')).toBe(`inline; filename="passwd.webp"; filename*=UTF-8''passwd.webp`);
  });

  it('lets editors upload but not viewers or strangers', async () => {
    const editor = await signedUpClient(srv.url);
    const viewer = await signedUpClient(srv.url);
    const stranger = await signedUpClient(srv.url);
    await joinWithRole(owner.client, editor.client, boardId, 'editor');
    await joinWithRole(owner.client, viewer.client, boardId, 'viewer');
    expect((await upload(editor.client, boardId, fx.webpAlpha)).status).toBe(201);
    expect((await upload(viewer.client, boardId, fx.webpAlpha)).status).toBe(403);
    expect((await upload(stranger.client, boardId, fx.webpAlpha)).status).toBe(404);
    expect((await upload(new TestClient(srv.url), boardId, fx.webpAlpha)).status).toBe(401);
  });

  it('answers a request with no file field with 400', async () => {
    const form = new FormData();
    form.set('other', 'x');
    const res = await owner.client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('file');
  });
});

describe('listing a board’s assets', () => {
  it('lists every member’s uploads by their file names and origin, to members only, of that board only', async () => {
    const board = await createBoard(owner.client);
    const other = await createBoard(owner.client);
    const teammate = await signedUpClient(srv.url);
    const viewer = await signedUpClient(srv.url);
    await joinWithRole(owner.client, teammate.client, board, 'editor');
    await joinWithRole(owner.client, viewer.client, board, 'viewer');
    const mine = await upload(owner.client, board, fx.jpeg, 'plate.jpg');
    const theirs = await upload(teammate.client, board, fx.png, 'teammate sketch.png');
    await upload(owner.client, other, fx.webp, 'elsewhere.webp');
    const listed = (await viewer.client.get(`/api/boards/${board}/assets`)).body as { id: string; name: string; origin: string }[];
    expect(listed.map((a) => [a.id, a.name, a.origin]).sort()).toEqual(
      [
        [mine.body.id, 'plate.jpg', 'upload'],
        [theirs.body.id, 'teammate sketch.png', 'upload'],
      ].sort(),
    );
    const stranger = await signedUpClient(srv.url);
    expect((await stranger.client.get(`/api/boards/${board}/assets`)).status).toBe(404);
    expect((await new TestClient(srv.url).get(`/api/boards/${board}/assets`)).status).toBe(401);
  });
});

describe('reading assets', () => {
  it('serves bytes with Range (206, 416), type, ETag and 304', async () => {
    const vid = (await upload(owner.client, boardId, fx.clip)).body;
    const whole = await fs.readFile(fx.clip);
    const full = await fetch(`${srv.url}/api/assets/${vid.id}`, { headers: { cookie: owner.client.cookieHeader } });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await full.arrayBuffer()).equals(whole)).toBe(true);

    const part = await fetch(`${srv.url}/api/assets/${vid.id}`, { headers: { cookie: owner.client.cookieHeader, range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);

    const tail = await fetch(`${srv.url}/api/assets/${vid.id}`, { headers: { cookie: owner.client.cookieHeader, range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 10))).toBe(true);

    const bad = await fetch(`${srv.url}/api/assets/${vid.id}`, { headers: { cookie: owner.client.cookieHeader, range: `bytes=${whole.length}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${whole.length}`);

    const etag = full.headers.get('etag')!;
    const again = await fetch(`${srv.url}/api/assets/${vid.id}`, { headers: { cookie: owner.client.cookieHeader, 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('makes a poster once and serves it as JPEG', async () => {
    const vid = (await upload(owner.client, boardId, fx.webm)).body;
    const first = await fetch(`${srv.url}/api/assets/${vid.id}/poster`, { headers: { cookie: owner.client.cookieHeader } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const row = await srv.database.db.selectFrom('assets').select('poster_sha256').where('id', '=', vid.id).executeTakeFirstOrThrow();
    expect(row.poster_sha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await fetch(`${srv.url}/api/assets/${vid.id}/poster`, { headers: { cookie: owner.client.cookieHeader } });
    expect(second.headers.get('etag')).toBe(`"${row.poster_sha256}"`);
  });

  it('answers 404 to non-members and for unknown ids alike', async () => {
    const img = (await upload(owner.client, boardId, fx.png)).body;
    const stranger = await signedUpClient(srv.url);
    const a = await stranger.client.get(`/api/assets/${img.id}`);
    const b = await stranger.client.get(`/api/assets/nope`);
    expect(a.status).toBe(404);
    expect(a.body).toEqual(b.body);
    expect((await stranger.client.get(`/api/assets/${img.id}/poster`)).status).toBe(404);
    expect((await new TestClient(srv.url).get(`/api/assets/${img.id}`)).status).toBe(401);
  });
});

describe('orphan cleanup', () => {
  it('removes uploads nothing uses, keeps the ones a shot or reference uses', async () => {
    const { connectBoard } = await import('../helpers/sync.js');
    const { addShot, createReference, addReferenceVersion, getShot } = await import('../../shared/doc/index.js');
    const { waitFor } = await import('../helpers/wait.js');
    const { referencedAssets } = await import('../../server/assets/orphans.js');
    const own = await startTestServer({ app: { orphans: { everyMs: 0 } } });
    const { client } = await signedUpClient(own.url);
    const board = await createBoard(client, 'Orphans');
    const used1 = (await upload(client, board, fx.png)).body;
    const used2 = (await upload(client, board, fx.jpeg)).body;
    const unused = (await upload(client, board, fx.webp)).body;
    const conn = connectBoard(own.url, board, client);
    await conn.synced();
    const shot = addShot(conn.doc, { title: 'uses a frame', mode: 'image', startFrame: used1.id });
    const ref = createReference(conn.doc, { kind: 'character', name: 'Mara' });
    addReferenceVersion(conn.doc, ref, { beat: 'act 1', assets: [used2.id] });
    // Stored on the server, not just sent: the write happens on another thread, concurrently with the sweep.
    await waitFor(() => own.takeboard.hub.read(board, (d) => getShot(d, shot) && referencedAssets(d).has(used2.id)), 'the edits to be stored');

    expect((await own.takeboard.sweepOrphans(60_000)).assets).toBe(0); // all still fresh
    const first = await own.takeboard.sweepOrphans(0);
    expect(first.assets).toBe(1);
    const ids = (await client.get(`/api/boards/${board}/assets`)).body.map((a: any) => a.id);
    expect(ids).toContain(used1.id);
    expect(ids).toContain(used2.id);
    expect(ids).not.toContain(unused.id);
    // its bytes go on the next sweep, once nothing has claimed them in between
    await own.takeboard.sweepOrphans(0);
    expect((await client.get(`/api/assets/${unused.id}`)).status).toBe(404);
    expect((await client.get(`/api/assets/${used1.id}`)).status).toBe(200);
    conn.destroy();
    await own.close();
  });
});
