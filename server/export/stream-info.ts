/**
 * What decides whether clips can be joined without re-encoding: the probe (codec, size, rate,
 * audio present) plus the H.264 profile, pixel format and audio layout, which the probe does not
 * report and ffmpeg prints when it opens a file.
 */
import { demuxerOf, untrustedInput, type Media } from '../assets/media.js';

export interface ClipStream {
  codec: string;
  profile: string | null;
  pixFmt: string | null;
  width: number;
  height: number;
  fps: number | null;
  durationSec: number;
  audio: { codec: string; sampleRate: number; layout: string } | null;
}

/** Reads a local clip's stream parameters. */
export async function readClipStream(media: Media, file: string): Promise<ClipStream> {
  const info = await media.probe(file);
  // Copying zero frames to the null muxer makes ffmpeg print both stream headers and exit 0.
  const { stderr } = await media.ffmpeg([...untrustedInput(file, demuxerOf(info.format)), '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', '-frames:v', '0', '-f', 'null', '-']);
  const parsed = parseStreamLines(stderr);
  return {
    codec: info.codec,
    profile: parsed.profile,
    pixFmt: parsed.pixFmt,
    width: info.width,
    height: info.height,
    fps: info.fps ?? null,
    durationSec: info.durationSec ?? 0,
    audio: info.hasAudio ? (parsed.audio ?? { codec: 'unknown', sampleRate: 0, layout: 'unknown' }) : null,
  };
}

/**
 * Parses ffmpeg's `Stream #0:0…: Video: h264 (High) (avc1 / …), yuv420p(tv, bt709), 640x360 …`
 * and `Audio: aac (LC) (mp4a / …), 48000 Hz, stereo, fltp` lines. The output section is preferred:
 * it comes last, so it survives when a long metadata block pushes the input section out of the
 * captured stderr tail.
 */
export function parseStreamLines(stderr: string): Pick<ClipStream, 'profile' | 'pixFmt' | 'audio'> {
  const at = stderr.lastIndexOf('Output #0');
  const text = at >= 0 ? stderr.slice(at) : stderr;
  const video = /Stream #\d+:\d+[^:]*: Video: (\w+)(?: \(([^)]*)\))?[^,]*, (\w+)/.exec(text);
  const audio = /Stream #\d+:\d+[^:]*: Audio: (\w+)[^,]*, (\d+) Hz, ([\w.()]+)/.exec(text);
  return {
    profile: video?.[2] && !video[2].includes('/') ? video[2] : null,
    pixFmt: video?.[3] ?? null,
    audio: audio ? { codec: audio[1]!, sampleRate: Number(audio[2]), layout: audio[3]! } : null,
  };
}
