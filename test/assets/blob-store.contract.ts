import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BlobStoreError, TooLargeError, type BlobStore } from '../../server/assets/blob-store.js';

/** One store for one test, fresh and empty, plus the directory where its ingests wait. */
export interface BlobStoreHarness {
  store: BlobStore;
  /** Where this store writes uploads before commit (checked for leftovers). */
  tempDir: string;
  cleanup(): Promise<void>;
}

const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

async function readAll(stream: Readable | null): Promise<Buffer> {
  if (!stream) throw new Error('expected a stream');
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}

async function listAll(store: BlobStore): Promise<string[]> {
  const out: string[] = [];
  for await (const s of store.list()) out.push(s);
  return out.sort();
}

async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.part'));
}

function chunked(buf: Buffer, size: number): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
  })());
}

/** Distinct bytes per call so tests never depend on each other's content. */
function bytes(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < n; i += block.length) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** The behaviour every BlobStore implementation must show. Call inside a `describe`. */
export function blobStoreContract(make: () => Promise<BlobStoreHarness>): void {
  let h: BlobStoreHarness;
  let made = false;
  beforeEach(async () => {
    made = false;
    h = await make();
    made = true;
  });
  afterEach(async () => {
    if (made) await h.cleanup();
  });

  it('round-trips bytes under their SHA-256', async () => {
    const data = bytes(100_000, 'round-trip');
    const res = await h.store.put(data);
    expect(res).toEqual({ sha256: sha(data), bytes: data.length });
    expect(await h.store.has(res.sha256)).toBe(true);
    expect(await h.store.stat(res.sha256)).toEqual({ bytes: data.length });
    expect((await readAll(await h.store.createReadStream(res.sha256))).equals(data)).toBe(true);
  });

  it('names content, not its source: buffer, chunked stream and file give one sha', async () => {
    const data = bytes(70_000, 'addressing');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'takeboard-source-'));
    const file = path.join(dir, 'source.bin');
    await writeFile(file, data);
    const a = await h.store.put(data);
    const b = await h.store.put(chunked(data, 4093));
    const c = await h.store.put({ path: file });
    await rm(dir, { recursive: true, force: true });
    expect(new Set([a.sha256, b.sha256, c.sha256])).toEqual(new Set([sha(data)]));
    const other = await h.store.put(bytes(70_000, 'addressing-2'));
    expect(other.sha256).not.toBe(a.sha256);
    expect(await listAll(h.store)).toEqual([a.sha256, other.sha256].sort());
  });

  it('stores an empty blob', async () => {
    const res = await h.store.put(Buffer.alloc(0));
    expect(res.bytes).toBe(0);
    expect(await h.store.stat(res.sha256)).toEqual({ bytes: 0 });
    expect((await readAll(await h.store.createReadStream(res.sha256))).length).toBe(0);
  });

  it('reads inclusive byte ranges and clamps an end past the blob', async () => {
    const data = bytes(10_000, 'ranges');
    const { sha256 } = await h.store.put(data);
    const read = async (start?: number, end?: number) => readAll(await h.store.createReadStream(sha256, { start, end }));
    expect((await read(0, 0)).equals(data.subarray(0, 1))).toBe(true);
    expect((await read(100, 199)).equals(data.subarray(100, 200))).toBe(true);
    expect((await read(9_990)).equals(data.subarray(9_990))).toBe(true);
    expect((await read(9_000, 50_000)).equals(data.subarray(9_000))).toBe(true);
    await expect(h.store.createReadStream(sha256, { start: 10_000 })).rejects.toMatchObject({ code: 'invalid_range' });
    await expect(h.store.createReadStream(sha256, { start: 5, end: 4 })).rejects.toMatchObject({ code: 'invalid_range' });
  });

  it('answers null for a missing blob and refuses anything but a sha', async () => {
    const missing = sha(Buffer.from('never stored'));
    expect(await h.store.has(missing)).toBe(false);
    expect(await h.store.stat(missing)).toBeNull();
    expect(await h.store.createReadStream(missing)).toBeNull();
    await expect(h.store.withLocalFile(missing, async () => 1)).rejects.toMatchObject({ code: 'not_found' });
    for (const bad of ['../../etc/passwd', missing.toUpperCase(), `${missing}/x`, '']) {
      await expect(h.store.has(bad)).rejects.toBeInstanceOf(BlobStoreError);
    }
  });

  it('deduplicates identical content and deletes idempotently', async () => {
    const data = bytes(5_000, 'dedupe');
    const first = await h.store.put(data);
    const second = await h.store.put(chunked(data, 999));
    expect(second).toEqual(first);
    expect(await listAll(h.store)).toEqual([first.sha256]);
    await h.store.delete(first.sha256);
    expect(await h.store.has(first.sha256)).toBe(false);
    expect(await listAll(h.store)).toEqual([]);
    await h.store.delete(first.sha256);
  });

  it('lists every stored sha', async () => {
    const shas = await Promise.all([1, 2, 3, 4, 5].map(async (i) => (await h.store.put(bytes(1_000 + i, `list-${i}`))).sha256));
    expect(await listAll(h.store)).toEqual(shas.sort());
  });

  it('keeps an ingested upload out of the store until commit, and discards cleanly', async () => {
    const data = bytes(20_000, 'ingest');
    const up = await h.store.ingest(chunked(data, 1_000), { maxBytes: 20_000 });
    expect(up).toMatchObject({ sha256: sha(data), bytes: data.length });
    expect((await readFile(up.path)).equals(data)).toBe(true);
    expect(await h.store.has(up.sha256)).toBe(false);
    expect(await up.commit()).toEqual({ sha256: sha(data), bytes: data.length });
    expect(await h.store.has(up.sha256)).toBe(true);
    await expect(up.commit()).rejects.toMatchObject({ code: 'already_settled' });
    await up.discard(); // after commit: a no-op that must not remove the stored blob
    expect(await h.store.has(up.sha256)).toBe(true);

    const dropped = await h.store.ingest(bytes(3_000, 'ingest-dropped'));
    await dropped.discard();
    expect(await h.store.has(dropped.sha256)).toBe(false);
    expect(await leftovers(h.tempDir)).toEqual([]);
  });

  it('aborts an oversize ingest, keeps nothing and leaves no temp file', async () => {
    const data = bytes(100_000, 'oversize');
    let pulled = 0;
    const source = Readable.from((function* () {
      for (let i = 0; i < data.length; i += 1_000) {
        pulled += 1_000;
        yield data.subarray(i, i + 1_000);
      }
    })());
    const err = await h.store.ingest(source, { maxBytes: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooLargeError);
    expect(err).toMatchObject({ code: 'too_large', maxBytes: 10_000 });
    expect(pulled).toBeLessThan(40_000); // stopped soon after the limit (plus the stream's read-ahead)
    expect(source.destroyed).toBe(true);
    expect(await leftovers(h.tempDir)).toEqual([]);
    expect(await listAll(h.store)).toEqual([]);
    const exact = await h.store.put(data.subarray(0, 10_000), { maxBytes: 10_000 });
    expect(exact.bytes).toBe(10_000);
  });

  it('survives concurrent puts of the same content', async () => {
    const data = bytes(200_000, 'concurrent');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => h.store.put(chunked(data, 8_192 + i))));
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha(data)]));
    expect(await listAll(h.store)).toEqual([sha(data)]);
    expect((await readAll(await h.store.createReadStream(sha(data)))).equals(data)).toBe(true);
    expect(await leftovers(h.tempDir)).toEqual([]);
  });

  it('lends a local file holding the blob', async () => {
    const data = bytes(30_000, 'local-file');
    const { sha256 } = await h.store.put(data);
    const seen = await h.store.withLocalFile(sha256, async (file) => readFile(file));
    expect(seen.equals(data)).toBe(true);
  });

  it('sweeps temp files left behind by a crash', async () => {
    const stale = path.join(h.tempDir, 'crashed-upload.part');
    const fresh = path.join(h.tempDir, 'in-flight.part');
    await h.store.ingest(Buffer.from('x')).then((u) => u.discard()); // makes sure the dir exists
    await writeFile(stale, 'half');
    await writeFile(fresh, 'half');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(stale, old, old);
    expect(await h.store.sweepTemp(60_000)).toBe(1);
    expect(await leftovers(h.tempDir)).toEqual(['in-flight.part']);
  });
}
