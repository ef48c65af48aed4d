import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  BlobStoreError,
  assertSha256,
  isSha256,
  withPutAndHas,
  type BlobSource,
  type BlobStore,
  type ByteRange,
  type IngestOptions,
} from './blob-store.js';
import { withTempCopy } from './temp-copy.js';
import { sweepTempDir, toIngested, writeTempBlob, type TempBlob } from './temp-ingest.js';

export interface S3BlobStoreOptions {
  /** e.g. `http://127.0.0.1:9000` for MinIO; omit for AWS. */
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `bucket` in the path rather than the host name; most S3-compatible servers need it. */
  forcePathStyle?: boolean;
  /** Key prefix; blobs live at `<prefix><sha>`. Default `blobs/`. */
  prefix?: string;
  /** Where uploads wait before commit and where `withLocalFile` downloads go. Default: the OS temp dir. */
  tempDir?: string;
  /** A ready client (tests); otherwise one is built from the fields above. */
  client?: S3Client;
}

export interface S3BlobStore extends BlobStore {
  /** Releases the client's sockets when this store built the client. */
  close(): void;
}

/** Blobs as S3 objects `blobs/<sha>`, uploaded from the verified temp file, read with ranged GETs. */
export function createS3BlobStore(opts: S3BlobStoreOptions): S3BlobStore {
  const client = opts.client ?? buildClient(opts);
  const { bucket } = opts;
  const prefix = opts.prefix ?? 'blobs/';
  const tempDir = opts.tempDir ?? path.join(os.tmpdir(), 'takeboard-blob-tmp');

  const keyOf = (sha: string): string => {
    assertSha256(sha);
    return prefix + sha;
  };

  async function statBlob(sha: string) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(sha) }));
      return { bytes: head.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async function upload(temp: TempBlob): Promise<void> {
    const existing = await statBlob(temp.sha256);
    if (existing?.bytes === temp.bytes) return;
    await client.send(new PutObjectCommand({
      Bucket: bucket,
      Key: keyOf(temp.sha256),
      Body: createReadStream(temp.path),
      ContentLength: temp.bytes,
      ContentType: 'application/octet-stream',
    }));
  }

  async function ingest(source: BlobSource, o: IngestOptions = {}) {
    return toIngested(await writeTempBlob(source, tempDir, o.maxBytes), upload);
  }

  async function readStream(sha: string, range?: ByteRange): Promise<Readable | null> {
    const key = keyOf(sha);
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: rangeHeader(range) }));
      const body = (res.Body as Readable | undefined) ?? Readable.from([]);
      return range?.end !== undefined ? atMost(body, range.end - (range.start ?? 0) + 1, res.ContentLength) : body;
    } catch (err) {
      if (isNotFound(err)) return null;
      if (statusOf(err) === 416) throw new BlobStoreError('invalid_range', `range does not fit blob ${sha}`);
      throw err;
    }
  }

  async function* list(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const obj of page.Contents ?? []) {
        const name = obj.Key?.slice(prefix.length) ?? '';
        if (isSha256(name)) yield name;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async function withLocalFile<T>(sha: string, fn: (file: string) => Promise<T>): Promise<T> {
    const body = await readStream(sha);
    if (!body) throw new BlobStoreError('not_found', `no blob ${sha}`);
    return withTempCopy(tempDir, body, fn);
  }

  return {
    ...withPutAndHas({ ingest, stat: statBlob, createReadStream: readStream }),
    async delete(sha) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(sha) }));
    },
    list,
    withLocalFile,
    sweepTemp: (olderThanMs) => sweepTempDir(tempDir, olderThanMs),
    close() {
      if (!opts.client) client.destroy();
    },
  };
}

function buildClient(o: S3BlobStoreOptions): S3Client {
  return new S3Client({
    endpoint: o.endpoint,
    region: o.region,
    forcePathStyle: o.forcePathStyle ?? false,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    // S3-compatible servers (MinIO, s3rver, R2…) do not all speak the SDK's default streaming
    // checksum trailers; the sha in the key already names the content.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** `bytes=start-end`; an open end reads to the last byte. Bad offsets fail here, not at S3. */
function rangeHeader(range: ByteRange | undefined): string | undefined {
  if (!range || (range.start === undefined && range.end === undefined)) return undefined;
  const start = range.start ?? 0;
  const end = range.end;
  const ok = Number.isSafeInteger(start) && start >= 0 && (end === undefined || (Number.isSafeInteger(end) && end >= start));
  if (!ok) throw new BlobStoreError('invalid_range', `range ${range.start}-${range.end} is not valid`);
  return `bytes=${start}-${end ?? ''}`;
}

/**
 * Some S3-compatible servers answer a closed range with more bytes than asked (s3rver reads
 * `bytes=0-0` as the whole object). Cut the body to the asked length so Content-Length holds.
 */
function atMost(body: Readable, wanted: number, got: number | undefined): Readable {
  if (got === undefined || got <= wanted) return body;
  async function* take() {
    let left = wanted;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const part = chunk.subarray(0, left);
      left -= part.length;
      if (part.length > 0) yield part;
      if (left === 0) break; // ends the loop and destroys the S3 body
    }
  }
  return Readable.from(take(), { objectMode: false });
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'NotFound' || name === 'NoSuchKey' || statusOf(err) === 404;
}
