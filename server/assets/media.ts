import { rm, stat } from 'node:fs/promises';
import { locateFonts, type CaptionFonts } from './fonts.js';
import { MediaError, lastLine, ranOutOfMemory, runProcess, type RunResult } from './media-run.js';
import { checkDimensions, checkMediaLimits, DEFAULT_MEDIA_LIMITS, parseProbe, type DimensionCheck, type MediaInfo, type MediaLimits } from './media-info.js';
import { demuxerForMime, demuxerOf, fileUrl, untrustedInput } from './media-input.js';
import { checkMediaTools, firstFailure, locateTool, MediaToolsError, notFound, type MediaToolsReport, type ToolLocation, type ToolName } from './media-tools.js';
import { createSemaphore } from './semaphore.js';
import { readHead, sniffHead, unsafeFormat, webpDeclaredBytes } from './sniff.js';

export { MediaError, type MediaErrorCode } from './media-run.js';
export { fileUrl, untrustedInput, demuxerOf } from './media-input.js';
export { MediaToolsError, type MediaToolsReport } from './media-tools.js';
export type { CaptionFonts } from './fonts.js';
export {
  checkDimensions, DEFAULT_DIMENSION_LIMITS, DEFAULT_MEDIA_LIMITS,
  type MediaInfo, type DimensionLimits, type MediaLimits,
} from './media-info.js';

export interface MediaOptions {
  /** FFMPEG_PATH. Unset: `ffmpeg` on `pathEnv`, else the one shipped by `@ffmpeg-installer/ffmpeg` (media-tools.ts). */
  ffmpegPath?: string;
  /** FFPROBE_PATH. Unset: `ffprobe` on `pathEnv`, else the one shipped by `@ffprobe-installer/ffprobe`. */
  ffprobePath?: string;
  /** Folders searched for ffmpeg/ffprobe; default the process's PATH (the one spawn uses). */
  pathEnv?: string;
  /** FONT_PATH: the font file for text drawn into media; unset, the system's (fonts.ts). */
  fontPath?: string;
  /** Children running at once; the rest queue. Default 2. */
  concurrency?: number;
  /** Per-child time limit, counted from spawn (not from queueing). Default 60 s. */
  timeoutMs?: number;
  /**
   * Address-space cap (bytes) of every child that reads a file from outside: probe, verify, poster,
   * tailClip, lastFrame. 0 turns it off. Default 4 GiB: those children decode and encode with
   * `THREADS` threads whatever the host's core count, and a 4K clip's tail re-encode then needs
   * about 1.5 GB of address space (far less resident memory).
   */
  memoryLimitBytes?: number;
  /**
   * Address-space cap of renders and exports (`ffmpeg`): they decode clips that came from outside
   * (admitted by the probe limits), several at once and with ffmpeg's own thread count, so they get
   * more room. Default twice `memoryLimitBytes`; 0 turns it off.
   */
  renderMemoryLimitBytes?: number;
  /** What a probe must stay within before anything decodes the file (`DEFAULT_MEDIA_LIMITS`). */
  limits?: Partial<MediaLimits>;
}

export const DEFAULT_MEMORY_LIMIT_BYTES = 4 * 1024 ** 3;

export interface PosterOptions {
  /** Largest width of the poster; smaller pictures are never scaled up. Default 640. */
  maxWidth?: number;
  /** Largest height; default `maxWidth`. */
  maxHeight?: number;
  /** Which moment of a video (default: 10% in, at most 1 s, past a fade-in). */
  atSec?: number;
}

/**
 * ffmpeg/ffprobe behind one queue. Every path must be a local file path; outputs are overwritten.
 * Every method that reads a file runs it as untrusted: its probe comes first and must pass the
 * limits, and every ffmpeg/ffprobe on it opens it through `untrustedInput` under the time and
 * memory caps.
 */
export interface Media {
  /** The binaries this toolbox runs and where they came from (FFMPEG_PATH, PATH, npm package). */
  readonly tools: { ffmpeg: ToolLocation; ffprobe: ToolLocation };
  /** The fonts drawtext uses for captions and slates. */
  readonly fonts: CaptionFonts;
  /**
   * Runs `-version`/`-filters` (once; later calls share the answer): rejects with `MediaToolsError`
   * saying what is wrong and how to fix it. The server awaits it before listening; `/api/ready`
   * reports its answer.
   */
  check(): Promise<MediaToolsReport>;
  /**
   * Reads the headers; rejects with `refused` for a scriptable or playlist format, `over_limit`
   * (naming the limit) for a picture or video past `limits` (a still's header is checked before
   * ffprobe runs, since ffprobe decodes stills), `probe_failed` for anything else ffprobe cannot
   * read or that has no picture.
   */
  probe(file: string): Promise<MediaInfo>;
  /** Decodes the first and last picture(s); rejects with `corrupt` for truncated or broken data. */
  verify(file: string, info?: MediaInfo): Promise<void>;
  /** Writes a JPEG poster (an image scaled down, or a video frame near the start); resolves to its probe. */
  poster(input: string, out: string, opts?: PosterOptions): Promise<MediaInfo>;
  /** Writes the last `seconds` of a video as an H.264/AAC MP4 that starts on a keyframe; resolves to its probe. */
  tailClip(input: string, out: string, seconds: number): Promise<MediaInfo>;
  /** Writes the final decoded frame; PNG when `out` ends in `.png`, JPEG otherwise; resolves to its probe. */
  lastFrame(input: string, out: string): Promise<MediaInfo>;
  /**
   * Runs ffmpeg (after `-nostdin -hide_banner`) with `args` verbatim, under the same queue and time
   * limit (no memory cap: a sequence export decodes many clips at once); for renderers and exports
   * over media that `probe` admitted. Wrap paths with `fileUrl`, or `untrustedInput` with the
   * probe's demuxer. Rejects `ffmpeg_failed` on a non-zero exit.
   */
  ffmpeg(args: readonly string[], opts?: { timeoutMs?: number }): Promise<{ stderr: string }>;
}

function locate(name: ToolName, explicit: string | undefined, pathEnv: string | undefined): ToolLocation {
  const found = locateTool(name, explicit, pathEnv);
  if (!found) throw notFound(name);
  return found;
}

/**
 * Builds the media toolbox: finds the binaries and fonts (throwing `MediaToolsError` when there
 * are none); no child runs until a method is called.
 */
export function createMedia(opts: MediaOptions = {}): Media {
  const pathEnv = 'pathEnv' in opts ? opts.pathEnv : process.env.PATH;
  const tools = { ffmpeg: locate('ffmpeg', opts.ffmpegPath, pathEnv), ffprobe: locate('ffprobe', opts.ffprobePath, pathEnv) };
  const fonts = locateFonts(opts.fontPath);
  const ffmpegPath = tools.ffmpeg.path;
  const ffprobePath = tools.ffprobe.path;
  const defaultTimeout = opts.timeoutMs ?? 60_000;
  const memoryBytes = opts.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  const renderMemoryBytes = opts.renderMemoryLimitBytes ?? 2 * memoryBytes;
  /** Every child that reads a file from outside runs under the memory cap. */
  const untrusted = { cap: memoryBytes };
  const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, ...opts.limits };
  const queue = createSemaphore(opts.concurrency ?? 2);

  /** The one place children start: queued, under the time limit, and (`capped`) under the memory cap. */
  async function run(bin: string, args: readonly string[], o: { cap: number; timeoutMs?: number }): Promise<RunResult> {
    const capped = o.cap > 0;
    const res = await queue.run(() => runProcess(bin, args, { timeoutMs: o.timeoutMs ?? defaultTimeout, ...(capped ? { memoryBytes: o.cap } : {}) }));
    if (capped && ranOutOfMemory(res)) {
      const mb = Math.round(o.cap / 1024 / 1024);
      throw new MediaError('over_limit', `Processing this file needed more than the memory limit of ${mb} MB`, details(res));
    }
    return res;
  }

  /** Refuses what a probe (or a still's header) says is past the limits, before anything decodes it. */
  function within(kind: MediaInfo['kind'], check: DimensionCheck): void {
    if (!check.ok) throw new MediaError('over_limit', `${WHAT[kind]} is too large to process: ${check.reason}`);
  }

  /** Runs ffmpeg to produce `out`; on any failure removes the partial output. */
  async function ffmpegTo(out: string, args: readonly string[]): Promise<void> {
    try {
      const res = await run(ffmpegPath, ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], untrusted);
      if (res.exitCode !== 0) throw failed('ffmpeg_failed', 'ffmpeg failed', res);
      // Old ffmpeg exits 0 with an empty file when no frame reached the encoder.
      const size = await stat(out).then((s) => s.size, () => 0);
      if (size === 0) throw failed('ffmpeg_failed', 'ffmpeg produced no output', res);
    } catch (err) {
      await rm(out, { force: true });
      throw err;
    }
  }

  async function probe(file: string): Promise<MediaInfo> {
    const head = await readHead(file).catch((err: NodeJS.ErrnoException) => {
      throw new MediaError('probe_failed', `the file cannot be read (${err.code ?? 'error'})`);
    });
    const sniffed = sniffHead(head);
    const unsafe = sniffed ? null : unsafeFormat(head);
    if (unsafe) throw new MediaError('refused', `Refused: this file is ${unsafe}`);
    if (sniffed?.width !== undefined && sniffed.height !== undefined) within('image', checkDimensions({ width: sniffed.width, height: sniffed.height }, limits));
    const input = untrustedInput(file, sniffed ? demuxerForMime(sniffed.mime) : undefined);
    const res = await run(ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...input], untrusted);
    if (res.exitCode !== 0) throw failed('probe_failed', 'not a readable picture, video or sound', res);
    const parsed = parseProbe(res.stdout);
    if (!parsed.ok) throw new MediaError('probe_failed', parsed.reason, { stderrTail: res.stderr });
    within(parsed.info.kind, checkMediaLimits(parsed.info, limits));
    return parsed.info;
  }

  /** `-i <file>` as probed: whitelisted, its demuxer pinned, decoded on `THREADS`; `inputOptions` go before the `-i`. */
  const inputOf = (file: string, info: MediaInfo, inputOptions: readonly string[] = []) =>
    untrustedInput(file, demuxerOf(info.format), [...THREADS, ...inputOptions]);

  async function verify(file: string, known?: MediaInfo): Promise<void> {
    const info = known ?? (await probe(file));
    if (info.codec === 'webp') {
      const declared = webpDeclaredBytes(await readHead(file));
      if (declared !== (await stat(file)).size) throw new MediaError('corrupt', 'the file is truncated or damaged: its length is not the one its WebP header declares');
    }
    const still = info.kind === 'image' ? STILL_DECODERS[info.codec] : undefined;
    // A still is read whole as one picture (image2 with its decoder named), so bytes after its end
    // marker are ignored instead of being parsed as a broken second picture; the pipe demuxers
    // would do that. Damage is then the decoder running out of data, which JPEG reports quietly.
    const args = still
      ? [...untrustedInput(file, 'image2', [...THREADS, '-pattern_type', 'none', '-c:v', still]), '-map', '0:v:0', '-frames:v', '1']
      : info.kind === 'image'
        ? [...inputOf(file, info), '-map', '0:v:0', '-frames:v', '1']
        : [...inputOf(file, info, ['-t', '1']), ...inputOf(file, info, ['-sseof', '-1']), ...(info.kind === 'audio' ? ['-map', '0:a:0', '-map', '1:a:0'] : ['-map', '0:v:0', '-map', '1:v:0'])];
    const res = await run(ffmpegPath, ['-nostdin', '-hide_banner', '-v', 'error', ...args, '-f', 'null', '-'], untrusted);
    const damaged = TRUNCATION.test(res.stderr) || (info.kind === 'image' && STILL_DAMAGE.test(res.stderr));
    if (res.exitCode !== 0 || damaged) throw failed('corrupt', 'the file is truncated or damaged', res);
  }

  async function poster(input: string, out: string, o: PosterOptions = {}): Promise<MediaInfo> {
    const maxW = positiveInt(o.maxWidth ?? 640, 'maxWidth');
    const maxH = positiveInt(o.maxHeight ?? maxW, 'maxHeight');
    const info = await probe(input);
    if (info.kind === 'audio') throw new MediaError('invalid_argument', 'a sound has no picture to make a poster from');
    const at = info.kind !== 'video' ? 0 : o.atSec !== undefined ? Math.max(0, o.atSec) : Math.min(1, (info.durationSec ?? 0) * 0.1);
    const scale = `scale=w='min(iw,${maxW})':h='min(ih,${maxH})':force_original_aspect_ratio=decrease`;
    const seek = at > 0 ? ['-ss', at.toFixed(3)] : [];
    await ffmpegTo(out, [...inputOf(input, info, seek), '-map', '0:v:0', '-frames:v', '1', '-vf', scale,
      '-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2', '-update', '1', fileUrl(out)]);
    return probe(out);
  }

  async function tailClip(input: string, out: string, seconds: number): Promise<MediaInfo> {
    if (!(Number.isFinite(seconds) && seconds > 0 && seconds <= 3600)) {
      throw new MediaError('invalid_argument', `tail length must be in (0, 3600] seconds, got ${seconds}`);
    }
    const info = await probe(input);
    // -sseof before -i seeks the input, so the work depends on `seconds`, not on the clip's length.
    await ffmpegTo(out, [...inputOf(input, info, ['-sseof', `-${seconds}`]), '-map', '0:v:0', '-map', '0:a:0?',
      '-vf', "scale='trunc(iw/2)*2':'trunc(ih/2)*2'", '-c:v', 'libx264', ...THREADS, '-preset', 'veryfast', '-crf', '20',
      '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', '-f', 'mp4', fileUrl(out)]);
    return probe(out);
  }

  async function lastFrame(input: string, out: string): Promise<MediaInfo> {
    const info = await probe(input);
    // A window holding a few frames at the clip's rate; `-update 1` keeps overwriting, so the last one stays.
    const window = Math.min(5, Math.max(0.5, 3 / (info.fps ?? 2)));
    const png = out.toLowerCase().endsWith('.png');
    await ffmpegTo(out, [...inputOf(input, info, ['-sseof', `-${window.toFixed(3)}`]), '-map', '0:v:0',
      ...(png ? ['-c:v', 'png'] : ['-c:v', 'mjpeg', '-q:v', '2']), '-f', 'image2', '-update', '1', fileUrl(out)]);
    return probe(out);
  }

  async function ffmpeg(args: readonly string[], o: { timeoutMs?: number } = {}): Promise<{ stderr: string }> {
    const res = await run(ffmpegPath, ['-nostdin', '-hide_banner', ...args], { cap: renderMemoryBytes, ...o });
    if (res.exitCode !== 0) throw failed('ffmpeg_failed', 'ffmpeg failed', res);
    return { stderr: res.stderr };
  }

  let checked: Promise<MediaToolsReport> | undefined;
  const check = () => (checked ??= firstFailure([checkMediaTools(tools), startsUnderCap(tools.ffprobe), startsUnderCap(tools.ffmpeg)] as const).then(([report]) => report));

  /**
   * A dynamically linked ffmpeg (Debian's) maps ~300 MB of shared libraries before it reads a
   * byte; under a smaller cap every probe would fail as if the file were bad. Said once, at start.
   */
  async function startsUnderCap(tool: ToolLocation): Promise<void> {
    if (memoryBytes <= 0) return;
    const res = await runProcess(tool.path, ['-hide_banner', '-version'], { timeoutMs: defaultTimeout, memoryBytes }).catch(() => null);
    if (!res) return; // cannot start at all: checkMediaTools says why, naming the path
    if (res.exitCode !== 0) {
      throw new MediaToolsError(`${tool.name} at ${tool.path} cannot start within the memory cap of ${Math.round(memoryBytes / 1024 / 1024)} MB ` +
        `(${lastLine(res.stderr)}); raise MEDIA_MEMORY_LIMIT_MB (Debian's ffmpeg needs about 300 MB to load its libraries) or set it to 0`);
    }
  }

  return { tools, fonts, check, probe, verify, poster, tailClip, lastFrame, ffmpeg };
}

/**
 * Threads of each decoder and encoder on outside media. ffmpeg's default follows the core count
 * (x264: 1.5 per core), and address space with it: held here, the memory cap means the same on
 * every host.
 */
const THREADS = ['-threads', '4'];

const WHAT = { image: 'The picture', video: 'The video', audio: 'The audio' } as const;

/** Error lines that mean "the data stops early" rather than a harmless decoder complaint. */
const TRUNCATION = /partial file|read error|invalid data found|truncat|end of file|moov atom not found/i;
/** What a still's decoder says when its data stops early (a cut JPEG decodes "successfully"). */
const STILL_DAMAGE = /overread|error count|error y=|EOI missing/i;
/** Decoders for the stills uploads accept, by ffprobe's codec name. */
const STILL_DECODERS: Readonly<Record<string, string>> = { png: 'png', mjpeg: 'mjpeg', webp: 'webp' };

function failed(code: 'probe_failed' | 'corrupt' | 'ffmpeg_failed', what: string, res: RunResult): MediaError {
  const cause = lastLine(res.stderr);
  return new MediaError(code, cause ? `${what}: ${cause}` : what, details(res));
}

function details(res: RunResult) {
  return { stderrTail: res.stderr, exitCode: res.exitCode, signal: res.signal, pid: res.pid };
}

function positiveInt(n: number, name: string): number {
  if (!(Number.isInteger(n) && n > 0)) throw new MediaError('invalid_argument', `${name} must be a positive integer`);
  return n;
}
