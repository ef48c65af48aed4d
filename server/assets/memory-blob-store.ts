import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  BlobStoreError,
  assertSha256,
  withPutAndHas,
  resolveRange,
  type BlobSource,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type IngestOptions,
} from './blob-store.js';
import { withTempCopy } from './temp-copy.js';
import { sweepTempDir, toIngested, writeTempBlob } from './temp-ingest.js';

export interface MemoryBlobStoreOptions {
  /** Where uploads wait before commit and where `withLocalFile` copies go. Default: the OS temp dir. */
  tempDir?: string;
}

/** Blobs in a Map: for tests and throwaway setups. Ingest still streams to disk like the others. */
export function createMemoryBlobStore(opts: MemoryBlobStoreOptions = {}): BlobStore {
  const tempDir = opts.tempDir ?? path.join(os.tmpdir(), 'takeboard-blob-tmp');
  const blobs = new Map<string, Buffer>();

  const get = (sha: string): Buffer | undefined => {
    assertSha256(sha);
    return blobs.get(sha);
  };

  async function ingest(source: BlobSource, o: IngestOptions = {}) {
    const temp = await writeTempBlob(source, tempDir, o.maxBytes);
    return toIngested(temp, async (t) => {
      if (!blobs.has(t.sha256)) blobs.set(t.sha256, await readFile(t.path));
    });
  }

  async function stat(sha: string): Promise<BlobStat | null> {
    const buf = get(sha);
    return buf ? { bytes: buf.length } : null;
  }

  async function createReadStream(sha: string, range?: ByteRange): Promise<Readable | null> {
    const buf = get(sha);
    if (!buf) return null;
    const r = resolveRange(range, buf.length);
    return Readable.from([r ? buf.subarray(r.start, r.end + 1) : buf]);
  }

  return {
    ...withPutAndHas({ ingest, stat, createReadStream }),
    async delete(sha) {
      assertSha256(sha);
      blobs.delete(sha);
    },
    async *list() {
      yield* [...blobs.keys()];
    },
    async withLocalFile(sha, fn) {
      const buf = get(sha);
      if (!buf) throw new BlobStoreError('not_found', `no blob ${sha}`);
      return withTempCopy(tempDir, buf, fn);
    },
    sweepTemp: (olderThanMs) => sweepTempDir(tempDir, olderThanMs),
  };
}
