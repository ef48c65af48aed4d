import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { AppError as AppErrorT } from '../errors.js';
import { AppError } from '../errors.js';
import { TooLargeError, type BlobStore, type Ingested } from './blob-store.js';
import { kindLimiter, maxBytesOf, UnsupportedMediaError, type AssetLimits } from './limits.js';
import { MediaError, type Media, type MediaInfo } from './media.js';
import { readHead, refusalFor, sniffHead, soundInVideoContainer, type SniffedFile } from './sniff.js';
import type { Room } from './storage-guard.js';

export interface UploadDeps {
  blobs: BlobStore;
  media: Media;
  limits: AssetLimits;
  /** What the uploader may still store (quotas and disk reserve). */
  room: Room;
}

export interface VerifiedUpload {
  ingested: Ingested;
  sniffed: SniffedFile;
  info: MediaInfo;
  fileName: string | undefined;
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * Streams the multipart field `file` of a request to a temp file (never whole into memory),
 * then checks it is what it claims: magic bytes, size for its kind, dimensions, a clean probe
 * and decode. Resolves to an upload the caller commits; anything wrong is an AppError (413/415/400)
 * with nothing left behind.
 */
export async function receiveUpload(req: IncomingMessage, deps: UploadDeps): Promise<VerifiedUpload> {
  const maxAny = Math.max(deps.limits.imageMaxBytes, deps.limits.videoMaxBytes, deps.limits.audioMaxBytes);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxAny + 64 * 1024) {
    req.resume();
    throw new AppError('payload_too_large', `The file is larger than ${mb(maxAny)}, the most we accept`);
  }
  // Past a quota or the disk reserve: refused before a byte is written when the size is
  // declared, and while streaming (at the quota, not after) when it is not.
  const room = { bytes: deps.room.bytes, refusal: () => deps.room.refusal(Number.isFinite(declared) ? declared : 0) };
  if (room.bytes <= 0 || (Number.isFinite(declared) && declared > room.bytes + 64 * 1024)) {
    req.resume();
    throw room.refusal();
  }
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    req.resume();
    throw new AppError('bad_request', 'Send the file as multipart/form-data in a field named "file"');
  }
  const ingested = await streamFileField(req, { ...deps, room }, maxAny);
  try {
    const { sniffed, info } = await inspect(ingested, deps);
    return { ingested, sniffed, info, fileName: ingested.fileName };
  } catch (err) {
    await ingested.discard();
    throw err;
  }
}

function streamFileField(req: IncomingMessage, deps: UploadDeps, maxAny: number): Promise<Ingested & { fileName?: string }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 10, parts: 12, fileSize: maxAny + 1 } });
    } catch {
      req.resume();
      return reject(new AppError('bad_request', 'The multipart body is malformed'));
    }
    let pending: Promise<void> | null = null;
    let result: (Ingested & { fileName?: string }) | null = null;
    let failure: unknown = null;
    const fail = (err: unknown) => {
      failure ??= err;
    };
    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || pending) {
        stream.resume();
        return;
      }
      const limiter = kindLimiter(deps.limits, deps.room);
      const piped = stream.pipe(limiter);
      stream.on('limit', () => limiter.destroy(new TooLargeError(maxAny)));
      // A body that ends mid-file makes busboy destroy this stream with an error. Unheard, that
      // error would be an uncaught exception (the whole process down); `pipe` does not pass it
      // on, so end the ingest with it here, as the client's fault.
      stream.on('error', (err) => limiter.destroy(new AppError('bad_request', `The multipart body is malformed: ${err.message}`)));
      limiter.on('error', () => stream.resume());
      pending = deps.blobs.ingest(piped, { maxBytes: maxAny }).then(
        (ing) => {
          result = Object.assign(ing, { fileName: info.filename });
        },
        (err) => {
          stream.resume();
          fail(err);
        },
      );
    });
    bb.on('error', (err) => fail(new AppError('bad_request', `The multipart body is malformed: ${(err as Error).message}`)));
    pipeline(req, bb)
      .catch((err) => fail(err))
      .then(async () => {
        await pending;
        const r = result as (Ingested & { fileName?: string }) | null;
        if (failure) {
          await r?.discard();
          return reject(toAppError(failure, maxAny));
        }
        if (!r) return reject(new AppError('bad_request', 'No file was sent: use a multipart field named "file"', { field: 'file' }));
        if (r.bytes === 0) {
          await r.discard();
          return reject(new AppError('bad_request', 'The file is empty', { field: 'file' }));
        }
        resolve(r);
      });
  });
}

/**
 * What the upload is, by its bytes: the kind and size limit from the magic numbers, then the media
 * layer's probe (scriptable and playlist formats, limits on size, length and frames, all checked
 * before anything decodes) and a decode of its first and last pictures.
 */
async function inspect(up: Ingested & { fileName?: string }, deps: { media: Media; limits: AssetLimits }) {
  const head = await readHead(up.path);
  let sniffed = sniffHead(head);
  if (!sniffed) throw unsupported(refusalFor(head));
  // The name never makes a file acceptable, but a file named as sound that is not sound was
  // meant as audio: say so rather than store a picture where a voice line was expected.
  if (sniffed.kind !== 'audio' && namedAsAudio(up.fileName)) {
    throw unsupported(`"${up.fileName}" is named as audio but holds ${KIND_ARTICLE[sniffed.kind]} (${sniffed.mime}); an audio file must be ${AUDIO_FORMATS}`);
  }
  const limit = maxBytesOf(deps.limits, sniffed.kind);
  if (up.bytes > limit) throw new AppError('payload_too_large', `${KIND_PLURAL[sniffed.kind]} may be at most ${mb(limit)}`);
  let info: MediaInfo;
  try {
    info = await deps.media.probe(up.path);
    const sound = info.kind === 'audio' && sniffed.kind === 'video' ? soundInVideoContainer(sniffed) : null;
    if (sound) {
      sniffed = sound;
      const audioLimit = maxBytesOf(deps.limits, 'audio');
      if (up.bytes > audioLimit) throw new AppError('payload_too_large', `${KIND_PLURAL.audio} may be at most ${mb(audioLimit)}`);
    }
    if (info.kind !== sniffed.kind) throw unsupported(`The file starts like ${sniffed.mime} but does not hold ${KIND_ARTICLE[sniffed.kind]}`);
    await deps.media.verify(up.path, info);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof MediaError && (err.code === 'refused' || err.code === 'over_limit')) throw unsupported(err.message);
    if (err instanceof MediaError) {
      const why = err.code === 'corrupt' ? 'it is truncated or damaged' : err.code === 'timeout' ? 'reading it took too long' : 'it could not be read';
      throw unsupported(`This ${sniffed.mime} file was refused: ${why}`);
    }
    throw err;
  }
  return { sniffed, info };
}

const AUDIO_NAME = /\.(wav|wave|mp3|aac|m4a|ogg|oga|opus|flac)$/i;
const AUDIO_FORMATS = 'WAV, MP3, AAC/M4A, OGG/Opus or FLAC';
const namedAsAudio = (name: string | undefined) => name !== undefined && AUDIO_NAME.test(name.trim());

const KIND_PLURAL = { image: 'Images', video: 'Videos', audio: 'Audio files' } as const;
const KIND_ARTICLE = { image: 'an image', video: 'a video', audio: 'audio' } as const;

function unsupported(message: string): AppErrorT {
  return new AppError('unsupported_media_type', message);
}

function toAppError(err: unknown, maxAny: number): unknown {
  if (err instanceof AppError) return err;
  if (err instanceof TooLargeError) return new AppError('payload_too_large', `The file is larger than ${mb(err.maxBytes ?? maxAny)}, the most we accept for its kind`);
  if (err instanceof UnsupportedMediaError) return unsupported(err.message);
  return err;
}
