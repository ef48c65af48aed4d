import type { Readable } from 'node:stream';

/**
 * Content-addressed blob storage: a blob's name is the SHA-256 of its bytes (64 lowercase hex),
 * never anything a user supplied. Implementations: fs (default), S3, memory (tests).
 *
 * Upload flow: `ingest` streams the body to a local temp file while hashing and counting (aborting
 * past `maxBytes`), the caller sniffs/probes that temp file, then `commit`s or `discard`s it.
 */
export interface BlobStore {
  /** Streams `source` to a local temp file; rejects with `TooLargeError` past `maxBytes` (temp file removed). */
  ingest(source: BlobSource, opts?: IngestOptions): Promise<Ingested>;
  /** `ingest` + `commit` in one step. */
  put(source: BlobSource, opts?: IngestOptions): Promise<PutResult>;
  has(sha256: string): Promise<boolean>;
  /** Size of a stored blob, or null when there is none. */
  stat(sha256: string): Promise<BlobStat | null>;
  /** Reads a blob, or the inclusive byte range `start..end` of it; null when there is none. */
  createReadStream(sha256: string, range?: ByteRange): Promise<Readable | null>;
  /** Removes a blob; removing a missing blob is not an error. */
  delete(sha256: string): Promise<void>;
  /** Every stored sha, in no particular order (for orphan cleanup). */
  list(): AsyncIterable<string>;
  /**
   * Runs `fn` with a local path holding the blob's bytes (for ffmpeg). `fn` must only read it;
   * the path may be the stored file itself or a temp copy removed once `fn` settles.
   * Rejects with `BlobStoreError('not_found')` when there is no such blob.
   */
  withLocalFile<T>(sha256: string, fn: (path: string) => Promise<T>): Promise<T>;
  /** Removes temp files older than `olderThanMs` left by a crash mid-ingest; resolves to the count. */
  sweepTemp(olderThanMs: number): Promise<number>;
}

/** A stream, an async iterable of chunks, bytes in memory, or a local file to copy in. */
export type BlobSource = Readable | AsyncIterable<Uint8Array | string> | Uint8Array | { path: string };

export interface IngestOptions {
  /** Abort with `TooLargeError` once more than this many bytes arrive. Default: no limit. */
  maxBytes?: number;
}

export interface PutResult {
  sha256: string;
  bytes: number;
}

export interface BlobStat {
  bytes: number;
}

/** Inclusive byte offsets, like HTTP Range and `fs.createReadStream`. `end` past the blob is clamped. */
export interface ByteRange {
  start?: number;
  end?: number;
}

/** A verified-size, hashed upload waiting in a local temp file. Call `commit` or `discard` exactly once. */
export interface Ingested extends PutResult {
  /** Local temp file: sniff and probe it here, but do not move or change it. */
  readonly path: string;
  /** Stores the bytes under their sha (deduplicating) and removes the temp file. */
  commit(): Promise<PutResult>;
  /** Removes the temp file. A no-op after `commit` or a previous `discard`. */
  discard(): Promise<void>;
}

export type BlobStoreErrorCode = 'too_large' | 'invalid_sha' | 'invalid_range' | 'not_found' | 'already_settled';

export class BlobStoreError extends Error {
  override readonly name: string = 'BlobStoreError';
  constructor(
    readonly code: BlobStoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The body was larger than `maxBytes`; nothing was kept. */
export class TooLargeError extends BlobStoreError {
  override readonly name = 'TooLargeError';
  constructor(readonly maxBytes: number) {
    super('too_large', `more than ${maxBytes} bytes`);
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** Guards every path or key built from a sha: anything else never reaches the filesystem or S3. */
export function assertSha256(value: string): void {
  if (!SHA256_HEX.test(value)) throw new BlobStoreError('invalid_sha', 'not a lowercase SHA-256 hex digest');
}

/**
 * Turns an optional range into concrete inclusive offsets for a blob of `size` bytes, or throws
 * `invalid_range`. The caller (the HTTP route) answers 416 before it gets here; this is the backstop.
 */
export function resolveRange(range: ByteRange | undefined, size: number): { start: number; end: number } | null {
  if (!range || (range.start === undefined && range.end === undefined)) return null;
  const start = range.start ?? 0;
  const end = Math.min(range.end ?? size - 1, size - 1);
  const ok = Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start <= end;
  if (!ok) throw new BlobStoreError('invalid_range', `range ${range.start}-${range.end} does not fit ${size} bytes`);
  return { start, end };
}

type CoreMembers = Pick<BlobStore, 'ingest' | 'stat' | 'createReadStream'>;

/**
 * A store's own `ingest`, `stat` and `createReadStream`, plus `put` and `has` built from them as
 * every store means them, so the stores cannot drift on what `put` and `has` do.
 */
export function withPutAndHas(core: CoreMembers): CoreMembers & Pick<BlobStore, 'put' | 'has'> {
  return {
    ...core,
    put: async (source, opts) => (await core.ingest(source, opts)).commit(),
    has: async (sha) => (await core.stat(sha)) !== null,
  };
}
