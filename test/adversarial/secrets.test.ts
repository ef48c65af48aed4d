/**
 * Provider keys never leave the server. Every hosted provider is pointed at
 * its local fake, once with the right keys (jobs succeed) and once with wrong ones (every call is
 * a 401, and the fakes echo the credential they were shown back in the body). Then every answer
 * of every GET route, the job views, the SSE events, the board document, and every log line at
 * info level are searched for every key and every credential a fake saw (Kling's JWTs included).
 * Finally the client bundle is built with the keys in the environment and searched too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot } from '../../shared/doc/index.js';
import type { ModelInfo } from '../../shared/generation/types.js';
import { PROVIDER_ENV_KEYS } from '../../server/config.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { makeMediaFixtures, type MediaFixtures } from '../assets/media-fixtures.js';
import { allowFakes, setServedVideo, type FakeHandle } from '../providers/fakes/core.js';
import { startArkFake } from '../providers/fakes/ark.js';
import { startFalFake } from '../providers/fakes/fal.js';
import { startKlingFake, type KlingFake } from '../providers/fakes/kling.js';
import { startReplicateFake } from '../providers/fakes/replicate.js';
import { startRunwayFake } from '../providers/fakes/runway.js';
import { startVeoFake } from '../providers/fakes/veo.js';
import { startVertexFake, type VertexFake } from '../providers/fakes/vertex.js';
import { generateKeyPairSync } from 'node:crypto';
import { capturedLogger } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let fx: MediaFixtures;
let fakes: { ark: FakeHandle; fal: FakeHandle; kling: KlingFake; replicate: FakeHandle; runway: FakeHandle; veo: FakeHandle; vertex: VertexFake };

beforeAll(async () => {
  fx = await makeMediaFixtures();
  setServedVideo(new Uint8Array(fs.readFileSync(fx.clip)));
  const [ark, fal, kling, replicate, runway, veo, vertex] = await Promise.all([startArkFake(), startFalFake(), startKlingFake(), startReplicateFake(), startRunwayFake(), startVeoFake(), startVertexFake()]);
  fakes = { ark: ark!, fal: fal!, kling: kling!, replicate: replicate!, runway: runway!, veo: veo!, vertex: vertex! };
}, 60_000);
afterAll(async () => {
  setServedVideo(null);
  for (const f of Object.values(fakes ?? {})) await f.close();
  await fx?.cleanup();
});

/** Provider env for every hosted provider, each pointed at its fake, with `keys` as credentials. */
function providerEnv(keys: Record<string, string>) {
  return {
    ...keys,
    ARK_BASE_URL: fakes.ark.baseUrl,
    FAL_BASE_URL: fakes.fal.baseUrl,
    KLING_BASE_URL: fakes.kling.baseUrl,
    REPLICATE_BASE_URL: fakes.replicate.baseUrl,
    RUNWAYML_BASE_URL: fakes.runway.baseUrl,
    GEMINI_BASE_URL: fakes.veo.baseUrl,
    // Where Vertex is, for which project and storage: settings, not secrets.
    VERTEX_BASE_URL: fakes.vertex.baseUrl,
    VERTEX_STORAGE_BASE_URL: fakes.vertex.origin,
    VERTEX_PROJECT: fakes.vertex.project,
    VERTEX_LOCATION: fakes.vertex.location,
    VERTEX_OUTPUT_GCS_URI: fakes.vertex.outputGcsUri,
  };
}

function rightKeys() {
  return {
    ARK_API_KEY: fakes.ark.key,
    FAL_KEY: fakes.fal.key,
    KLING_ACCESS_KEY: fakes.kling.accessKey,
    KLING_SECRET_KEY: fakes.kling.secretKey,
    REPLICATE_API_TOKEN: fakes.replicate.key,
    REPLICATE_WEBHOOK_SECRET: 'whsec_dGVzdC13ZWJob29rLXNlY3JldC0xMjM0NQ==',
    RUNWAYML_API_SECRET: fakes.runway.key,
    GEMINI_API_KEY: fakes.veo.key,
    VERTEX_SERVICE_ACCOUNT_JSON: fakes.vertex.serviceAccountJson,
  };
}

const canary = (name: string) => `canary-${name.toLowerCase().replace(/_/g, '-')}-${process.pid}-7f3k9q`;
function wrongKeys() {
  // A service-account key must be a key file to start the server at all: a wrong one is another account's.
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  const vertex = JSON.stringify({ ...JSON.parse(fakes.vertex.serviceAccountJson), client_email: `${canary('vertex-account')}@x.iam.gserviceaccount.com`, private_key: other });
  return { ...Object.fromEntries(Object.keys(rightKeys()).map((k) => [k, canary(k)])), VERTEX_SERVICE_ACCOUNT_JSON: vertex };
}

/** Everything that must never be seen: the configured keys and every credential a fake was shown. */
function secretsOf(keys: Record<string, string>): string[] {
  const seen = Object.values(fakes).flatMap((f) => [...f.state.credentials]);
  return [...new Set([...Object.values(keys), ...seen])].filter((s) => s.length >= 8);
}

function expectNoSecret(where: string, text: string, secrets: string[]) {
  for (const s of secrets) {
    if (text.includes(s)) throw new Error(`${where} contains the secret ${s.slice(0, 6)}…: …${text.slice(Math.max(0, text.indexOf(s) - 80), text.indexOf(s) + s.length + 20)}…`);
  }
}

/** One model per hosted provider that can take a plain text shot on a 16:9 board. */
function pickModels(models: (ModelInfo & { available: boolean })[]): ModelInfo[] {
  const byProvider = new Map<string, ModelInfo>();
  for (const m of models) {
    if (!m.available || m.provider === 'animatic' || byProvider.has(m.provider)) continue;
    if (m.modes.includes('text') && m.aspectRatios.includes('16:9')) byProvider.set(m.provider, m);
  }
  return [...byProvider.values()];
}

function durationOf(m: ModelInfo): number {
  const d = m.durations as { kind: string; min?: number; values?: number[] };
  return d.kind === 'range' ? Math.max(d.min!, 4) : d.values![0]!;
}

/**
 * Runs one text job on every hosted provider and waits for each to end; meanwhile listens to
 * the board's SSE events. Returns everything a client could have seen, and the server's log.
 */
async function runEveryProvider(keys: Record<string, string>) {
  const { log, lines } = capturedLogger('info');
  const providers = createProviders(providerEnv(keys), { requestTimeoutMs: 2_000, ...allowFakes(...Object.values(fakes)) });
  const srv: TestServer = await startTestServer({ app: { log, providers, generation: { pollMs: 10, retryBaseMs: 10, maxAttempts: 2 } } });
  const seen: string[] = [];
  try {
    const { client: owner } = await signedUpClient(srv.url, { name: 'Owner' });
    const boardId = await createBoard(owner);
    const events = await fetch(`${srv.url}/api/boards/${boardId}/events`, { headers: { cookie: owner.cookieHeader } });
    const reader = events.body!.getReader();
    const sse = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        seen.push(`sse: ${Buffer.from(value!).toString('utf8')}`);
      }
    })();
    const conn = connectBoard(srv.url, boardId, owner);
    await conn.synced();
    const models = pickModels((await owner.get('/api/models')).body);
    expect(models.map((m) => m.provider).sort()).toEqual(['ark', 'fal', 'kling', 'replicate', 'runway', 'veo', 'vertex']);
    const jobs: string[] = [];
    for (const m of models) {
      const shot = addShot(conn.doc, { title: `On ${m.provider}`, prompt: 'a lighthouse at dusk', durationSec: durationOf(m), model: m.id });
      await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shot)), 'shot stored');
      const g = await owner.post(`/api/boards/${boardId}/shots/${shot}/generate`, { confirmUnpriced: true });
      expect(g.status, `${m.id}: ${JSON.stringify(g.body)}`).toBe(202);
      jobs.push(g.body.jobId);
    }
    const views = await waitFor(async () => {
      const all = await Promise.all(jobs.map(async (id) => (await owner.get(`/api/jobs/${id}`)).body));
      return all.every((j) => ['succeeded', 'failed'].includes(j.status)) ? all : null;
    }, 'every provider’s job to end', 60_000);
    seen.push(`doc: ${JSON.stringify(conn.doc.toJSON())}`);
    seen.push(...(await sweepGetRoutes(srv, owner, boardId, jobs)));
    conn.destroy();
    await reader.cancel().catch(() => {});
    await sse;
    return { views, seen, lines };
  } finally {
    await srv.close();
  }
}

/** The answer (headers and body) of every GET route of the app, as the owner and as nobody. */
async function sweepGetRoutes(srv: TestServer, owner: TestClient, boardId: string, jobs: string[]): Promise<string[]> {
  const assets = (await owner.get(`/api/boards/${boardId}/assets`)).body as { id: string }[];
  const out: string[] = [];
  const routes = [...new Set(srv.takeboard.app.routes.filter((r) => r.method === 'GET' && r.path.startsWith('/api/')).map((r) => r.path))];
  for (const route of routes) {
    const ids = route.includes(':jobId') ? jobs : route.includes(':assetId') ? assets.map((a) => a.id).slice(0, 3) : [''];
    for (const id of ids) {
      const url = route.replace(':boardId', boardId).replace(/:jobId|:assetId/, id).replace(/:\w+/g, 'nothing');
      for (const who of [owner, new TestClient(srv.url)]) {
        const ctl = new AbortController();
        const res = await fetch(srv.url + url, { headers: who.cookies.size ? { cookie: who.cookieHeader } : {}, signal: ctl.signal });
        expect(res.status, url).toBeLessThan(500);
        const type = res.headers.get('content-type') ?? '';
        const body = type.startsWith('text/event-stream') ? (ctl.abort(), '') : type.startsWith('video/') || type.startsWith('image/') ? '' : await res.text();
        out.push(`GET ${url} -> ${res.status} ${JSON.stringify([...res.headers])} ${body}`);
      }
    }
  }
  return out;
}

describe('provider keys never leave the server', () => {
  it('with the right keys: seven providers run a job each; no key in any answer, event, document or log line', async () => {
    const keys = rightKeys();
    const { views, seen, lines } = await runEveryProvider(keys);
    for (const v of views) expect(v.status, `${v.model}: ${v.error}`).toBe('succeeded');
    const secrets = secretsOf(keys);
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    for (const text of seen) expectNoSecret('an answer', text, secrets);
    for (const line of lines) expectNoSecret('the log', line, secrets);
  }, 120_000);

  it('with wrong keys echoed back in 401 bodies: every job fails in words, and still no key anywhere', async () => {
    for (const f of Object.values(fakes)) f.state.credentials.clear();
    const keys = wrongKeys();
    const { views, seen, lines } = await runEveryProvider(keys);
    for (const v of views) {
      expect(v.status).toBe('failed');
      expect(v.attempts).toBe(1); // a refused key is not retried
      expect(v.error, v.model).toMatch(/key|auth|token|credential|401|signature|jwt/i);
    }
    const secrets = secretsOf(keys);
    // The fakes really were shown (and echoed) the wrong keys, so this is a real test of redaction.
    expect(secretsOf({}).some((s) => s.includes('canary-fal-key'))).toBe(true);
    for (const text of seen) expectNoSecret('an answer', text, secrets);
    for (const line of lines) expectNoSecret('the log', line, secrets);
    expect(lines.some((l) => /job failed/.test(l))).toBe(true);
  }, 120_000);
});

describe('the client bundle', () => {
  it('holds no provider key, even when built with every key (and VITE_-prefixed copies) in the environment', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-adv-bundle-'));
    const planted = Object.fromEntries(PROVIDER_ENV_KEYS.flatMap((k) => [[k, canary(k)], [`VITE_${k}`, canary(`vite-${k}`)]]));
    const saved = { ...process.env };
    Object.assign(process.env, planted, { NODE_ENV: 'production' });
    try {
      const { build } = await import('vite');
      await build({ configFile: path.join(root, 'client/vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(outDir);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    const secrets = Object.values(planted);
    for (const f of files) expectNoSecret(path.relative(outDir, f), fs.readFileSync(f, 'latin1'), secrets);
    // Nor do the names of the keys appear: the client has no business knowing them.
    for (const f of files.filter((x) => x.endsWith('.js'))) {
      const text = fs.readFileSync(f, 'utf8');
      for (const k of PROVIDER_ENV_KEYS) expect(text.includes(`VITE_${k}`), `${f} mentions VITE_${k}`).toBe(false);
    }
    fs.rmSync(outDir, { recursive: true, force: true });
  }, 60_000);
});
