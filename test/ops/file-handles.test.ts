/**
 * No descriptor is left for the garbage collector: a server child runs with --trace-deprecation
 * and a GC hook (test/helpers/gc-on-signal.mjs); uploads, downloads, range reads, HEAD requests,
 * clients that leave early, posters and a sequence export go through it, then it collects garbage
 * and its stderr must hold no DEP0137 ("Closing a FileHandle object on garbage collection").
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import { createBoard, signedUpClient, type TestClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

const gcHook = fileURLToPath(new URL('../helpers/gc-on-signal.mjs', import.meta.url));
const LEAK = /DEP0137|on garbage collection/;

let fx: MediaFixtures;
let dataDir: string;
let server: ChildServer;
let owner: TestClient;

beforeAll(async () => {
  fx = await makeMediaFixtures();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-fh-'));
  server = await startChildServer({ DATA_DIR: dataDir }, { nodeArgs: ['--expose-gc', '--trace-deprecation', '--import', gcHook] });
  owner = (await signedUpClient(server.url)).client;
}, 120_000);
afterAll(async () => {
  await server?.kill('SIGTERM');
  await fx?.cleanup();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function upload(boardId: string, file: string) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
  const res = await owner.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const get = (url: string, init: RequestInit = {}) => fetch(server.url + url, { ...init, headers: { cookie: owner.cookieHeader, ...init.headers } });

/** Requests `url` and leaves: at once, after a few ms, or after the first chunk of the body. */
async function leaveEarly(url: string) {
  for (let i = 0; i < 12; i++) {
    const ac = new AbortController();
    if (i % 3 === 2) {
      await (await get(url, { signal: ac.signal })).body!.getReader().read();
      ac.abort();
    } else {
      setTimeout(() => ac.abort(), i);
      await get(url, { signal: ac.signal }).then((r) => r.body?.cancel(), () => undefined);
    }
  }
  // Requests left early may still be in the server's hands: a whole read behind them settles them.
  expect((await get(url)).status).toBe(200);
}

/** An upload whose client disconnects halfway through the body. */
function abandonUpload(boardId: string, file: string): Promise<void> {
  const bytes = fs.readFileSync(file);
  const boundary = 'takeboardboundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.mp4"\r\nContent-Type: video/mp4\r\n\r\n`;
  const total = Buffer.byteLength(head) + bytes.length + Buffer.byteLength(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve) => {
    const req = http.request(`${server.url}/api/boards/${boardId}/assets`, {
      method: 'POST',
      headers: { cookie: owner.cookieHeader, origin: server.url, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(total) },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(head);
    req.write(bytes.subarray(0, bytes.length >> 1), () => req.destroy());
  });
}

/** Collects garbage in the server and waits until it says so; finalizer warnings come before. */
async function collectGarbage() {
  const before = server.stderr.split('gc done').length;
  server.child.kill('SIGUSR2');
  await waitFor(() => server.stderr.split('gc done').length > before, 'the server to collect garbage');
}

it('closes every file it opens: no FileHandle is left for garbage collection (DEP0137)', async () => {
  const boardId = await createBoard(owner);
  const clip = await upload(boardId, fx.clip);
  const still = await upload(boardId, fx.png);
  await abandonUpload(boardId, fx.clip);

  const whole = await get(`/api/assets/${clip}`);
  expect(Buffer.from(await whole.arrayBuffer()).equals(fs.readFileSync(fx.clip))).toBe(true);
  const part = await get(`/api/assets/${clip}`, { headers: { range: 'bytes=100-4195' } });
  expect(part.status).toBe(206);
  expect((await part.arrayBuffer()).byteLength).toBe(4096);
  const head = await get(`/api/assets/${clip}`, { method: 'HEAD' });
  expect([head.status, head.headers.get('content-length')]).toEqual([200, String(fs.statSync(fx.clip).size)]);
  expect((await get(`/api/assets/${clip}`, { headers: { 'if-none-match': whole.headers.get('etag')! } })).status).toBe(304);
  await leaveEarly(`/api/assets/${clip}`);
  expect((await get(`/api/assets/${clip}/poster`)).status).toBe(200);
  expect((await get(`/api/assets/${clip}/poster`, { method: 'HEAD' })).status).toBe(200);
  await leaveEarly(`/api/assets/${still}/poster`);

  // A sequence export: one shot without a take, so a slate is rendered, stored and served.
  const conn = connectBoard(server.url, boardId, owner);
  await conn.synced();
  addShot(conn.doc, { title: 'Opening', durationSec: 1 });
  const sequence = `/api/boards/${boardId}/export/sequence.mp4`;
  await waitFor(async () => (await get(sequence)).status === 200, 'the sequence export', 60_000);
  conn.destroy();
  expect((await get(sequence, { method: 'HEAD' })).status).toBe(200);
  expect((await get(sequence, { headers: { range: 'bytes=0-99' } })).status).toBe(206);
  await leaveEarly(sequence);

  await collectGarbage();
  await collectGarbage();
  expect(server.stderr).not.toMatch(LEAK);
}, 180_000);
