import { open } from 'node:fs/promises';
import { imageSize } from './image-size.js';

/** What the first bytes of a file say it is. The upload route accepts nothing else. */
export interface Sniffed {
  kind: 'image' | 'video' | 'audio';
  mime: string;
  ext: string;
}

/** Bytes worth reading: the ftyp box and EBML header fit easily, and a JPEG's size marker
 * comes after its EXIF block (at most 64 KiB). */
export const SNIFF_BYTES = 128 * 1024;

/** `Sniffed` plus the picture size a still's header claims, when it could be read. */
export type SniffedFile = Sniffed & { width?: number; height?: number };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const EBML = [0x1a, 0x45, 0xdf, 0xa3];

/** ISO BMFF brands of still-image formats (AVIF, HEIF): an ftyp box, but not a video we take. */
const IMAGE_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
/** ISO BMFF brands of MP4 video. */
const MP4_BRANDS = new Set([
  'isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4VH', 'M4VP',
  'dash', 'mmp4', 'MSNV', 'NDAS', 'f4v ', 'XAVC', '3gp4', '3gp5', '3gp6', '3g2a',
]);

/** ISO BMFF brands of audio-only MP4 (iTunes AAC, audiobooks): sniffed as audio, probed as such. */
const M4A_BRANDS = new Set(['M4A ', 'M4B ']);

const MP4: Sniffed = { kind: 'video', mime: 'video/mp4', ext: 'mp4' };
const M4A: Sniffed = { kind: 'audio', mime: 'audio/mp4', ext: 'm4a' };
const MOV: Sniffed = { kind: 'video', mime: 'video/quicktime', ext: 'mov' };

/**
 * Identifies png, jpeg, webp, mp4/mov, webm/matroska and the audio formats (wav, mp3, aac/m4a,
 * ogg/opus, flac) from a file's first bytes (see `SNIFF_BYTES`). Returns null for anything else;
 * the name or declared type is never consulted.
 */
export function sniff(head: Uint8Array): Sniffed | null {
  if (startsWith(head, PNG)) return { kind: 'image', mime: 'image/png', ext: 'png' };
  if (startsWith(head, JPEG)) return { kind: 'image', mime: 'image/jpeg', ext: 'jpg' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') {
    return { kind: 'image', mime: 'image/webp', ext: 'webp' };
  }
  if (ascii(head, 4, 4) === 'ftyp') return sniffFtyp(head);
  if (startsWith(head, EBML)) return sniffEbml(head);
  return sniffAudio(head);
}

/**
 * Audio by its magic: RIFF/WAVE, `fLaC`, `OggS` (Vorbis, Opus, FLAC in Ogg), an ID3 tag (MP3s
 * carry one before the first frame), or a bare frame header whose every field is valid (see
 * `frameHeader`). A JPEG (FF D8) never matches, nor a UTF-16 BOM (FF FE: layer I, never taken).
 */
function sniffAudio(head: Uint8Array): Sniffed | null {
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE') return { kind: 'audio', mime: 'audio/wav', ext: 'wav' };
  if (ascii(head, 0, 4) === 'fLaC') return { kind: 'audio', mime: 'audio/flac', ext: 'flac' };
  if (ascii(head, 0, 4) === 'OggS') return { kind: 'audio', mime: 'audio/ogg', ext: 'ogg' };
  if (ascii(head, 0, 3) === 'ID3') return MP3;
  return frameHeader(head);
}

/**
 * A bare MPEG audio frame: 11 sync bits, then for ADTS AAC version/layer bits 0 and a sampling
 * index below 13; for MP3 a known version, layer II or III (layer I is extinct, and FF FE is
 * also a UTF-16 byte order mark), a bitrate index other than free (0) or bad (15) and a known
 * sample rate. Anything less strict would take text or other binaries for sound.
 */
function frameHeader(head: Uint8Array): Sniffed | null {
  if (head.length < 4 || head[0] !== 0xff || (head[1]! & 0xe0) !== 0xe0) return null;
  const [b1, b2] = [head[1]!, head[2]!];
  if ((b1 & 0xf6) === 0xf0) return ((b2 >> 2) & 0x0f) < 13 ? { kind: 'audio', mime: 'audio/aac', ext: 'aac' } : null;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 0b11;
  const valid = version !== 0b01 && (layer === 0b01 || layer === 0b10) && bitrate !== 0 && bitrate !== 15 && rate !== 3;
  return valid ? MP3 : null;
}

const MP3: Sniffed = { kind: 'audio', mime: 'audio/mpeg', ext: 'mp3' };

/**
 * The length a WebP's RIFF header declares for the whole file (size field + 8), or null for
 * anything else. A file of another length carries bytes no WebP decoder vouches for: the 2018
 * ffmpeg crashed on a trailer, Debian's 5.1 ignores it, so the check is ours.
 */
export function webpDeclaredBytes(head: Uint8Array): number | null {
  if (head.length < 12 || ascii(head, 0, 4) !== 'RIFF' || ascii(head, 8, 4) !== 'WEBP') return null;
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).readUInt32LE(4) + 8;
}

/**
 * A video container that the probe found holds only sound (a voice memo saved as MP4, a browser
 * recording in WebM): the same bytes named as audio. Null for anything else.
 */
export function soundInVideoContainer(s: Sniffed): Sniffed | null {
  if (s.mime === 'video/mp4' || s.mime === 'video/quicktime') return M4A;
  if (s.mime === 'video/webm') return { kind: 'audio', mime: 'audio/webm', ext: 'webm' };
  if (s.mime === 'video/x-matroska') return { kind: 'audio', mime: 'audio/x-matroska', ext: 'mka' };
  return null;
}

/** The first `SNIFF_BYTES` of a file (fewer when it is shorter). */
export async function readHead(file: string): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * `sniff` plus, for stills, the size the header claims, so the caller can refuse a decompression
 * bomb (`checkDimensions`) before any decoder sees it.
 */
export function sniffHead(head: Uint8Array): SniffedFile | null {
  const found = sniff(head);
  const size = found?.kind === 'image' ? imageSize(head) : null;
  return found && size ? { ...found, ...size } : found;
}

/** Sniffs the start of a file (see `sniffHead`). */
export async function sniffFile(file: string): Promise<SniffedFile | null> {
  return sniffHead(await readHead(file));
}

/** How many bytes `refusalFor` reads to name an unsafe format. */
export const REFUSAL_BYTES = 4096;

/**
 * Formats turned away by name, because opening them is unsafe rather than merely unsupported:
 * scriptable documents (a browser or renderer runs what they carry) and lists that make ffmpeg
 * open other files or URLs. Tested in order against the start of the file, BOM and blanks dropped.
 */
const NAMED_REFUSALS: readonly [RegExp, string][] = [
  [/^<(?:[\s\S]*<)?svg[\s>/]/i, 'an SVG image, which can carry scripts'],
  [/^<(?:[\s\S]*<)?(html|head|body|script|iframe)[\s>/]|^<!doctype html/i, 'an HTML page, which can carry scripts'],
  [/^</, 'an XML or HTML document, which can carry scripts or point at other files'],
  [/^%PDF-/, 'a PDF document, which can carry scripts'],
  [/^%!|^\xc5\xd0\xd3\xc6/, 'a PostScript file, which is a program'],
  [/^#EXTM3U/i, 'an HLS/M3U playlist, which makes ffmpeg open other files or URLs'],
  [/^ffconcat version/, 'an ffconcat list, which makes ffmpeg open other files'],
  [/^v=0\r?\n/, 'an SDP description, which makes ffmpeg open network streams'],
];

const ACCEPTED = 'a PNG, JPEG or WebP image, an MP4, MOV or WebM video, or a WAV, MP3, AAC/M4A, OGG/Opus or FLAC audio file';

/** For a file of one of the unsafe formats above, what it is and why that is unsafe (`an SVG image, which …`); else null. */
export function unsafeFormat(head: Uint8Array): string | null {
  const text = textStart(head);
  return NAMED_REFUSALS.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

/** Why an upload that `sniff` does not recognise is refused, for the user: the named reason, else what we accept. */
export function refusalFor(head: Uint8Array): string {
  const unsafe = unsafeFormat(head);
  return unsafe ? `Refused: this file is ${unsafe}. Upload ${ACCEPTED} instead` : `This file is not ${ACCEPTED}`;
}

/** The start of a file as text: UTF-16 decoded when it has that BOM, a UTF-8 BOM and leading blanks dropped. */
function textStart(head: Uint8Array): string {
  const b = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, REFUSAL_BYTES) & ~1);
  const text =
    b[0] === 0xff && b[1] === 0xfe ? b.subarray(2).toString('utf16le')
      : b[0] === 0xfe && b[1] === 0xff ? Buffer.from(b.subarray(2)).swap16().toString('utf16le')
        : b.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  return text.trimStart();
}

/** `[size:4][ftyp][major:4][minor:4][compatible:4]*` */
function sniffFtyp(head: Uint8Array): Sniffed | null {
  const major = ascii(head, 8, 4);
  if (major === null || IMAGE_BRANDS.has(major)) return null;
  if (major === 'qt  ') return MOV;
  if (M4A_BRANDS.has(major)) return M4A;
  if (MP4_BRANDS.has(major)) return MP4;
  // Unknown major brand: trust a known compatible brand listed inside the same box.
  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  const end = Math.min(boxSize, head.length);
  for (let at = 16; at + 4 <= end; at += 4) {
    const brand = ascii(head, at, 4);
    if (brand === null || IMAGE_BRANDS.has(brand)) return null;
    if (brand === 'qt  ') return MOV;
    if (MP4_BRANDS.has(brand)) return MP4;
  }
  return null;
}

/** The EBML header names its DocType (element 0x4282) in the first few dozen bytes. */
function sniffEbml(head: Uint8Array): Sniffed | null {
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1');
  if (text.includes('webm')) return { kind: 'video', mime: 'video/webm', ext: 'webm' };
  if (text.includes('matroska')) return { kind: 'video', mime: 'video/x-matroska', ext: 'mkv' };
  return null;
}

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/** `len` bytes at `at` as Latin-1, or null when the buffer is too short. */
function ascii(head: Uint8Array, at: number, len: number): string | null {
  if (head.length < at + len) return null;
  return Buffer.from(head.subarray(at, at + len)).toString('latin1');
}
