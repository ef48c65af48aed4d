import path from 'node:path';
import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { createFsBlobStore } from './fs-blob-store.js';
import { createS3BlobStore } from './s3-blob-store.js';

/** The blob store the configuration asks for: files under DATA_DIR, or an S3-compatible bucket. */
export function createBlobStore(config: Config): BlobStore {
  if (config.assetStore === 's3' && config.s3) {
    return createS3BlobStore({ ...config.s3, forcePathStyle: Boolean(config.s3.endpoint), tempDir: path.join(config.dataDir, 'tmp') });
  }
  return createFsBlobStore({ root: path.join(config.dataDir, 'blobs') });
}
