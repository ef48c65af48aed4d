import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createMedia } from '../../server/assets/media.js';
import { bundledTool } from '../../server/assets/media-tools.js';

const run = promisify(execFile);
/** The binaries the server would pick here (FFMPEG_PATH/FFPROBE_PATH, PATH, then bundled), as `createMedia()` does. */
export const FFMPEG = createMedia().tools.ffmpeg.path;
export const FFPROBE = createMedia().tools.ffprobe.path;
/** The old builds shipped in npm packages (the last resort), for tests that compare against them. */
export const BUNDLED_FFMPEG = bundledTool('ffmpeg')!;
export const BUNDLED_FFPROBE = bundledTool('ffprobe')!;

/** Real media made by ffmpeg in a fresh temp dir; `cleanup` removes it all. */
export interface MediaFixtures {
  dir: string;
  /** 10 s, 320x240 @ 24 fps, H.264 + AAC, moov at the end (ffmpeg's default). */
  clip: string;
  /** 3 s, 256x144 @ 25 fps, VP8, no audio. */
  webm: string;
  /** 2 s, 160x120, H.264 in a QuickTime container. */
  mov: string;
  png: string; // 400x300
  jpeg: string; // 1920x1080
  webp: string; // 200x100, lossy (VP8 chunk)
  webpLossless: string; // 120x90 (VP8L chunk)
  webpAlpha: string; // 90x60 with alpha (VP8X chunk)
  /** Plain text with an .mp4 name. */
  textAsMp4: string;
  /** The first half of `clip`: headers at the end, so they are gone. */
  truncatedMp4: string;
  /** The first half of a faststart copy of `clip`: headers intact, data cut short. */
  truncatedFaststart: string;
  cleanup(): Promise<void>;
}

export async function ffmpeg(...args: string[]): Promise<void> {
  await run(FFMPEG, ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args]);
}

const still = (size: string, out: string, ...codec: string[]) =>
  ffmpeg('-f', 'lavfi', '-i', `testsrc=size=${size}`, '-frames:v', '1', ...codec, out);

async function halfOf(src: string, out: string): Promise<void> {
  const buf = await readFile(src);
  await writeFile(out, buf.subarray(0, Math.floor(buf.length / 2)));
}

export async function makeMediaFixtures(): Promise<MediaFixtures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'takeboard-media-'));
  const f = (name: string) => path.join(dir, name);
  const fx = {
    dir,
    clip: f('clip.mp4'),
    webm: f('clip.webm'),
    mov: f('clip.mov'),
    png: f('still.png'),
    jpeg: f('still.jpg'),
    webp: f('still.webp'),
    webpLossless: f('lossless.webp'),
    webpAlpha: f('alpha.webp'),
    textAsMp4: f('notes.mp4'),
    truncatedMp4: f('truncated.mp4'),
    truncatedFaststart: f('truncated-faststart.mp4'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await Promise.all([
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=24', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
      '-t', '10', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', fx.clip),
    ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=256x144:rate=25', '-t', '3', '-c:v', 'libvpx', '-b:v', '300k', fx.webm),
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=24', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-f', 'mov', fx.mov),
    still('400x300', fx.png),
    still('1920x1080', fx.jpeg, '-q:v', '3'),
    still('200x100', fx.webp, '-c:v', 'libwebp'),
    still('120x90', fx.webpLossless, '-c:v', 'libwebp', '-lossless', '1'),
    // Real transparency (alpha rising left to right) makes libwebp write the extended VP8X header.
    still('90x60', fx.webpAlpha, '-vf', "format=yuva420p,geq=lum='lum(X,Y)':cb='cb(X,Y)':cr='cr(X,Y)':a='X*2'", '-c:v', 'libwebp'),
    writeFile(fx.textAsMp4, 'These are my notes, not a video.\n'.repeat(50)),
  ]);
  const faststart = f('faststart.mp4');
  await ffmpeg('-i', fx.clip, '-c', 'copy', '-movflags', '+faststart', faststart);
  await Promise.all([halfOf(fx.clip, fx.truncatedMp4), halfOf(faststart, fx.truncatedFaststart)]);
  return fx;
}
