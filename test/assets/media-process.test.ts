import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError, createMedia } from '../../server/assets/media.js';
import { parseProbe } from '../../server/assets/media-info.js';
import { createSemaphore } from '../../server/assets/semaphore.js';
import { ffmpeg } from './media-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'takeboard-media-proc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('media processes', () => {
  it('kills a child that runs past its time limit', async () => {
    const media = createMedia({ timeoutMs: 300 });
    const t0 = performance.now();
    const err = await media
      .ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=30', '-t', '3600', '-c:v', 'libx264', '-f', 'null', '-'])
      .then(() => null, (e: unknown) => e as MediaError);
    expect(err).toBeInstanceOf(MediaError);
    expect(err?.code).toBe('timeout');
    expect(err?.details.signal).toBe('SIGKILL');
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(isAlive(err?.details.pid ?? 0)).toBe(false);
  });

  it('lets one call override the time limit', async () => {
    const media = createMedia({ timeoutMs: 60_000 });
    const err = await media
      .ffmpeg(['-f', 'lavfi', '-i', 'testsrc', '-t', '3600', '-f', 'null', '-'], { timeoutMs: 200 })
      .catch((e: unknown) => e as MediaError);
    expect(err).toMatchObject({ code: 'timeout' });
  });

  it('reports a missing binary as spawn_failed', async () => {
    const media = createMedia({ ffprobePath: path.join(dir, 'no-such-ffprobe') });
    await expect(media.probe('/dev/null')).rejects.toMatchObject({ code: 'spawn_failed' });
  });

  it('runs no more children at once than its concurrency', async () => {
    // A stand-in ffprobe that logs when it starts and ends, then fails like ffprobe on bad input.
    const log = path.join(dir, 'calls.log');
    const fake = path.join(dir, 'fake-ffprobe');
    await writeFile(fake, `#!/bin/sh\necho start >> '${log}'\nsleep 0.2\necho end >> '${log}'\necho 'bad input' >&2\nexit 1\n`);
    await chmod(fake, 0o755);
    const media = createMedia({ ffprobePath: fake, concurrency: 1 });
    const results = await Promise.allSettled([1, 2, 3].map(() => media.probe('/dev/null')));
    expect(results.map((r) => r.status === 'rejected' && (r.reason as MediaError).code)).toEqual(Array(3).fill('probe_failed'));
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['start', 'end', 'start', 'end', 'start', 'end']);
  });
});

describe('caps on children that read media from outside', () => {
  // 8000x8000 is inside the size limits (64 of 80 megapixels) yet takes 256 MB to decode as RGBA:
  // what stops it on a small host is the memory cap, not the probe. The caps here are 400 MB:
  // Debian's ffmpeg maps about 300 MB of shared libraries before it reads a byte.
  let big: string;
  beforeAll(async () => {
    big = path.join(dir, 'big.png');
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=8000x8000', '-frames:v', '1', '-pix_fmt', 'rgba', big);
  });

  it('stops a decode past the memory cap at once, names the cap, and the child is gone', async () => {
    const capped = createMedia({ memoryLimitBytes: 400 * 1024 * 1024 });
    const info = await capped.probe(big);
    const t0 = performance.now();
    const err = await capped.verify(big, info).then(() => null, (e: unknown) => e as MediaError);
    expect(err).toBeInstanceOf(MediaError);
    expect(err).toMatchObject({ code: 'over_limit', message: expect.stringMatching(/memory limit of 400 MB/) });
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(isAlive(err?.details.pid ?? 0)).toBe(false);
    // The cap, not the file, refused it: the default cap decodes the same picture.
    await createMedia().verify(big, info);
  });

  it('removes the partial output when a capped child fails', async () => {
    const out = path.join(dir, 'big-poster.jpg');
    const err = await createMedia({ memoryLimitBytes: 400 * 1024 * 1024 }).poster(big, out).catch((e: unknown) => e as MediaError);
    expect(err).toMatchObject({ code: 'over_limit' });
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('holds renders and exports (which decode admitted outside clips) to their own cap', async () => {
    const args = ['-v', 'error', '-i', big, '-f', 'null', '-'];
    const err = await createMedia({ renderMemoryLimitBytes: 400 * 1024 * 1024 }).ffmpeg(args).then(() => null, (e: unknown) => e as MediaError);
    expect(err).toMatchObject({ code: 'over_limit', message: expect.stringMatching(/memory limit of 400 MB/) });
    expect(isAlive(err?.details.pid ?? 0)).toBe(false);
    // Twice the outside-media cap by default: the same decode renders.
    await createMedia().ffmpeg(args);
  });

  it('kills a capped child that runs past its time limit', async () => {
    const slow = createMedia({ timeoutMs: 100 });
    const info = await createMedia().probe(big);
    const err = await slow.verify(big, info).then(() => null, (e: unknown) => e as MediaError);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(err?.details.signal).toBe('SIGKILL');
    expect(isAlive(err?.details.pid ?? 0)).toBe(false);
  });
});

describe('semaphore', () => {
  it('caps running tasks and releases slots on failure', async () => {
    const sem = createSemaphore(2);
    let running = 0;
    let peak = 0;
    const task = (fail: boolean) => sem.run(async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      if (fail) throw new Error('boom');
      return 'ok';
    });
    const results = await Promise.allSettled([false, true, false, true, false, false].map(task));
    expect(peak).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(sem.active).toBe(0);
    expect(sem.waiting).toBe(0);
    expect(() => createSemaphore(0)).toThrow(RangeError);
  });
});

describe('parseProbe', () => {
  it('reads sound without a picture as audio, and refuses output with neither', () => {
    const audioOnly = JSON.stringify({ streams: [{ codec_type: 'audio', codec_name: 'aac', sample_rate: '44100', channels: 2 }], format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '3.0' } });
    expect(parseProbe(audioOnly)).toEqual({ ok: true, info: { kind: 'audio', format: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'aac', width: 0, height: 0, hasAudio: true, durationSec: 3, sampleRate: 44100, channels: 2 } });
    const nothing = JSON.stringify({ streams: [{ codec_type: 'data' }], format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2' } });
    expect(parseProbe(nothing)).toEqual({ ok: false, reason: 'no picture or sound stream found' });
    expect(parseProbe('not json')).toMatchObject({ ok: false });
    expect(parseProbe('{}')).toMatchObject({ ok: false });
  });

  it('skips cover art and reads fractional frame rates', () => {
    const json = JSON.stringify({
      streams: [
        { codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } },
        { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001' },
      ],
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.5' },
    });
    expect(parseProbe(json)).toEqual({
      ok: true,
      info: { kind: 'video', format: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'h264', width: 1920, height: 1080, durationSec: 12.5, fps: 29.97, hasAudio: false },
    });
  });
});
