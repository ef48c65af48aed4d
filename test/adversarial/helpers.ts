/**
 * Shared pieces of the adversarial suite: what the blob store holds on disk, raw multipart
 * bodies (so a test controls every header byte), a captured logger, and a server wired to a
 * local fal.ai fake. `LONG` switches on the long variants (`LONG_ADVERSARIAL=1`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { createLogger, type LogLevel, type Logger } from '../../server/lib/log.js';
import type { CreateAppOptions } from '../../server/app.js';
import { createProviders } from '../../server/generation/providers/registry.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { TestClient } from '../helpers/http.js';
import { startFalFake } from '../providers/fakes/fal.js';
import type { FakeHandle, FakeTls } from '../providers/fakes/core.js';
import type { EgressOptions } from '../../server/generation/providers/egress.js';

export const LONG = process.env.LONG_ADVERSARIAL === '1';

/** Every committed blob under DATA_DIR/blobs (the temp folder excluded), as relative paths. */
export async function blobFiles(dataDir: string): Promise<string[]> {
  const root = path.join(dataDir, 'blobs');
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== path.join(root, 'tmp')) await walk(p);
      } else out.push(path.relative(root, p));
    }
  };
  await walk(root);
  return out.sort();
}

/** Files left in the blob store's temp folder (partial uploads or downloads). */
export async function tempFiles(dataDir: string): Promise<string[]> {
  return fs.readdir(path.join(dataDir, 'blobs', 'tmp')).catch(() => []);
}

/**
 * A multipart/form-data body built byte by byte: `disposition` is the part's whole
 * Content-Disposition value, so names with NUL, traversal or RFC 5987 encodings go through as sent.
 */
export function multipart(bytes: Uint8Array, disposition: string, contentType = 'application/octet-stream') {
  const boundary = `----adversarial${Math.random().toString(36).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${contentType}\r\n\r\n`, 'latin1');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
  return { body: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads `bytes` as the field `file` named `name` (or with a raw Content-Disposition). */
export function upload(client: TestClient, boardId: string, bytes: Uint8Array, name: string | { disposition: string }, partType?: string) {
  const disposition = typeof name === 'string' ? `form-data; name="file"; filename="${name}"` : name.disposition;
  const mp = multipart(bytes, disposition, partType);
  return client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: mp.body, headers: { 'content-type': mp.contentType } });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
/** CRC-32 as PNG chunks carry it, so a hand-made header passes every check but the one under test. */
export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Uploads `bytes` and expects a clean refusal: one of `statuses` (never 500), an upload error code,
 * the message matching `message`, and nothing kept (no asset row, no blob, no temp file).
 */
export async function expectUploadRefused(
  srv: TestServer,
  client: TestClient,
  boardId: string,
  bytes: Uint8Array,
  name: string,
  opts: { statuses: number[]; message?: RegExp; partType?: string },
) {
  const assetCount = async () => ((await client.get(`/api/boards/${boardId}/assets`)).body as unknown[]).length;
  const before = { assets: await assetCount(), blobs: await blobFiles(srv.dataDir) };
  const res = await upload(client, boardId, bytes, name, opts.partType);
  expect(opts.statuses, `${name}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
  expect(res.body.error.code).toMatch(/unsupported_media_type|payload_too_large|bad_request|invalid_field/);
  if (opts.message) expect(res.body.error.message).toMatch(opts.message);
  expect(await assetCount()).toBe(before.assets);
  expect(await blobFiles(srv.dataDir)).toEqual(before.blobs);
  expect(await tempFiles(srv.dataDir)).toEqual([]);
  return res;
}

/** A logger whose lines are kept (JSON strings) for the test to read. */
export function capturedLogger(level: LogLevel = 'info'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const write = (line: string) => {
    lines.push(line);
    return true;
  };
  return { log: createLogger(level, {}, write), lines };
}

export interface FalServer {
  srv: TestServer;
  fake: FakeHandle;
  close(): Promise<void>;
}

/**
 * The real app over a fresh DATA_DIR with fal.ai enabled against a local fake (pricing fal:veo3
 * at $0.25/s). `key` is what the server is configured with; the fake accepts only its own key, so
 * a different one makes every call a 401 that echoes the key back.
 */
export async function startFalServer(
  opts: {
    key?: string;
    app?: Partial<CreateAppOptions>;
    providerDeps?: Parameters<typeof createProviders>[1];
    /** Serve the fake over https with this certificate (trusted through `egress.ca`). */
    tls?: FakeTls;
    /** Egress options beyond the fake's own host, which is always allowed. */
    egress?: EgressOptions;
    /** The database to run on (test/helpers/engines.ts); default: a libSQL file in the server's DATA_DIR. */
    databaseUrl?: string;
  } = {},
): Promise<FalServer> {
  const fake = await startFalFake(undefined, opts.tls);
  const egress: EgressOptions = { ...opts.egress, allowHosts: [fake.host, ...(opts.egress?.allowHosts ?? [])] };
  const providers = createProviders(
    { FAL_KEY: opts.key ?? fake.key, FAL_BASE_URL: fake.baseUrl },
    { prices: { 'fal:veo3': { microUsdPerSecond: 250_000, asOf: 'test' } }, egress, ...opts.providerDeps },
  );
  const srv = await startTestServer({
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    app: { providers, ...opts.app, generation: { pollMs: 10, retryBaseMs: 10, ...opts.app?.generation } },
  });
  return {
    srv,
    fake,
    async close() {
      await srv.close();
      await fake.close();
    },
  };
}

