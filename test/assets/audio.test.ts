/**
 * Audio references (voice lines, music, ambience): every accepted format is recognised by its
 * bytes and probed as sound with ffprobe, and a file past the limits is refused naming the limit.
 * The files are made here with ffmpeg's `sine` and `anoisesrc` sources.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError, createMedia, type Media } from '../../server/assets/media.js';
import { sniffFile } from '../../server/assets/sniff.js';
import { ffmpeg } from './media-fixtures.js';

let dir: string;
let media: Media;
const f = (name: string) => path.join(dir, name);
const voice = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2'];
const rain = ['-f', 'lavfi', '-i', 'anoisesrc=color=pink:sample_rate=44100:duration=2'];

/** Each accepted format: the file, the type its bytes say, and the codec ffprobe finds. */
const FORMATS = [
  { name: 'line.wav', args: [...voice, '-c:a', 'pcm_s16le'], mime: 'audio/wav', codec: 'pcm_s16le' },
  { name: 'line.mp3', args: [...voice, '-c:a', 'libmp3lame', '-b:a', '96k'], mime: 'audio/mpeg', codec: 'mp3' },
  // No ID3 tag: found by the MPEG frame sync alone.
  { name: 'bare.mp3', args: [...voice, '-c:a', 'libmp3lame', '-id3v2_version', '0', '-write_xing', '0'], mime: 'audio/mpeg', codec: 'mp3' },
  { name: 'line.m4a', args: [...voice, '-c:a', 'aac', '-f', 'ipod'], mime: 'audio/mp4', codec: 'aac' },
  { name: 'line.aac', args: [...voice, '-c:a', 'aac', '-f', 'adts'], mime: 'audio/aac', codec: 'aac' },
  { name: 'rain.opus', args: [...rain, '-ac', '2', '-c:a', 'libopus', '-f', 'ogg'], mime: 'audio/ogg', codec: 'opus' },
  { name: 'rain.flac', args: [...rain, '-c:a', 'flac'], mime: 'audio/flac', codec: 'flac' },
] as const;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'takeboard-audio-'));
  media = createMedia();
  await Promise.all([
    ...FORMATS.map((x) => ffmpeg(...x.args, f(x.name))),
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1', f('still.png')),
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=220:sample_rate=8000:duration=12', '-c:a', 'pcm_s16le', f('long.wav')),
  ]);
  await copyFile(f('still.png'), f('picture.wav'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<MediaError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MediaError);
  return err as MediaError;
}

describe('audio files: sniffed, probed and verified', () => {
  it.each(FORMATS)('$name is audio by its bytes and ffprobe reads its length, rate and channels', async ({ name, mime, codec }) => {
    expect(await sniffFile(f(name))).toMatchObject({ kind: 'audio', mime });
    const info = await media.probe(f(name));
    expect(info).toMatchObject({ kind: 'audio', codec, width: 0, height: 0 });
    expect(info.durationSec).toBeCloseTo(2, 0);
    expect(info.sampleRate).toBe(name.startsWith('rain') ? (codec === 'opus' ? 48000 : 44100) : 48000);
    expect(info.channels).toBe(codec === 'opus' ? 2 : 1);
    await expect(media.verify(f(name), info)).resolves.toBeUndefined();
  });

  it('a PNG renamed .wav is a picture by its bytes, never sound', async () => {
    expect(await sniffFile(f('picture.wav'))).toMatchObject({ kind: 'image', mime: 'image/png' });
    expect((await media.probe(f('picture.wav'))).kind).toBe('image');
  });

  it('a sound longer than the audio limit is refused, naming the limit', async () => {
    const strict = createMedia({ limits: { maxAudioSec: 10 } });
    const err = await failure(strict.probe(f('long.wav')));
    expect(err.code).toBe('over_limit');
    expect(err.message).toBe('The audio is too large to process: it lasts 12 s, more than the limit of 10 s for audio');
    expect((await media.probe(f('long.wav'))).durationSec).toBeCloseTo(12, 0);
  });

  it('a sample rate outside what recordings use is refused, naming the range', async () => {
    const err = await failure(createMedia({ limits: { minSampleRate: 16000 } }).probe(f('long.wav')));
    expect(err.message).toMatch(/sample rate of 8000 Hz is outside 16000-192000 Hz$/);
  });

  it('a sound has no poster', async () => {
    expect((await failure(media.poster(f('line.wav'), f('poster.jpg')))).code).toBe('invalid_argument');
  });
});
