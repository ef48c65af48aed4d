/** What a probe tells about a picture, a clip or a sound. Pure parsing, no processes: easy to unit test. */
export interface MediaInfo {
  kind: 'image' | 'video' | 'audio';
  /** ffprobe's container name, e.g. `png_pipe`, `mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`. */
  format: string;
  /** Codec of the first picture stream, e.g. `png`, `mjpeg`, `webp`, `h264`, `vp9`; for audio the sound's (`pcm_s16le`, `mp3`, `opus`). */
  codec: string;
  /** 0 for audio. */
  width: number;
  height: number;
  /** Videos and audio. */
  durationSec?: number;
  fps?: number;
  /** Videos only, when the container counts its frames (MP4/MOV do, Matroska does not). */
  frames?: number;
  hasAudio?: boolean;
  /** Audio only: of the first sound stream. */
  sampleRate?: number;
  channels?: number;
}

/** Limits against decompression bombs: a small file that decodes to a huge picture. */
export interface DimensionLimits {
  maxSide: number;
  maxPixels: number;
}
export const DEFAULT_DIMENSION_LIMITS: DimensionLimits = Object.freeze({ maxSide: 16_384, maxPixels: 80_000_000 });

/**
 * Everything a probe must stay within before anything decodes the file: the picture's size, and a
 * video's length, frame rate and frame count (a tiny MP4 can claim ten million frames or a day of
 * running time, and decoding it would hold a worker for as long as it claims).
 */
export interface MediaLimits extends DimensionLimits {
  maxDurationSec: number;
  maxFps: number;
  maxFrames: number;
  /** An audio reference is a voice line, a cue or a bed: minutes, not an album. */
  maxAudioSec: number;
  /** Sample rates a real recording has (8 kHz telephone to 192 kHz studio). */
  minSampleRate: number;
  maxSampleRate: number;
  /** Up to 7.1 surround. */
  maxChannels: number;
}
/** One hour at up to 60 fps; 1000 fps so a VFR clip's millisecond time base still passes. Ten minutes of audio. */
export const DEFAULT_MEDIA_LIMITS: MediaLimits = Object.freeze({
  ...DEFAULT_DIMENSION_LIMITS,
  maxDurationSec: 3600,
  maxFps: 1000,
  maxFrames: 216_000,
  maxAudioSec: 600,
  minSampleRate: 8000,
  maxSampleRate: 192_000,
  maxChannels: 8,
});

export type DimensionCheck = { ok: true } | { ok: false; reason: string };

/** Rejects pictures wider or taller than `maxSide`, or larger than `maxPixels` in area. */
export function checkDimensions(
  dims: { width: number; height: number },
  limits: DimensionLimits = DEFAULT_DIMENSION_LIMITS,
): DimensionCheck {
  const { width, height } = dims;
  if (!(width > 0 && height > 0)) return { ok: false, reason: `invalid dimensions ${width}x${height}` };
  if (width > limits.maxSide || height > limits.maxSide) {
    return { ok: false, reason: `${width}x${height} exceeds the limit of ${limits.maxSide} px on a side` };
  }
  if (width * height > limits.maxPixels) {
    const mp = (limits.maxPixels / 1e6).toFixed(0);
    return { ok: false, reason: `${width}x${height} exceeds the limit of ${mp} megapixels` };
  }
  return { ok: true };
}

/**
 * Checks a probe against `limits`: dimensions for every picture, then a video's duration, frame
 * rate and frame count (the container's count, or duration x rate when it keeps none, whichever
 * is larger). The reason names the number found and the limit it passed.
 */
export function checkMediaLimits(info: MediaInfo, limits: MediaLimits = DEFAULT_MEDIA_LIMITS): DimensionCheck {
  if (info.kind === 'audio') return checkAudioLimits(info, limits);
  const dims = checkDimensions(info, limits);
  if (!dims.ok || info.kind === 'image') return dims;
  const duration = info.durationSec ?? 0;
  if (duration > limits.maxDurationSec) {
    return { ok: false, reason: `it lasts ${Math.round(duration)} s, more than the limit of ${limits.maxDurationSec} s` };
  }
  if ((info.fps ?? 0) > limits.maxFps) {
    return { ok: false, reason: `${info.fps} frames per second exceeds the limit of ${limits.maxFps}` };
  }
  const frames = Math.max(info.frames ?? 0, Math.ceil(duration * (info.fps ?? 0)));
  if (frames > limits.maxFrames) {
    return { ok: false, reason: `${frames} frames exceeds the limit of ${limits.maxFrames} frames` };
  }
  return { ok: true };
}

/** A sound's length, sample rate and channel count against `limits`; the reason names the limit. */
function checkAudioLimits(info: MediaInfo, limits: MediaLimits): DimensionCheck {
  const duration = info.durationSec ?? 0;
  if (!(duration > 0)) return { ok: false, reason: 'its length cannot be read' };
  if (duration > limits.maxAudioSec) {
    return { ok: false, reason: `it lasts ${Math.round(duration)} s, more than the limit of ${limits.maxAudioSec} s for audio` };
  }
  const rate = info.sampleRate ?? 0;
  if (rate < limits.minSampleRate || rate > limits.maxSampleRate) {
    return { ok: false, reason: `its sample rate of ${rate} Hz is outside ${limits.minSampleRate}-${limits.maxSampleRate} Hz` };
  }
  const channels = info.channels ?? 0;
  if (channels < 1 || channels > limits.maxChannels) {
    return { ok: false, reason: `its ${channels} channels are outside 1-${limits.maxChannels}` };
  }
  return { ok: true };
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  disposition?: { attached_pic?: number };
}
interface ProbeJson {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string };
}

/** Containers ffprobe uses for single still pictures. */
const IMAGE_FORMATS = /^(image2|[a-z0-9]+_pipe)$/;

/** Parses `ffprobe -print_format json -show_format -show_streams`; returns a reason on failure. */
export function parseProbe(json: string): { ok: true; info: MediaInfo } | { ok: false; reason: string } {
  let data: ProbeJson;
  try {
    data = JSON.parse(json) as ProbeJson;
  } catch {
    return { ok: false, reason: 'ffprobe printed no JSON' };
  }
  const streams = data.streams ?? [];
  const picture = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const format = data.format?.format_name;
  const sound = streams.find((s) => s.codec_type === 'audio');
  if (!picture && sound && format) return { ok: true, info: audioInfo(format, sound, num(data.format?.duration) ?? num(sound.duration)) };
  if (!picture || !format) return { ok: false, reason: 'no picture or sound stream found' };
  const width = picture.width ?? 0;
  const height = picture.height ?? 0;
  if (!(width > 0 && height > 0)) return { ok: false, reason: 'picture stream has no dimensions' };
  const base = { format, codec: picture.codec_name ?? 'unknown', width, height };
  if (IMAGE_FORMATS.test(format)) return { ok: true, info: { kind: 'image', ...base } };

  const durationSec = num(data.format?.duration) ?? num(picture.duration);
  const fps = rate(picture.avg_frame_rate) ?? rate(picture.r_frame_rate);
  const info: MediaInfo = { kind: 'video', ...base, hasAudio: streams.some((s) => s.codec_type === 'audio') };
  if (durationSec !== undefined) info.durationSec = durationSec;
  if (fps !== undefined) info.fps = fps;
  const frames = num(picture.nb_frames);
  if (frames !== undefined) info.frames = frames;
  return { ok: true, info };
}

/** A file with sound and no picture (an MP3's cover art is not a picture stream). */
function audioInfo(format: string, sound: ProbeStream, durationSec: number | undefined): MediaInfo {
  const info: MediaInfo = { kind: 'audio', format, codec: sound.codec_name ?? 'unknown', width: 0, height: 0, hasAudio: true };
  if (durationSec !== undefined) info.durationSec = durationSec;
  const sampleRate = num(sound.sample_rate);
  if (sampleRate !== undefined) info.sampleRate = sampleRate;
  if (sound.channels !== undefined) info.channels = sound.channels;
  return info;
}

function num(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** "30000/1001" -> 29.97; "0/0" -> undefined. */
function rate(text: string | undefined): number | undefined {
  const [a, b] = (text ?? '').split('/').map(Number);
  if (a === undefined || b === undefined || !(a > 0 && b > 0)) return undefined;
  return Math.round((a / b) * 1000) / 1000;
}
