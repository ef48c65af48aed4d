import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/** Where the S3 contract suite talks to, and how to stop it. */
export interface S3Target {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

export type S3Availability = { ok: true; via: string; start(): Promise<S3Target> } | { ok: false; reason: string };

/** Local S3-compatible servers on npm that run on Node 20, in order of preference. */
const SERVER_PACKAGES = ['@20minutes/s3rver', 's3rver'];
const BUCKET = 'takeboard-test';

interface S3rverLike {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverLike;

/**
 * An S3 endpoint for tests: `TAKEBOARD_TEST_S3_ENDPOINT` (e.g. a MinIO; credentials from
 * `TAKEBOARD_TEST_S3_ACCESS_KEY_ID` / `_SECRET_ACCESS_KEY`, default S3RVER/S3RVER), else an
 * in-process s3rver when that package is installed, else a reason to skip.
 */
export async function findS3TestServer(env = process.env): Promise<S3Availability> {
  const endpoint = env.TAKEBOARD_TEST_S3_ENDPOINT;
  if (endpoint) {
    return { ok: true, via: endpoint, start: () => useExternal(endpoint, env) };
  }
  // TAKEBOARD_TEST_S3RVER_MODULE: an s3rver installed elsewhere (absolute path to its package dir).
  const local = env.TAKEBOARD_TEST_S3RVER_MODULE ? [pathToFileURL(path.join(env.TAKEBOARD_TEST_S3RVER_MODULE, 'lib/s3rver.js')).href] : [];
  for (const name of [...local, ...SERVER_PACKAGES]) {
    const mod = (await import(name).catch(() => null)) as { default?: S3rverCtor } | null;
    if (mod?.default) return { ok: true, via: name, start: () => startS3rver(mod.default as S3rverCtor) };
  }
  return {
    ok: false,
    reason: `no local S3 server: add the dev dependency ${SERVER_PACKAGES[0]} or set TAKEBOARD_TEST_S3_ENDPOINT`,
  };
}

async function startS3rver(S3rver: S3rverCtor): Promise<S3Target> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'takeboard-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // s3rver signs bucket-level paths without the trailing slash current AWS SDKs send
    // (`GET /bucket/?list-type=2`), so it would refuse ListObjectsV2. Auth is not under test here.
    allowMismatchedSignatures: true,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: BUCKET,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function useExternal(endpoint: string, env: NodeJS.ProcessEnv): Promise<S3Target> {
  const target = {
    endpoint,
    bucket: env.TAKEBOARD_TEST_S3_BUCKET ?? BUCKET,
    region: env.TAKEBOARD_TEST_S3_REGION ?? 'us-east-1',
    accessKeyId: env.TAKEBOARD_TEST_S3_ACCESS_KEY_ID ?? 'S3RVER',
    secretAccessKey: env.TAKEBOARD_TEST_S3_SECRET_ACCESS_KEY ?? 'S3RVER',
    async stop() {},
  };
  const client = new S3Client({
    endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: target.bucket }));
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
  } finally {
    client.destroy();
  }
  return target;
}
