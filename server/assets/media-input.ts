import path from 'node:path';

/**
 * How ffmpeg and ffprobe open a file that came from outside (an upload, a provider's clip, anything
 * stored from them). Three options, given before every `-i`:
 * - `-protocol_whitelist file`: the input and anything it opens are local files, never a URL.
 * - `-format_whitelist`: only the demuxers of the formats we accept. Nested opens inherit it, so a
 *   playlist or concat list (HLS, ffconcat, and the like) is refused outright instead of being
 *   followed to `/etc/passwd` or a URL, whatever the file is named.
 * - `-f`: when the magic bytes already said what the file is, that demuxer is pinned (and is the
 *   only one whitelisted), so content cannot be re-read as some other format.
 * The bundled ffmpeg (2018) and ffprobe (2023) and Debian's 5.1 of both take these options and the
 * `file:` URLs below; test/adversarial/untrusted-media.test.ts runs each of them on HLS and
 * ffconcat lists.
 */

/** Demuxers of the formats uploads accept, as ffmpeg names them (ffprobe reports e.g. `mov,mp4,…`). */
const ACCEPTED_DEMUXERS = ['mov', 'matroska', 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'wav', 'mp3', 'aac', 'ogg', 'flac'] as const;
/**
 * `image2` reads one still whole (see `verify`). Detection picks it over `jpeg_pipe` for a large
 * JPEG whose name ends in .jpg; it would read a numbered sequence only for a name with `%d` or glob
 * characters, and the names we pass are ours.
 */
export type Demuxer = (typeof ACCEPTED_DEMUXERS)[number] | 'image2';
const DETECTABLE: readonly Demuxer[] = [...ACCEPTED_DEMUXERS, 'image2'];

const BY_MIME: Readonly<Record<string, Demuxer>> = {
  'image/png': 'png_pipe',
  'image/jpeg': 'jpeg_pipe',
  'image/webp': 'webp_pipe',
  'video/mp4': 'mov',
  'video/quicktime': 'mov',
  'video/webm': 'matroska',
  'video/x-matroska': 'matroska',
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
  'audio/mp4': 'mov',
  'audio/ogg': 'ogg',
  'audio/flac': 'flac',
  'audio/webm': 'matroska',
  'audio/x-matroska': 'matroska',
};

/** The demuxer for a sniffed MIME type (see `sniff.ts`). */
export function demuxerForMime(mime: string): Demuxer | undefined {
  return BY_MIME[mime];
}

/** The demuxer behind ffprobe's format name (`mov,mp4,m4a,3gp,3g2,mj2` -> `mov`), if it is one we accept. */
export function demuxerOf(format: string): Demuxer | undefined {
  const first = format.split(',')[0] ?? '';
  return (ACCEPTED_DEMUXERS as readonly string[]).includes(first) ? (first as Demuxer) : undefined;
}

/**
 * A local path as ffmpeg should see it: `file:` URLs are read literally, so a name cannot smuggle
 * in a protocol (`http:`, `concat:`) or pass for an option (`-i`). Use it for `media.ffmpeg` args.
 */
export function fileUrl(p: string): string {
  return `file:${path.resolve(p)}`;
}

/**
 * `-i <file>` with the options above; `inputOptions` (seeks, a decoder) go before the `-i` too.
 * Works for ffmpeg and ffprobe alike (both take `-i`).
 */
export function untrustedInput(file: string, demuxer: Demuxer | undefined, inputOptions: readonly string[] = []): string[] {
  const formats = demuxer ? ['-format_whitelist', demuxer, '-f', demuxer] : ['-format_whitelist', DETECTABLE.join(',')];
  return ['-protocol_whitelist', 'file', ...formats, ...inputOptions, '-i', fileUrl(file)];
}
