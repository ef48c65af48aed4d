import { open } from 'node:fs/promises';
import { imageSize } from './image-size.js';

/** What the first bytes of a file say it is. The upload route accepts nothing else. */
export interface Sniffed {
  kind: 'image' | 'video';
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

const MP4: Sniffed = { kind: 'video', mime: 'video/mp4', ext: 'mp4' };
const MOV: Sniffed = { kind: 'video', mime: 'video/quicktime', ext: 'mov' };

/**
 * Identifies png, jpeg, webp, mp4/mov and webm/matroska from a file's first bytes (see
 * `SNIFF_BYTES`). Returns null for anything else; the name or declared type is never consulted.
 */
export function sniff(head: Uint8Array): Sniffed | null {
  if (startsWith(head, PNG)) return { kind: 'image', mime: 'image/png', ext: 'png' };
  if (startsWith(head, JPEG)) return { kind: 'image', mime: 'image/jpeg', ext: 'jpg' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') {
    return { kind: 'image', mime: 'image/webp', ext: 'webp' };
  }
  if (ascii(head, 4, 4) === 'ftyp') return sniffFtyp(head);
  if (startsWith(head, EBML)) return sniffEbml(head);
  return null;
}

/**
 * Sniffs the start of a file. For stills it also reads the size the header claims, so the caller
 * can refuse a decompression bomb (`checkDimensions`) before any decoder sees it.
 */
export async function sniffFile(file: string): Promise<SniffedFile | null> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    const found = sniff(head);
    const size = found?.kind === 'image' ? imageSize(head) : null;
    return found && size ? { ...found, ...size } : found;
  } finally {
    await fh.close();
  }
}

/** `[size:4][ftyp][major:4][minor:4][compatible:4]*` */
function sniffFtyp(head: Uint8Array): Sniffed | null {
  const major = ascii(head, 8, 4);
  if (major === null || IMAGE_BRANDS.has(major)) return null;
  if (major === 'qt  ') return MOV;
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
