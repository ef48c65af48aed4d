/**
 * A blob's bytes as a local file for the length of one call (ffmpeg needs a path): written to a
 * fresh file in the store's temp dir, removed once `fn` settles. The S3 and memory stores both keep
 * their bytes elsewhere than disk; one copy routine means both clean up the same way.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export async function withTempCopy<T>(tempDir: string, body: Readable | Uint8Array, fn: (file: string) => Promise<T>): Promise<T> {
  await mkdir(tempDir, { recursive: true });
  const file = path.join(tempDir, `${randomUUID()}.local`);
  try {
    await pipeline(body instanceof Uint8Array ? Readable.from([body]) : body, createWriteStream(file, { flags: 'wx' }));
    return await fn(file);
  } finally {
    await rm(file, { force: true });
  }
}
