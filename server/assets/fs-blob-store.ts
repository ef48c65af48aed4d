import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  BlobStoreError,
  assertSha256,
  isSha256,
  withPutAndHas,
  resolveRange,
  type BlobSource,
  type BlobStore,
  type ByteRange,
  type IngestOptions,
} from './blob-store.js';
import { sweepTempDir, toIngested, writeTempBlob, type TempBlob } from './temp-ingest.js';

export interface FsBlobStoreOptions {
  /** Directory holding `tmp/` and the shards `ab/cd/<sha>`; created on first write. */
  root: string;
}

const SHARD = /^[0-9a-f]{2}$/;

/**
 * Blobs as files under `root/ab/cd/<sha>`. Uploads land in `root/tmp` (same filesystem), are
 * fsynced, then renamed into place, so a reader never sees a partial blob.
 */
export function createFsBlobStore(opts: FsBlobStoreOptions): BlobStore {
  const root = path.resolve(opts.root);
  const tempDir = path.join(root, 'tmp');

  const pathOf = (sha: string): string => {
    assertSha256(sha);
    return path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  };

  async function place(temp: TempBlob): Promise<void> {
    const target = pathOf(temp.sha256);
    const existing = await stat(target).catch(() => null);
    if (existing?.isFile() && existing.size === temp.bytes) return; // same content already stored
    await mkdir(path.dirname(target), { recursive: true });
    await rename(temp.path, target);
    await fsyncDir(path.dirname(target));
  }

  async function ingest(source: BlobSource, o: IngestOptions = {}) {
    return toIngested(await writeTempBlob(source, tempDir, o.maxBytes), place);
  }

  async function statBlob(sha: string) {
    const info = await stat(pathOf(sha)).catch(orNullIfMissing);
    return info ? { bytes: info.size } : null;
  }

  async function readStream(sha: string, range?: ByteRange): Promise<Readable | null> {
    const fh = await open(pathOf(sha), 'r').catch(orNullIfMissing);
    if (!fh) return null;
    try {
      const r = resolveRange(range, (await fh.stat()).size);
      return fh.createReadStream(r ? { start: r.start, end: r.end } : {});
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async function* list(): AsyncIterable<string> {
    for (const a of await readdir(root).catch(() => [] as string[])) {
      if (!SHARD.test(a)) continue;
      for (const b of await readdir(path.join(root, a)).catch(() => [] as string[])) {
        if (!SHARD.test(b)) continue;
        for (const name of await readdir(path.join(root, a, b)).catch(() => [] as string[])) {
          if (isSha256(name) && name.startsWith(a + b)) yield name;
        }
      }
    }
  }

  return {
    ...withPutAndHas({ ingest, stat: statBlob, createReadStream: readStream }),
    async delete(sha) {
      await rm(pathOf(sha), { force: true });
    },
    list,
    async withLocalFile(sha, fn) {
      if (!(await statBlob(sha))) throw new BlobStoreError('not_found', `no blob ${sha}`);
      return fn(pathOf(sha));
    },
    sweepTemp: (olderThanMs) => sweepTempDir(tempDir, olderThanMs),
  };
}

function orNullIfMissing(err: NodeJS.ErrnoException): null {
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
  throw err;
}

/** Makes the rename itself durable. Some platforms cannot fsync a directory; that is not fatal. */
async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // EISDIR/EPERM on some filesystems: the data itself was already fsynced.
  } finally {
    await fh.close();
  }
}
