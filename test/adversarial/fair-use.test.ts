/**
 * No one user can starve the rest. One account fills its storage quota, a
 * board fills its own, the disk runs down to its reserve (simulated through the app's free-space
 * dependency), one account opens 20 event streams and 20 board sockets, a slowloris sender
 * trickles its request head and another its body, and scripts brute-force sign-up, login and
 * invite links per address (through a trusted proxy and with spoofed X-Forwarded-For) and per
 * account. Each is refused with a status and a message naming what ran out, while the others
 * (teammates, other boards, live edits) carry on. Sign-up answers a taken email like a new one.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { createMedia } from '../../server/assets/media.js';
import { animaticRenderer } from '../../server/generation/local-animatic.js';
import { FFMPEG } from '../assets/media-fixtures.js';
import { createBoard, joinWithRole, signedUpClient, TestClient, uniqueEmail } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, rawSocket } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { blobFiles, capturedLogger, multipart, tempFiles, upload } from './helpers.js';

// Counts password hashing (still the real argon2): a taken email must cost the same hash as a new
// one. Its timing is a benchmark's business; the work done is what this suite can assert.
const hashing = vi.hoisted(() => ({ calls: 0 }));
vi.mock(import('../../server/auth/passwords.js'), async (original) => {
  const real = await original();
  return { ...real, hashPassword: (password: string) => (hashing.calls++, real.hashPassword(password)) };
});

const run = promisify(execFile);
const RESERVE = 64 * 1024 * 1024;
const HEADERS_TIMEOUT_MS = 2000;
const BODY_STALL_MS = 1500;
const SIGNUPS_PER_ADDRESS = 25;

let srv: TestServer;
let dir: string;
/** Four different noise pictures of (nearly) the same size. */
let files: Buffer[];
let size: number;
/** What the simulated data volume has free; the reserve is RESERVE. */
let free = Number.POSITIVE_INFINITY;
let fillWhileRendering = false;
let renders = 0;
const logged = capturedLogger('info');

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-fair-use-'));
  files = await Promise.all(
    [1, 2, 3, 4].map(async (seed) => {
      const out = path.join(dir, `noise-${seed}.png`);
      await run(FFMPEG, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=gray:s=96x96,noise=alls=90:allf=u:all_seed=${seed}`, '-frames:v', '1', out]);
      return fs.readFile(out);
    }),
  );
  size = Math.max(...files.map((f) => f.length));
  srv = await startTestServer({
    app: {
      // Two pictures fit one user's quota, three a board's.
      storage: { userQuotaBytes: Math.floor(2.5 * size), boardQuotaBytes: Math.floor(3.5 * size), reserveBytes: RESERVE, freeBytes: async () => free },
      log: logged.log,
      trustedProxies: ['127.0.0.1'],
      authRules: { signupIp: { maxFailures: SIGNUPS_PER_ADDRESS, windowMs: 3_600_000 } },
      // The animatic, filling the disk while it renders when a test asks for that.
      generation: {
        startWorker: false,
        renderLocal: async (job, out, signal) => {
          renders++;
          await animaticRenderer(createMedia())(job, out, signal);
          if (fillWhileRendering) free = RESERVE - 1;
        },
      },
      // MAX_SOCKETS_PER_USER (32 by default) at the streams' default, so both refuse from the 17th.
      sync: { limits: { maxConnectionsPerUser: 16 } },
    },
    serve: { headersTimeoutMs: HEADERS_TIMEOUT_MS, bodyStallMs: BODY_STALL_MS },
  });
}, 60_000);
afterAll(async () => {
  await srv?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function boardOf(name: string) {
  const { client, user } = await signedUpClient(srv.url, { name });
  return { client, user, boardId: await createBoard(client, `${name}'s board`) };
}

/** A live edit on `boardId` by a fresh editor's socket, stored (a new row in doc_updates). */
async function liveEditIsStored(client: TestClient, boardId: string) {
  const count = async () => Number((await srv.database.db.selectFrom('doc_updates').select((eb) => eb.fn.countAll().as('n')).where('board_id', '=', boardId).executeTakeFirstOrThrow()).n);
  const before = await count();
  const conn = connectBoard(srv.url, boardId, client);
  try {
    await conn.synced();
    addShot(conn.doc, { title: 'Still stored' });
    await waitFor(async () => {
      await srv.takeboard.hub.flush();
      return (await count()) > before;
    }, 'the live edit to be stored');
  } finally {
    conn.destroy();
  }
}

describe('storage quotas', () => {
  it('refuses the upload past one user’s quota with 507 naming it, streamed or declared, while a teammate still uploads', async () => {
    const a = await boardOf('Filler');
    expect((await upload(a.client, a.boardId, files[0]!, 'one.png')).status).toBe(201);
    expect((await upload(a.client, a.boardId, files[1]!, 'two.png')).status).toBe(201);
    const blobsBefore = await blobFiles(srv.dataDir);

    const declared = await upload(a.client, a.boardId, files[2]!, 'three.png');
    expect(declared.status).toBe(507);
    expect(declared.body.error.code).toBe('storage_full');
    expect(declared.body.error.message).toMatch(/^Your files use \d+(\.\d)? KB of your \d+(\.\d)? KB quota: this one needs/);

    // No Content-Length: the body streams in 16 KB chunks, 4 MB of it behind a PNG head. The
    // server stops writing at what the quota leaves (half a picture), not at the end of the body.
    const left = Math.floor(2.5 * size) - files[0]!.length - files[1]!.length;
    const head = multipart(Buffer.concat([files[3]!.subarray(0, 64), Buffer.alloc(4 * 1024 * 1024, 7)]), 'form-data; name="file"; filename="big.png"', 'image/png');
    let largestTemp = 0;
    let streaming = true;
    const watch = (async () => {
      while (streaming) {
        for (const name of await tempFiles(srv.dataDir)) {
          const st = await fs.stat(path.join(srv.dataDir, 'blobs', 'tmp', name)).catch(() => null);
          largestTemp = Math.max(largestTemp, st?.size ?? 0);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const chunks = (async function* () {
      for (let i = 0; i < head.body.length; i += 16 * 1024) yield head.body.subarray(i, i + 16 * 1024);
    })();
    const res = await fetch(`${srv.url}/api/boards/${a.boardId}/assets`, {
      method: 'POST',
      headers: { origin: srv.origin, cookie: a.client.cookieHeader, 'content-type': head.contentType },
      body: webStream(chunks),
      duplex: 'half',
    } as RequestInit);
    streaming = false;
    await watch;
    expect(res.status).toBe(507);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^Your files use .* of your .* quota/);
    expect(largestTemp).toBeLessThanOrEqual(left + 64 * 1024);
    expect(await tempFiles(srv.dataDir)).toEqual([]);
    expect(await blobFiles(srv.dataDir)).toEqual(blobsBefore);

    // Someone else, on their own board, is not affected.
    const b = await boardOf('Teammate');
    expect((await upload(b.client, b.boardId, files[2]!, 'three.png')).status).toBe(201);
  });

  it('refuses the upload past a board’s quota with 507 naming the board, and its uploader still uploads elsewhere', async () => {
    const c = await boardOf('SharedOwner');
    const d = await boardOf('SharedEditor');
    await joinWithRole(c.client, d.client, c.boardId, 'editor');
    expect((await upload(c.client, c.boardId, files[0]!, 'a.png')).status).toBe(201);
    expect((await upload(c.client, c.boardId, files[1]!, 'b.png')).status).toBe(201);
    expect((await upload(d.client, c.boardId, files[2]!, 'c.png')).status).toBe(201);
    const over = await upload(d.client, c.boardId, files[3]!, 'd.png');
    expect(over.status).toBe(507);
    expect(over.body.error.message).toMatch(/^This board's files use \d+(\.\d)? KB of its \d+(\.\d)? KB quota/);
    expect((await upload(d.client, d.boardId, files[3]!, 'd.png')).status).toBe(201);
  });
});

describe('a nearly full disk', () => {
  it('refuses uploads, generations and exports with 507 "storage full" while live edits on every board are still stored', async () => {
    const e = await boardOf('Disk');
    const other = await boardOf('OtherBoard');
    let shotId = '';
    await srv.takeboard.hub.change(e.boardId, (doc) => {
      shotId = addShot(doc, { title: 'A shot', prompt: 'a cat', model: 'animatic', durationSec: 2 });
    });
    // The job is queued while there is room; the disk fills before the worker stores its take.
    const queued = await e.client.post(`/api/boards/${e.boardId}/shots/${shotId}/generate`, {});
    expect(queued.status).toBe(202);
    try {
      // Less left above the reserve than one picture: the upload stops before it eats into it.
      free = RESERVE + Math.floor(size / 2);
      const upTooBig = await upload(e.client, e.boardId, files[0]!, 'a.png');
      expect(upTooBig.status).toBe(507);
      expect(upTooBig.body.error.message).toMatch(/^Storage full: the server keeps its last 64 MB free/);

      free = RESERVE - 1;
      const generate = await e.client.post(`/api/boards/${e.boardId}/shots/${shotId}/generate`, {});
      expect(generate.status).toBe(507);
      expect(generate.body.error).toMatchObject({ code: 'storage_full' });
      const exported = await e.client.get(`/api/boards/${e.boardId}/export/sequence.mp4`);
      expect(exported.status).toBe(507);
      expect(exported.body.error.message).toMatch(/^Storage full/);

      const assetsBefore = await srv.database.db.selectFrom('assets').select('id').where('board_id', '=', e.boardId).execute();
      const finished = (jobId: string) =>
        waitFor(async () => {
          const job = await srv.database.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
          return job?.status === 'failed' || job?.status === 'succeeded' ? job : null;
        }, 'the job to finish', 60_000);
      // Queued before the disk filled: it fails before rendering, with the reason.
      srv.takeboard.worker.start();
      expect(await finished(queued.body.jobId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Storage full/) });
      expect(renders).toBe(0);
      // Started with room, the disk filling while it renders: it fails before storing its files.
      free = Number.POSITIVE_INFINITY;
      fillWhileRendering = true;
      const second = await e.client.post(`/api/boards/${e.boardId}/shots/${shotId}/generate`, {});
      expect(second.status).toBe(202);
      expect(await finished(second.body.jobId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Storage full/) });
      expect(renders).toBe(1);
      expect(await srv.database.db.selectFrom('assets').select('id').where('board_id', '=', e.boardId).execute()).toEqual(assetsBefore);

      // Live edits are a few bytes each, stored whatever the reserve: on this board and another.
      await liveEditIsStored(e.client, e.boardId);
      await liveEditIsStored(other.client, other.boardId);
    } finally {
      free = Number.POSITIVE_INFINITY;
      fillWhileRendering = false;
      await srv.takeboard.worker.stop();
    }
    expect((await upload(e.client, e.boardId, files[0]!, 'a.png')).status).toBe(201);
  }, 90_000);
});

describe('open streams and sockets per user', () => {
  it('refuses a user’s event streams past 16 with 429 and a reason, gives the slot back when one closes, and leaves another user alone', async () => {
    const f = await boardOf('Streamer');
    const g = await boardOf('Neighbour');
    const open = (who: { client: TestClient; boardId: string }, kind: 'events' | 'export/events') => {
      const ctl = new AbortController();
      const res = fetch(`${srv.url}/api/boards/${who.boardId}/${kind}`, { headers: { cookie: who.client.cookieHeader }, signal: ctl.signal });
      return res.then((r) => ({ status: r.status, r, abort: () => ctl.abort() }));
    };
    const streams = [];
    for (let i = 0; i < 20; i++) streams.push(await open(f, i % 2 ? 'events' : 'export/events'));
    try {
      expect(streams.map((s) => s.status)).toEqual([...Array(16).fill(200), ...Array(4).fill(429)]);
      expect(((await streams[19]!.r.json()) as { error: { message: string } }).error.message).toMatch(/16 live event streams open, the most one account may hold/);
      const neighbour = await open(g, 'events');
      expect(neighbour.status).toBe(200);
      neighbour.abort();

      streams[0]!.abort();
      const again = await waitFor(async () => {
        const s = await open(f, 'events');
        return s.status === 200 ? s : null;
      }, 'a slot to come back once a stream closes');
      streams.push(again);
    } finally {
      for (const s of streams) s.abort();
    }
  });

  it('refuses a user’s board sockets past 16 with a close code the client shows, and leaves the others and another user alone', async () => {
    const f = await boardOf('Socketeer');
    const g = await boardOf('OtherSocketUser');
    const sockets = Array.from({ length: 20 }, () => rawSocket(srv.url, f.boardId, f.client));
    try {
      await Promise.all(sockets.map((s) => s.opened()));
      await waitFor(() => sockets.filter((s) => s.closed).length === 4 && sockets.filter((s) => !s.closed && s.messages.length > 0).length === 16, '16 sockets served and 4 refused');
      for (const s of sockets.filter((x) => x.closed)) {
        expect(s.closed!.code).toBe(SYNC_CLOSE.tooManyConnections);
        expect(s.closed!.reason).toMatch(/16 live board connections open, the most one account may hold/);
      }
      const theirs = rawSocket(srv.url, g.boardId, g.client);
      await theirs.opened();
      await waitFor(() => theirs.messages.length > 0, 'another user to be served');
      expect(theirs.closed).toBeNull();
      theirs.ws.close();
      // Refusing is not misbehaving: the user's session is not held off afterwards.
      for (const s of sockets) s.ws.close();
      await waitFor(() => sockets.every((s) => s.closed), 'the sockets to close');
      const later = rawSocket(srv.url, f.boardId, f.client);
      await later.opened();
      await waitFor(() => later.messages.length > 0, 'a new socket once the others closed');
      later.ws.close();
    } finally {
      for (const s of sockets) s.ws.terminate();
    }
  });
});

describe('slow senders', () => {
  /** A raw connection: resolves when the server drops it, with how long that took. */
  function slowSender(first: string, trickle: string, everyMs: number) {
    const url = new URL(srv.url);
    const s = net.connect(Number(url.port), '127.0.0.1');
    s.on('error', () => {});
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    s.once('connect', () => {
      s.write(first);
      timer = setInterval(() => s.writable && s.write(trickle), everyMs);
    });
    s.on('data', () => {});
    return new Promise<number>((resolve) =>
      s.once('close', () => {
        clearInterval(timer);
        resolve(performance.now() - t0);
      }),
    );
  }

  it('drops a slowloris head and a trickled body within seconds while others are served', async () => {
    const host = new URL(srv.url).host;
    const head = slowSender(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\n`, 'X-Slow: 1\r\n', 200);
    const body = slowSender(
      `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${srv.origin}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"email":"`,
      'aaaaaaaa',
      200,
    );
    expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
    // Kept sending all along: dropped for being too slow, not for going quiet.
    expect(await head).toBeLessThan(HEADERS_TIMEOUT_MS + 2500);
    expect(await body).toBeLessThan(BODY_STALL_MS + 2500);
    // A dropped sender is not logged as a server error (anyone could fill the log that way).
    await waitFor(() => logged.lines.some((l) => l.includes('request body cut off by the client')), 'the drop to be logged');
    expect(logged.lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
  });

  it('keeps a long upload whose bytes keep flowing, past several stall windows', async () => {
    const h = await boardOf('SlowLink');
    const mp = multipart(files[0]!, 'form-data; name="file"; filename="slow.png"', 'image/png');
    const url = new URL(srv.url);
    const t0 = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: url.port,
        method: 'POST',
        path: `/api/boards/${h.boardId}/assets`,
        headers: { origin: srv.origin, cookie: h.client.cookieHeader, 'content-type': mp.contentType, 'content-length': mp.body.length },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      // About 3 KB every 100 ms: far above the 1 KB a stall window asks, far below a fast link.
      const chunk = Math.ceil(mp.body.length / ((3 * BODY_STALL_MS) / 100));
      let at = 0;
      const tick = setInterval(() => {
        req.write(mp.body.subarray(at, at + chunk));
        at += chunk;
        if (at >= mp.body.length) {
          clearInterval(tick);
          req.end();
        }
      }, 100);
    });
    expect(status).toBe(201);
    expect(performance.now() - t0).toBeGreaterThan(2 * BODY_STALL_MS);
  }, 30_000);
});

/** A POST from a chosen loopback address (127.0.0.2 is not a trusted proxy) with chosen headers. */
function postFrom(localAddress: string, pathname: string, body: unknown, headers: Record<string, string> = {}) {
  const url = new URL(srv.url);
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: url.port, localAddress, method: 'POST', path: pathname, headers: { origin: srv.origin, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
const randomIp = () => `203.0.113.${crypto.randomInt(1, 255)}`;
const signupBody = (email = uniqueEmail('spray')) => ({ email, password: 'a long password', name: 'Spray' });

describe('brute force, per address and per account', () => {
  it('throttles failed logins per address as a trusted proxy reports it, and not the address next to it', async () => {
    const victim = await signedUpClient(srv.url, { name: 'Victim' });
    const attacker = new TestClient(srv.url);
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': `10.1.1.1, ${ip}` } });
    for (let i = 0; i < 30; i++) {
      const res = await attacker.request('POST', '/api/auth/login', { email: uniqueEmail('guess'), password: 'wrong password' }, from('203.0.113.9'));
      expect(res.status).toBe(401);
    }
    const blocked = await attacker.request('POST', '/api/auth/login', { email: victim.email, password: victim.password }, from('203.0.113.9'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const neighbour = await new TestClient(srv.url).request('POST', '/api/auth/login', { email: victim.email, password: victim.password }, from('203.0.113.10'));
    expect(neighbour.status).toBe(200);
  });

  it('throttles sign-ups per address, ignoring X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    for (let i = 0; i < SIGNUPS_PER_ADDRESS; i++) {
      expect((await postFrom('127.0.0.2', '/api/auth/signup', signupBody(), { 'x-forwarded-for': randomIp() })).status).toBe(201);
    }
    const refused = await postFrom('127.0.0.2', '/api/auth/signup', signupBody(), { 'x-forwarded-for': randomIp() });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/^Too many sign-ups\. Try again in \d+ minute/);
    expect((await postFrom('127.0.0.3', '/api/auth/signup', signupBody())).status).toBe(201);
  });

  it('throttles sign-ups per email, taken or not, the same way', async () => {
    for (const email of [(await signedUpClient(srv.url)).email, uniqueEmail('fresh')]) {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await postFrom('127.0.0.4', '/api/auth/signup', signupBody(email))).status);
      // The taken email had one sign-up already (its own).
      expect(answers.filter((s) => s === 201).length).toBeLessThanOrEqual(5);
      expect(answers.at(-1)).toBe(429);
    }
  });

  it('throttles invite links that do not work, per account and per address; a teammate still redeems the real one', async () => {
    const owner = await boardOf('Inviter');
    const token = (await owner.client.post(`/api/boards/${owner.boardId}/invites`, { role: 'editor' })).body.token as string;
    const guesser = (await signedUpClient(srv.url, { name: 'Guesser' })).client;
    for (let i = 0; i < 10; i++) expect((await guesser.post(`/api/invites/${crypto.randomBytes(24).toString('base64url')}/accept`)).status).toBe(404);
    const held = await guesser.post(`/api/invites/${token}/accept`);
    expect(held.status).toBe(429);
    expect(held.body.error.message).toMatch(/^Too many invite links that did not work/);
    const teammate = (await signedUpClient(srv.url, { name: 'Invitee' })).client;
    expect((await teammate.post(`/api/invites/${token}/accept`)).status).toBe(200);

    const anon = new TestClient(srv.url);
    const from = { headers: { 'x-forwarded-for': '203.0.113.77' } };
    for (let i = 0; i < 30; i++) expect((await anon.request('GET', `/api/invites/${crypto.randomBytes(24).toString('base64url')}`, undefined, from)).status).toBe(404);
    expect((await anon.request('GET', `/api/invites/${token}`, undefined, from)).status).toBe(429);
    expect((await anon.request('GET', `/api/invites/${token}`, undefined, { headers: { 'x-forwarded-for': '203.0.113.78' } })).status).toBe(200);
  });
});

describe('sign-up does not tell which emails have accounts', () => {
  it('answers a taken email with the same status, body shape and cookie as a new one, after the same password hashing', async () => {
    const xff = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    const taken: string[] = [];
    for (let i = 0; i < 8; i++) {
      const email = uniqueEmail('taken');
      expect((await new TestClient(srv.url).request('POST', '/api/auth/signup', signupBody(email), xff('198.51.100.1'))).status).toBe(201);
      taken.push(email);
    }
    const shape = (r: { status: number; headers: Headers; body: any }) => ({
      status: r.status,
      keys: Object.keys(r.body).sort(),
      cookie: r.headers.getSetCookie().map((c) => c.replace(/^takeboard_session=[A-Za-z0-9_-]+;/, 'takeboard_session=<token>;').replace(/Max-Age=\d+/, 'Max-Age=<seconds>')),
    });
    const hashes = { taken: [] as number[], fresh: [] as number[] };
    const tokenLengths = new Set<number>();
    for (let i = 0; i < taken.length; i++) {
      for (const kind of i % 2 ? (['taken', 'fresh'] as const) : (['fresh', 'taken'] as const)) {
        const email = kind === 'taken' ? taken[i]! : uniqueEmail('fresh');
        const before = hashing.calls;
        const res = await new TestClient(srv.url).request('POST', '/api/auth/signup', { ...signupBody(email), name: 'Same Name' }, xff('198.51.100.2'));
        hashes[kind].push(hashing.calls - before);
        expect(shape(res)).toEqual({ status: 201, keys: ['city', 'email', 'id', 'name'], cookie: [expect.stringMatching(/^takeboard_session=<token>; Max-Age=<seconds>; Path=\/; HttpOnly; SameSite=Lax$/)] });
        tokenLengths.add(res.headers.getSetCookie()[0]!.split(';')[0]!.length);
        expect(res.body).toMatchObject({ email, name: 'Same Name', city: null });
      }
    }
    expect(tokenLengths.size).toBe(1);
    // One argon2 hash per answer either way (skipping it for a taken email would show in the latency).
    expect(hashes).toEqual({ taken: Array(taken.length).fill(1), fresh: Array(taken.length).fill(1) });
  });
});

/** An async iterable as a web ReadableStream (a request body with no Content-Length). */
function webStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(ctl) {
      const { value, done } = await it.next();
      if (done) ctl.close();
      else ctl.enqueue(value);
    },
  });
}
