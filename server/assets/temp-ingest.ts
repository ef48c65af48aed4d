import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BlobStoreError, TooLargeError, type BlobSource, type Ingested, type PutResult } from './blob-store.js';

/** A hashed, size-checked upload in a local temp file. */
export interface TempBlob extends PutResult {
  path: string;
}

const TEMP_SUFFIX = '.part';

function chunksOf(source: BlobSource): AsyncIterable<Uint8Array | string> | Iterable<Uint8Array> {
  if (source instanceof Uint8Array) return [source];
  if (Symbol.asyncIterator in source) return source as AsyncIterable<Uint8Array | string>;
  return createReadStream((source as { path: string }).path);
}

/**
 * Streams `source` into a fresh temp file under `dir`, hashing and counting as it goes, then
 * fsyncs it. Past `maxBytes` it stops reading (a Readable source is destroyed), removes the temp
 * file and rejects with `TooLargeError`. Memory use is one chunk, whatever the size.
 */
export async function writeTempBlob(source: BlobSource, dir: string, maxBytes?: number): Promise<TempBlob> {
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
    throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
  }
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}${TEMP_SUFFIX}`);
  const fh = await open(file, 'wx', 0o644);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of chunksOf(source)) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += buf.byteLength;
      if (maxBytes !== undefined && bytes > maxBytes) throw new TooLargeError(maxBytes);
      hash.update(buf);
      for (let off = 0; off < buf.byteLength; ) {
        off += (await fh.write(buf, off, buf.byteLength - off)).bytesWritten;
      }
    }
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(file, { force: true });
    throw err;
  }
  return { path: file, sha256: hash.digest('hex'), bytes };
}

/**
 * Wraps a temp blob as an `Ingested` whose `commit` runs `store` once. A failed commit leaves the
 * temp file in place so the caller may retry or discard; a successful one removes it.
 */
export function toIngested(temp: TempBlob, store: (temp: TempBlob) => Promise<void>): Ingested {
  let state: 'open' | 'committing' | 'done' = 'open';
  let pending: Promise<unknown> = Promise.resolve();
  const result: PutResult = { sha256: temp.sha256, bytes: temp.bytes };
  return {
    ...temp,
    async commit() {
      if (state !== 'open') throw new BlobStoreError('already_settled', 'this upload was already committed or discarded');
      state = 'committing';
      const attempt = store(temp);
      pending = attempt.catch(() => undefined);
      try {
        await attempt;
      } catch (err) {
        state = 'open';
        throw err;
      }
      state = 'done';
      await rm(temp.path, { force: true });
      return result;
    },
    async discard() {
      await pending;
      if (state !== 'open') return;
      state = 'done';
      await rm(temp.path, { force: true });
    },
  };
}

/** Removes `*.part` files in `dir` older than `olderThanMs` (left by a crash mid-upload). */
export async function sweepTempDir(dir: string, olderThanMs: number): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith(TEMP_SUFFIX)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && info.mtimeMs < cutoff) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
