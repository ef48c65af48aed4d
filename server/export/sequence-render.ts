/**
 * How a timeline becomes one H.264 MP4, as ffmpeg arguments. Pure: given the clips' stream
 * parameters and local paths, it decides between two recipes.
 *
 * 1. Stream copy (no quality loss, seconds even for long sequences): when every clip already is
 *    H.264 4:2:0 with the same profile, the sequence's size and the board's frame rate, with the
 *    same audio (or none), and nothing is trimmed (chain overlap or an editor's in/out) or crossfaded and no shot is a slate (a card
 *    we render has its own encoder settings). The concat demuxer joins the files with `-c copy`.
 * 2. One encode pass otherwise. Each clip gets only the filters it needs: `scale`+`pad` when its
 *    size differs (letterboxed, never stretched), `fps` when its rate differs, `trim` for the
 *    chain overlap, `blend` for the crossfade frames; clips that already match get none of these.
 *    The encode itself covers the whole sequence: an MP4 track has one H.264 parameter set, and
 *    splicing copied GOPs from one encoder with re-encoded GOPs from ours would carry mismatched
 *    SPS/PPS (and a trimmed head starts off a keyframe), which players show as corruption.
 *    x264 at CRF 18 keeps that single generation visually lossless.
 *    Audio: when any clip has sound, clips without get silence of their length, so sound stays in
 *    sync; chain crossfades use acrossfade. Pictures dissolve with `blend` and a per-frame weight
 *    rather than `xfade` (4.3+), so crossfades also run on the bundled 4.1 fallback (media-tools.ts).
 */
import { fileUrl, untrustedInput } from '../assets/media.js';
import type { ClipStream } from './stream-info.js';
import { fadeIn, type Timeline } from './timeline.js';
import { framesToSeconds } from './timecode.js';

export type Recipe = { kind: 'copy' } | { kind: 'encode'; work: string[][] };

/** Copy when possible; otherwise the per-clip list of what has to be done (for logs and tests). */
export function chooseRecipe(timeline: Timeline, streams: readonly ClipStream[]): Recipe {
  const work = timeline.cuts.map((cut, i) => [
    ...(cut.kind === 'slate' ? ['slate card'] : []),
    // Trimmed at either end: the chain overlap or an editor's in point, or an editor's out point.
    ...clipWork(timeline, streams[i]!, cut.inFrame > 0 || cut.frames < cut.sourceFrames, fadeIn(cut) > 0),
  ]);
  const first = streams[0];
  const sameAudio = streams.every((s) => JSON.stringify(s.audio) === JSON.stringify(first?.audio ?? null));
  const sameProfile = streams.every((s) => s.profile === first?.profile);
  const copy = work.every((w) => w.length === 0) && sameAudio && sameProfile && (first?.audio === null || first?.audio.codec === 'aac');
  return copy ? { kind: 'copy' } : { kind: 'encode', work };
}

function clipWork(t: Timeline, s: ClipStream, trimmed: boolean, faded: boolean): string[] {
  const out: string[] = [];
  if (s.codec !== 'h264') out.push(`transcode ${s.codec}`);
  if (s.pixFmt !== 'yuv420p') out.push(`pixel format ${s.pixFmt ?? 'unknown'}`);
  if (s.width !== t.width || s.height !== t.height) out.push(`scale ${s.width}x${s.height}`);
  if (!sameRate(s.fps, t.rate.value)) out.push(`frame rate ${s.fps ?? 'unknown'}`);
  if (trimmed) out.push('trim');
  if (faded) out.push('crossfade');
  return out;
}

const sameRate = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 0.01;

/** The concat demuxer's list file: one `file '…'` line per clip, quotes escaped the ffmpeg way. */
export function concatList(files: readonly string[]): string {
  return files.map((f) => `file '${f.replace(/'/g, "'\\''")}'`).join('\n') + '\n';
}

/** Recipe 1: join with the concat demuxer, copying every stream. */
export function copyArgs(listFile: string, out: string, progressFile: string): string[] {
  // Our own list, so the concat demuxer is allowed; the clips it opens inherit both whitelists.
  return ['-v', 'error', '-y', '-protocol_whitelist', 'file', '-format_whitelist', 'concat,mov,matroska', '-f', 'concat', '-safe', '0', '-i', fileUrl(listFile), '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy',
    '-movflags', '+faststart', '-progress', fileUrl(progressFile), '-f', 'mp4', fileUrl(out)];
}

/** Recipe 2: one filter graph over every clip, encoded once. */
export function encodeArgs(timeline: Timeline, streams: readonly ClipStream[], files: readonly string[], out: string, progressFile: string): string[] {
  const graph = encodeGraph(timeline, streams);
  const inputs = files.flatMap((f) => untrustedInput(f, undefined));
  const audio = graph.audio ? ['-map', '[aout]', '-c:a', 'aac', '-b:a', '160k', '-ar', '48000'] : [];
  return ['-v', 'error', '-y', ...inputs, '-filter_complex', graph.filter, '-map', '[vout]', ...audio,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-r', `${timeline.rate.num}/${timeline.rate.den}`,
    '-movflags', '+faststart', '-progress', fileUrl(progressFile), '-f', 'mp4', fileUrl(out)];
}

/** The `-filter_complex` of recipe 2, and whether it has an audio output. */
export function encodeGraph(t: Timeline, streams: readonly ClipStream[]): { filter: string; audio: boolean } {
  const { width: W, height: H, rate } = t;
  const parts: string[] = [];
  const pieces: string[] = [];
  const n = t.cuts.length;
  t.cuts.forEach((cut, i) => {
    const s = streams[i]!;
    const head = fadeIn(cut);
    const tail = fadeIn(t.cuts[i + 1]);
    const norm: string[] = [];
    if (!sameRate(s.fps, rate.value)) norm.push(`fps=${rate.num}/${rate.den}`);
    if (s.width !== W || s.height !== H) norm.push(`scale=${W}:${H}:force_original_aspect_ratio=decrease`, `pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2`);
    // Cheap bookkeeping every input needs for concat/blend: exact frame range (a clip shorter than
    // its take says holds its last frame, so the sequence keeps the plan's length), square pixels, 4:2:0.
    norm.push(`tpad=stop_mode=clone:stop=${cut.frames}`, `trim=start_frame=${cut.inFrame}:end_frame=${cut.inFrame + cut.frames}`, 'setpts=PTS-STARTPTS', 'setsar=1', 'format=yuv420p');
    const branches = 1 + (head > 0 ? 1 : 0) + (tail > 0 ? 1 : 0);
    const names = Array.from({ length: branches }, (_, b) => `c${i}b${b}`);
    parts.push(`[${i}:v:0]${norm.join(',')}${branches > 1 ? `,split=${branches}${names.map((x) => `[${x}]`).join('')}` : `[${names[0]}]`}`);
    let b = 0;
    const range = (from: number, to: number, label: string) => parts.push(`[${names[b++]}]trim=start_frame=${from}:end_frame=${to},setpts=PTS-STARTPTS[${label}]`);
    if (head > 0) {
      range(0, head, `h${i}`);
      // The previous clip's tail (t{i-1}) dissolves into this head; weight of this clip rises 1/(d+1) … d/(d+1).
      parts.push(`[t${i - 1}][h${i}]blend=all_expr='A+(B-A)*(N+1)/${head + 1}'[x${i}]`);
      pieces.push(`[x${i}]`);
    }
    range(head, cut.frames - tail, `m${i}`);
    pieces.push(`[m${i}]`);
    if (tail > 0) range(cut.frames - tail, cut.frames, `t${i}`);
  });
  parts.push(`${pieces.join('')}concat=n=${pieces.length}:v=1:a=0[vout]`);
  const audio = streams.some((s) => s.audio !== null);
  if (audio) parts.push(...audioGraph(t, streams, n));
  return { filter: parts.join(';'), audio };
}

/** Each clip's sound (or silence) cut to its picture's length, then joined in order: concat, or acrossfade at a crossfaded cut. */
function audioGraph(t: Timeline, streams: readonly ClipStream[], n: number): string[] {
  const parts: string[] = [];
  const fmt = 'aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo';
  t.cuts.forEach((cut, i) => {
    const start = framesToSeconds(cut.inFrame, t.rate).toFixed(6);
    const dur = framesToSeconds(cut.frames, t.rate).toFixed(6);
    const src = streams[i]!.audio
      ? `[${i}:a:0]atrim=start=${start},asetpts=PTS-STARTPTS,${fmt},apad`
      : `anullsrc=r=48000:cl=stereo`;
    parts.push(`${src},atrim=duration=${dur},asetpts=PTS-STARTPTS[a${i}]`);
  });
  let cur = 'a0';
  for (let i = 1; i < n; i++) {
    const fade = fadeIn(t.cuts[i]);
    const next = i === n - 1 ? 'aout' : `j${i}`;
    parts.push(fade > 0
      ? `[${cur}][a${i}]acrossfade=d=${framesToSeconds(fade, t.rate).toFixed(6)}:c1=tri:c2=tri[${next}]`
      : `[${cur}][a${i}]concat=n=2:v=0:a=1[${next}]`);
    cur = next;
  }
  if (n === 1) parts.push('[a0]anull[aout]');
  return parts;
}
