/**
 * The animatic mixes the shot's sound into its clip: the take then has an AAC track exactly as long
 * as its picture, padded with silence when the sound is shorter and cut when it is longer.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderAnimatic, type AnimaticInput } from '../../server/generation/animatic/index.js';
import { FFPROBE, ffmpeg, useAnimaticFixtures } from './helpers.js';

const run = promisify(execFile);
const t = useAnimaticFixtures();
const shot: AnimaticInput = { durationSec: 2, aspectRatio: '16:9', seed: 5, title: 'Line', prompt: 'She answers' };

/** Each stream's type and duration as ffprobe reads them. */
async function streams(file: string): Promise<{ codec_type: string; codec_name: string; duration: string; nb_frames: string }[]> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-print_format', 'json', '-show_streams', file]);
  return (JSON.parse(stdout) as { streams: { codec_type: string; codec_name: string; duration: string; nb_frames: string }[] }).streams;
}

describe('animatic soundtrack', () => {
  let short: string;
  let long: string;
  beforeAll(async () => {
    short = t.fx.out('voice.wav');
    long = t.fx.out('music.mp3');
    await Promise.all([
      ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=22050:duration=0.7', short),
      ffmpeg('-f', 'lavfi', '-i', 'anoisesrc=sample_rate=44100:duration=6', '-c:a', 'libmp3lame', long),
    ]);
  });

  it.each([['a shorter voice line (padded)', () => short], ['a longer music cue (cut)', () => long]])('%s becomes an AAC track as long as the picture', async (_what, file) => {
    const out = t.fx.out(`with-sound-${Math.random().toString(36).slice(2)}.mp4`);
    await renderAnimatic(t.media, { ...shot, audio: file() }, out);
    const [video, audio] = [...(await streams(out))].sort((a, b) => (a.codec_type < b.codec_type ? 1 : -1));
    expect(video).toMatchObject({ codec_type: 'video', codec_name: 'h264', nb_frames: '48' });
    expect(audio).toMatchObject({ codec_type: 'audio', codec_name: 'aac' });
    expect(Number(audio!.duration)).toBeCloseTo(2, 1);
    expect(Number(video!.duration)).toBeCloseTo(2, 1);
    expect((await t.media.probe(out)).hasAudio).toBe(true);
  });

  it('without a sound the clip stays silent', async () => {
    const out = t.fx.out('silent.mp4');
    await renderAnimatic(t.media, shot, out);
    expect((await streams(out)).map((s) => s.codec_type)).toEqual(['video']);
  });
});
