import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';
import { createMedia, MediaError, type Media } from '../../server/assets/media.js';
import { FFMPEG, FFPROBE, ffmpeg } from '../assets/media-fixtures.js';

const run = promisify(execFile);
export { FFMPEG, FFPROBE, ffmpeg } from '../assets/media-fixtures.js';

/** Pictures for renders, made by ffmpeg in a fresh temp dir. */
export interface AnimaticFixtures {
  dir: string;
  /** 640x360, the testsrc2 pattern. */
  start: string;
  /** 800x600 colour bars (different aspect: it must be cropped to cover). */
  end: string;
  /** References: 300x300 RGB pattern, 400x300 Mandelbrot JPEG, 360x640 portrait gradient. */
  refs: string[];
  out(name: string): string;
  cleanup(): Promise<void>;
}

export async function makeAnimaticFixtures(): Promise<AnimaticFixtures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'takeboard-animatic-test-'));
  const f = (name: string) => path.join(dir, name);
  const still = (src: string, out: string) => ffmpeg('-f', 'lavfi', '-i', src, '-frames:v', '1', out);
  const fx: AnimaticFixtures = {
    dir,
    start: f('start.png'),
    end: f('end.png'),
    refs: [f('ref-rgb.png'), f('ref-mandel.jpg'), f('ref-tall.png')],
    out: f,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await Promise.all([
    still('testsrc2=size=640x360', fx.start),
    still('smptebars=size=800x600', fx.end),
    still('rgbtestsrc=size=300x300', fx.refs[0]!),
    still('mandelbrot=size=400x300', fx.refs[1]!),
    ffmpeg('-f', 'lavfi', '-i', 'color=c=orange:size=360x640', '-vf', "format=gbrp,geq=r='255*Y/H':g='128':b='255*X/W'", '-frames:v', '1', fx.refs[2]!),
  ]);
  return fx;
}

/** The stream facts a player cares about, straight from ffprobe. */
/**
 * The pictures and media tools of one animatic test file: made before its tests, removed after.
 * Read `fx` and `media` inside tests and hooks.
 */
export function useAnimaticFixtures(): { readonly fx: AnimaticFixtures; readonly media: Media } {
  let fx: AnimaticFixtures | undefined;
  let media: Media | undefined;
  beforeAll(async () => {
    fx = await makeAnimaticFixtures();
    media = createMedia();
  });
  afterAll(() => fx?.cleanup());
  return {
    get fx() {
      if (!fx) throw new Error('animatic fixtures are read before their beforeAll made them');
      return fx;
    },
    get media() {
      if (!media) throw new Error('animatic media tools are read before their beforeAll made them');
      return media;
    },
  };
}

export async function streamInfo(file: string) {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-print_format', 'json', '-count_frames', '-show_streams', '-show_format', file]);
  const json = JSON.parse(stdout) as {
    streams: Array<Record<string, string | number>>;
    format: { duration: string; format_name: string };
  };
  const v = json.streams.find((s) => s.codec_type === 'video')!;
  return {
    codec: v.codec_name,
    pixFmt: v.pix_fmt,
    width: Number(v.width),
    height: Number(v.height),
    rFrameRate: v.r_frame_rate,
    avgFrameRate: v.avg_frame_rate,
    frames: Number(v.nb_read_frames),
    streams: json.streams.length,
    durationSec: Number(json.format.duration),
  };
}

/** One decoded frame (`at`: 'first', 'last', or a frame index) as 8-bit grey at `w`x`h`. */
export async function grayFrame(file: string, w: number, h: number, at: 'first' | 'last' | number = 'first'): Promise<Buffer> {
  const pick = at === 'first' ? [] : at === 'last' ? [] : [`select=eq(n\\,${at})`];
  const seek = at === 'last' ? ['-sseof', '-0.5'] : [];
  const vf = [...pick, `scale=${w}:${h}:flags=area`, 'format=gray'].join(',');
  const args = ['-v', 'error', ...seek, '-i', file, '-vf', vf, ...(at === 'last' ? [] : ['-frames:v', '1']), '-f', 'rawvideo', '-'];
  const { stdout } = await run(FFMPEG, args, { encoding: 'buffer', maxBuffer: 64 << 20 });
  // For 'last', every frame of the final half second was written: keep the final one.
  return stdout.subarray(stdout.length - w * h);
}

/** Mean absolute difference of two grey pictures, 0..255. */
export function meanAbsDiff(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** The rows `from`..`to` (fractions of the height) of a grey picture `w` wide. */
export function rows(buf: Buffer, w: number, from: number, to: number): Buffer {
  const h = buf.length / w;
  return buf.subarray(Math.floor(h * from) * w, Math.floor(h * to) * w);
}

/** ffmpeg's per-frame MD5s of the decoded video, without the header (which names the file). */
export async function frameMd5(file: string): Promise<string[]> {
  const { stdout } = await run(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-'], { maxBuffer: 64 << 20 });
  return stdout.split('\n').filter((l) => l && !l.startsWith('#'));
}

export async function rejection(p: Promise<unknown>): Promise<MediaError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MediaError);
  return err as MediaError;
}
