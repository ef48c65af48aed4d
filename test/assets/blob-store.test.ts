import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsBlobStore } from '../../server/assets/fs-blob-store.js';
import { createMemoryBlobStore } from '../../server/assets/memory-blob-store.js';
import { createS3BlobStore } from '../../server/assets/s3-blob-store.js';
import { blobStoreContract, type BlobStoreHarness } from './blob-store.contract.js';
import { findS3TestServer, type S3Target } from './s3-test-server.js';

const tempRoot = () => mkdtemp(path.join(os.tmpdir(), 'takeboard-blobs-'));

async function fsHarness(): Promise<BlobStoreHarness> {
  const root = await tempRoot();
  return {
    store: createFsBlobStore({ root }),
    tempDir: path.join(root, 'tmp'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

async function memoryHarness(): Promise<BlobStoreHarness> {
  const tempDir = await tempRoot();
  return {
    store: createMemoryBlobStore({ tempDir }),
    tempDir,
    cleanup: () => rm(tempDir, { recursive: true, force: true }),
  };
}

const s3 = await findS3TestServer();
let s3Target: Promise<S3Target> | undefined;
afterAll(async () => {
  await (await s3Target)?.stop();
});

async function s3Harness(): Promise<BlobStoreHarness> {
  if (!s3.ok) throw new Error(s3.reason);
  const target = await (s3Target ??= s3.start());
  const tempDir = await tempRoot();
  // A fresh key prefix per test stands in for a fresh, empty bucket.
  const store = createS3BlobStore({ ...target, forcePathStyle: true, prefix: `t-${randomUUID()}/blobs/`, tempDir });
  return {
    store,
    tempDir,
    async cleanup() {
      store.close();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

const implementations = [
  { name: 'fs', make: fsHarness, skip: null },
  { name: 'memory', make: memoryHarness, skip: null },
  { name: 's3', make: s3Harness, skip: s3.ok ? null : s3.reason },
];

describe.each(implementations)('$name blob store', ({ make, skip }) => {
  if (skip) {
    console.warn(`[blob-store] S3 contract suite skipped: ${skip}`);
    it.skip(`contract suite (${skip})`, () => {});
    return;
  }
  blobStoreContract(make);
});

describe('fs blob store layout', () => {
  it('shards blobs as ab/cd/<sha> and keeps only the temp dir besides', async () => {
    const h = await fsHarness();
    try {
      const { sha256 } = await h.store.put(Buffer.from('layout'));
      const root = path.dirname(h.tempDir);
      expect((await readdir(root)).sort()).toEqual([sha256.slice(0, 2), 'tmp'].sort());
      expect(await readdir(path.join(root, sha256.slice(0, 2), sha256.slice(2, 4)))).toEqual([sha256]);
      expect(await readdir(h.tempDir)).toEqual([]);
      let seen = '';
      await h.store.withLocalFile(sha256, async (file) => {
        seen = file;
      });
      expect(seen).toBe(path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256));
    } finally {
      await h.cleanup();
    }
  });
});
