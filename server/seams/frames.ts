/**
 * The ffmpeg half of seam scoring: the frames either side of a cut, decoded and scaled to one
 * small size, and their structural similarity by ffmpeg's `ssim` filter. Clips are opened as
 * untrusted (probed against the limits first, whitelisted demuxer), like every take clip.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { demuxerOf, fileUrl, untrustedInput, type Media } from '../assets/media.js';
import type { RgbFrame } from './measures.js';

/** Frames are compared at this size: enough for structure and motion, cheap to decode and count. */
export const FRAME_W = 128;
export const FRAME_H = 72;
/** How much of each clip's end (upstream) and start (downstream) is read, in seconds. */
export const WINDOW_SEC = 0.5;

const FRAME_BYTES = FRAME_W * FRAME_H * 3;

/**
 * The frames of the last (`end`) or first (`start`) WINDOW_SEC of a clip, in order. Throws (a
 * MediaError, or an Error saying so) when the clip cannot be read or holds no frame there.
 */
export async function clipFrames(media: Media, clip: string, side: 'start' | 'end', workDir: string): Promise<RgbFrame[]> {
  const info = await media.probe(clip);
  if (info.kind !== 'video') throw new Error('it is not a video');
  const seek = side === 'end' ? ['-sseof', `-${WINDOW_SEC}`] : ['-t', String(WINDOW_SEC)];
  const out = path.join(workDir, `${side}.rgb`);
  await media.ffmpeg([
    '-v', 'error', ...untrustedInput(clip, demuxerOf(info.format), seek), '-map', '0:v:0',
    '-vf', `scale=${FRAME_W}:${FRAME_H}:flags=area,format=rgb24`, '-f', 'rawvideo', '-y', fileUrl(out),
  ]);
  const bytes = await fs.readFile(out);
  const frames: RgbFrame[] = [];
  for (let at = 0; at + FRAME_BYTES <= bytes.length; at += FRAME_BYTES) frames.push({ width: FRAME_W, height: FRAME_H, rgb: bytes.subarray(at, at + FRAME_BYTES) });
  if (frames.length === 0) throw new Error(`no frame could be decoded from its ${side === 'end' ? 'last' : 'first'} ${WINDOW_SEC} s (too short?)`);
  return frames;
}

/** ffmpeg's `ssim` of two frames of the same size (its "All" figure), in [0, 1]. */
export async function ssim(media: Media, a: RgbFrame, b: RgbFrame, workDir: string): Promise<number> {
  const files = [path.join(workDir, 'a.rgb'), path.join(workDir, 'b.rgb')] as const;
  await fs.writeFile(files[0], a.rgb);
  await fs.writeFile(files[1], b.rgb);
  const raw = (file: string) => ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${a.width}x${a.height}`, '-i', fileUrl(file)];
  const { stderr } = await media.ffmpeg(['-v', 'info', '-nostats', ...raw(files[0]), ...raw(files[1]), '-lavfi', '[0:v][1:v]ssim', '-f', 'null', '-']);
  const m = /SSIM .*All:([0-9.]+)/.exec(stderr);
  if (!m) throw new Error('ffmpeg printed no SSIM figure');
  return Math.min(1, Math.max(0, Number(m[1])));
}
