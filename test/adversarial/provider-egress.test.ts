/**
 * Provider egress pinned. A hosted provider (the fal fake, over https as in
 * production) turns hostile: the finished clip it reports lives on loopback, on a private or
 * metadata address, behind a name that resolves to loopback, in another spelling of those, over
 * plain http, behind redirect chains, or is too big or an HTML page; one status answer redirects
 * to another host. Each job's take fails with a sentence that names what was refused, nothing is
 * ever connected to on the inside (a trap server counts connections), the key never leaves the
 * provider's own origin, and the honest jobs, the other board and the teammates carry on.
 */
import fs from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot, listTakes } from '../../shared/doc/index.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { selfSignedCert, type TestCert } from '../helpers/tls.js';
import { waitFor } from '../helpers/wait.js';
import { jobReaches } from '../generation/helpers.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { setServedVideo } from '../providers/fakes/core.js';
import { startFalFake } from '../providers/fakes/fal.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { startTestServer } from '../helpers/server.js';
import { blobFiles, startFalServer, tempFiles, type FalServer } from './helpers.js';

const CAP = 4 * 1024 * 1024;

let fx: MediaFixtures;
let cert: TestCert;
let s: FalServer;
/** Counts every TCP connection to it: nothing refused may ever get this far. */
let trap: net.Server;
let trapConnections = 0;
let trapPort = 0;
/** Another host, allowed and over https, that records the headers it was sent. */
let sink: HttpsServer;
let sinkHost = '';
const sinkSeen: { path: string; headers: Record<string, string | string[] | undefined> }[] = [];
const conns: BoardConnection[] = [];

beforeAll(async () => {
  [fx, cert] = await Promise.all([makeMediaFixtures(), selfSignedCert()]);
  setServedVideo(new Uint8Array(await fs.readFile(fx.clip)));
  trap = net.createServer((sock) => {
    trapConnections += 1;
    sock.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, '::', resolve));
  trapPort = (trap.address() as AddressInfo).port;
  sink = createHttpsServer(cert, (req, res) => {
    sinkSeen.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'IN_PROGRESS' }));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sinkHost = `127.0.0.1:${(sink.address() as AddressInfo).port}`;
  s = await startFalServer({
    tls: cert,
    egress: {
      allowHosts: [sinkHost],
      ca: cert.cert,
      // A name that resolves to loopback, as a hostile DNS zone would answer.
      resolve: async (host) => (host.endsWith('.rebind.test') ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '93.184.216.34', family: 4 }]),
    },
    app: { generation: { maxClipBytes: CAP, limits: { total: 8, perProvider: { default: 8 }, perBoard: 8 } } },
  });
}, 60_000);

afterAll(async () => {
  for (const c of conns.splice(0)) c.destroy();
  await s?.close();
  await new Promise<void>((resolve) => trap?.close(() => resolve()));
  sink?.closeAllConnections();
  await new Promise<void>((resolve) => sink?.close(() => resolve()));
  setServedVideo(null);
  await fx?.cleanup();
});

describe('provider egress', () => {
  it('refuses every inside address, plain http and bad downloads, each as a failed take in words; honest jobs finish', async () => {
    const origin = s.fake.origin;
    const hostile: Record<string, { url?: string; error: RegExp }> = {
      loopback: { url: `https://127.0.0.1:${trapPort}/clip.mp4`, error: /127\.0\.0\.1:\d+: 127\.0\.0\.1 is a loopback address/ },
      'ipv6 loopback': { url: `https://[::1]:${trapPort}/clip.mp4`, error: /::1 is a loopback address/ },
      'decimal loopback': { url: `https://2130706433:${trapPort}/clip.mp4`, error: /127\.0\.0\.1 is a loopback address/ },
      'mapped loopback': { url: `https://[::ffff:127.0.0.1]:${trapPort}/clip.mp4`, error: /loopback address \(IPv4-mapped IPv6\)/ },
      'nat64 metadata': { url: `https://[64:ff9b::a9fe:a9fe]/latest/meta-data/`, error: /cloud metadata address \(NAT64\)/ },
      metadata: { url: 'https://169.254.169.254/latest/meta-data/iam/', error: /169\.254\.169\.254 is a cloud metadata address/ },
      'metadata name': { url: 'https://metadata.google.internal/computeMetadata/v1/', error: /metadata\.google\.internal is an internal host name/ },
      private: { url: 'https://10.0.0.7/clip.mp4', error: /10\.0\.0\.7 is a private address/ },
      'name resolving to loopback': { url: `https://cdn.rebind.test:${trapPort}/clip.mp4`, error: /cdn\.rebind\.test resolves to 127\.0\.0\.1, a loopback address/ },
      'plain http': { url: `http://${s.fake.host}/files/clip.mp4`, error: /provider URLs must use https/ },
      'redirect chain to private': { url: `${origin}/hop/1`, error: /\(where it was redirected\): 192\.168\.1\.20 is a private address/ },
      'redirect loop': { url: `${origin}/loop`, error: /more than 5 redirects/ },
      oversized: { url: `${origin}/huge.mp4`, error: /larger than 4 MB/ },
      'html page': { url: `${origin}/page.mp4`, error: /not a video \(the download is an HTML page\)/ },
      // No output URL: its status answer itself never ends.
      'endless status': { error: /answered with more than 4 MB; the answer was not read/ },
    };
    const honest = ['honest one', 'honest two', 'status redirected elsewhere'];
    let hugeServed = 0;
    /** A body that repeats `chunk` for ever. */
    const endless = (chunk: Uint8Array, count = (_n: number) => {}) =>
      new Response(new ReadableStream({ pull: (c) => void (c.enqueue(chunk), count(chunk.length)) }), { headers: { 'content-type': 'application/octet-stream' } });
    const promptOf = (input: unknown) => (input as { prompt?: string }).prompt ?? '';
    const redirectedOnce = new Set<string>();
    s.fake.script({
      pollsBeforeDone: 1,
      videoUrl: (job) => hostile[promptOf(job.input)]?.url,
      intercept: (req) => {
        const path = new URL(req.url).pathname;
        if (path === '/hop/1') return Response.redirect(`${origin}/hop/2`, 302);
        if (path === '/hop/2') return Response.redirect('https://192.168.1.20/clip.mp4', 307);
        if (path === '/loop') return Response.redirect(`${origin}/loop`, 302);
        if (path === '/page.mp4') return new Response('<!DOCTYPE html><html><body>Sign in to continue</body></html>', { headers: { 'content-type': 'video/mp4' } });
        if (path === '/huge.mp4') {
          const chunk = new Uint8Array(64 * 1024);
          chunk.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]); // ....ftypisom
          return endless(chunk, (n) => (hugeServed += n));
        }
        const status = /\/requests\/([^/]+)\/status$/.exec(path);
        const job = status ? s.fake.state.jobs.get(status[1]!) : undefined;
        if (job && promptOf(job.input) === 'endless status') return endless(new TextEncoder().encode('{"status":"IN_PROGRESS","logs":[' + '"x",'.repeat(16_000)));
        // The first status read of one honest job is sent to another host: it must arrive there without the key.
        if (job && promptOf(job.input) === 'status redirected elsewhere' && !redirectedOnce.has(job.id)) {
          redirectedOnce.add(job.id);
          return Response.redirect(`https://${sinkHost}/elsewhere/status`, 307);
        }
        return undefined;
      },
    });

    const owner = await signedUpClient(s.srv.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client);
    const otherBoard = await createBoard(owner.client);
    const conn = connectBoard(s.srv.url, boardId, owner.client);
    const other = connectBoard(s.srv.url, otherBoard, owner.client);
    conns.push(conn, other);
    await Promise.all([conn.synced(), other.synced()]);
    const blobsBefore = await blobFiles(s.srv.dataDir);

    const jobs: { prompt: string; shot: string; jobId: string; takeId: string }[] = [];
    for (const prompt of [...Object.keys(hostile), ...honest]) {
      const shot = addShot(conn.doc, { title: prompt, prompt, durationSec: 4, model: 'fal:veo3' });
      await waitFor(() => s.srv.takeboard.hub.read(boardId, (d) => getShot(d, shot)), `shot "${prompt}" stored`);
      const res = await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {});
      expect(res.status, prompt).toBe(202);
      jobs.push({ prompt, shot, ...(res.body as { jobId: string; takeId: string }) });
    }

    for (const j of jobs) {
      const expected = hostile[j.prompt];
      if (!expected) {
        await jobReaches(owner.client, j.jobId, 'succeeded', 30_000);
        const take = await waitFor(() => listTakes(conn.doc, j.shot).find((t) => t.id === j.takeId && t.status === 'succeeded'), `take of "${j.prompt}"`);
        expect(take.clip, j.prompt).toBeTruthy();
        continue;
      }
      const job = await jobReaches(owner.client, j.jobId, 'failed', 30_000);
      expect(job.error, j.prompt).toMatch(expected.error);
      expect(job.error, j.prompt).toMatch(/^fal: /);
      expect(job.attempts, `${j.prompt}: a refusal is permanent, not retried`).toBe(1);
      expect(job.error).not.toMatch(/fal-test-key|\/tmp\/|\n\s+at /);
      const take = await waitFor(() => listTakes(conn.doc, j.shot).find((t) => t.id === j.takeId && t.status === 'failed'), `failed take of "${j.prompt}"`);
      expect(take.error).toBe(job.error);
      expect(take.clip).toBeUndefined();
    }

    // Nothing inside was ever connected to, whatever the spelling.
    expect(trapConnections).toBe(0);
    // The endless clip was abandoned near the cap (socket buffers on loopback hold a few MB more).
    expect(hugeServed).toBeGreaterThan(CAP);
    expect(hugeServed).toBeLessThan(16 * CAP);
    // The redirected status read reached the other host without the key (and the key did reach fal's own origin).
    expect(sinkSeen.map((x) => x.path)).toEqual(['/elsewhere/status']);
    const sent = JSON.stringify(sinkSeen[0]!.headers);
    expect(sinkSeen[0]!.headers.authorization).toBeUndefined();
    expect(sent).not.toContain(s.fake.key);
    expect(s.fake.state.credentials.has(s.fake.key)).toBe(true);
    // Only the three honest takes were stored (clip, poster, tail, last frame, tail start each at most); no partial file.
    const costs = (await owner.client.get(`/api/boards/${boardId}/costs`)).body as { spentMicroUsd: number };
    expect(costs.spentMicroUsd).toBe(3_000_000);
    expect((await blobFiles(s.srv.dataDir)).length).toBeGreaterThan(blobsBefore.length);
    expect(await tempFiles(s.srv.dataDir)).toEqual([]);

    // The other board still stores edits, and a teammate still loads the board.
    const later = addShot(other.doc, { title: 'Still here', prompt: 'after the storm', durationSec: 4 });
    await waitFor(() => s.srv.takeboard.hub.read(otherBoard, (d) => getShot(d, later)), 'edit on the other board stored');
    const teammate = await signedUpClient(s.srv.url, { name: 'Teammate' });
    expect((await teammate.client.get('/api/boards')).status).toBe(200);
  }, 90_000);

  it('does not reach a provider base URL on loopback unless it is allowed: the job fails at once, nothing is sent', async () => {
    const fake = await startFalFake();
    const srv = await startTestServer({
      app: {
        providers: createProviders({ FAL_KEY: fake.key, FAL_BASE_URL: fake.baseUrl }, { prices: { 'fal:veo3': { microUsdPerSecond: 250_000, asOf: 'test' } } }),
        generation: { pollMs: 10, retryBaseMs: 10 },
      },
    });
    try {
      const owner = await signedUpClient(srv.url, { name: 'Owner' });
      const boardId = await createBoard(owner.client);
      const conn = connectBoard(srv.url, boardId, owner.client);
      conns.push(conn);
      await conn.synced();
      const shot = addShot(conn.doc, { title: 'Loopback base', prompt: 'a quiet harbour', durationSec: 4, model: 'fal:veo3' });
      await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'shot stored');
      const g = (await owner.client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body as { jobId: string; takeId: string };
      const job = await jobReaches(owner.client, g.jobId, 'failed', 30_000);
      expect(job.error).toBe(`fal: refused to connect to ${fake.origin}: 127.0.0.1 is a loopback address, not a public address (to use it anyway, list ${fake.host} in EGRESS_ALLOW_HOSTS)`);
      expect(job.attempts).toBe(1);
      expect(fake.state.log).toEqual([]);
      const costs = (await owner.client.get(`/api/boards/${boardId}/costs`)).body as { spentMicroUsd: number; committedMicroUsd: number };
      expect(costs).toMatchObject({ spentMicroUsd: 0, committedMicroUsd: 0 });
    } finally {
      await srv.close();
      await fake.close();
    }
  }, 60_000);
});
