import { fileUrl, untrustedInput } from '../../assets/media.js';
import { proceduralBackground } from './background.js';
import { cameraExpressions, fix, PULL_OUT_ZOOM } from './camera.js';
import type { Caption } from '../../assets/captions/caption.js';
import { windowFadeFilters, type OverlayWindow } from '../../assets/captions/overlay-window.js';
import type { AnimaticPlan } from './plan.js';
import { hexRgb, hslHex } from './random.js';

/**
 * Everything the ffmpeg command depends on; the same plan always gives the same arguments: the
 * checked input's fields (plan.ts) plus what is drawn over them and how.
 */
export interface GraphPlan extends Pick<AnimaticPlan, 'width' | 'height' | 'fps' | 'frames' | 'seed' | 'camera' | 'amount' | 'direction' | 'sweep' | 'plate' | 'endFrame' | 'audio'> {
  insets: readonly string[];
  caption: Caption | null;
  window: OverlayWindow | null;
  threads: number;
}

/** Supersampling of the camera canvas: zoompan moves in whole canvas pixels, half an output pixel. */
const SUPERSAMPLE = 2;
const MAX_INSETS = 3;

/** Collects inputs and graph lines; `current` is the label of the picture built so far. */
class GraphBuilder {
  readonly inputs: string[] = [];
  /** Inputs so far (each takes several arguments). */
  private count = 0;
  readonly lines: string[] = [];
  current = '';
  /** Every stream gets frame-index timestamps in 1/fps, so overlays pair frames one to one. */
  readonly clock: string;
  readonly hold: string;

  constructor(readonly plan: GraphPlan) {
    this.clock = `settb=expr=${plan.fps.den}/${plan.fps.num},setpts=N`;
    this.hold = `loop=loop=${plan.frames - 1}:size=1:start=0,${this.clock}`;
  }

  /** `[n:v]` of a new `-i` input, cut to its first frame; the picture may be an upload, so it is opened as untrusted. */
  still(file: string): string {
    return `${this.input(file)}:v]trim=end_frame=1,setpts=PTS-STARTPTS`;
  }

  /** `[n` of a new untrusted `-i` input (the caller adds the stream type). */
  input(file: string): string {
    this.inputs.push(...untrustedInput(file, undefined));
    this.count++;
    return `[${this.count - 1}`;
  }

  overlay(layer: string, x: number, y: number): void {
    const next = `v${this.lines.length}`;
    this.lines.push(`[${this.current}][${layer}]overlay=${x}:${y}:format=yuv420[${next}]`);
    this.current = next;
  }

  filter(chain: string): void {
    const next = `v${this.lines.length}`;
    this.lines.push(`[${this.current}]${chain}[${next}]`);
    this.current = next;
  }
}

const cover = (w: number, h: number) => `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=bicubic,crop=${w}:${h},setsar=1`;

/** The full ffmpeg argument list (after `-nostdin -hide_banner`) writing an MP4 to `outFile`. */
export function animaticArgs(plan: GraphPlan, outFile: string): string[] {
  const g = new GraphBuilder(plan);
  addCameraShot(g);
  addEndFrame(g);
  if (plan.window) {
    addSweep(g, plan.window);
    addInsets(g, plan.window);
    addCaption(g, plan.caption);
  }
  g.filter('format=yuv420p');
  const { fps, frames, threads } = plan;
  // With sound the picture is cut in the graph: `-frames:v` would end the file while the audio
  // encoder still holds the last samples, leaving the track short.
  if (plan.audio) g.filter(`trim=end_frame=${frames}`);
  const sound = addSoundtrack(g);
  return [
    '-v', 'error', '-y', '-filter_complex_threads', String(threads),
    ...g.inputs,
    '-filter_complex', g.lines.join(';'),
    '-map', `[${g.current}]`, ...sound, ...(plan.audio ? [] : ['-frames:v', String(frames)]), '-r', fps.text,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '22', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-g', String(2 * Math.round(fps.value)), '-threads', String(threads),
    '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-movflags', '+faststart',
    '-f', 'mp4', fileUrl(outFile),
  ];
}

/** The plate on a canvas twice the output size, and the camera move over it. */
function addCameraShot(g: GraphBuilder): void {
  const p = g.plan;
  const { width: W, height: H, frames } = p;
  const SW = W * SUPERSAMPLE;
  const SH = H * SUPERSAMPLE;
  const plate = p.plate
    ? `${g.still(p.plate)},${cover(SW, SH)},format=yuv420p`
    : proceduralBackground(p.seed, { width: W, height: H }, { width: SW, height: SH }).chain;
  if (p.camera === 'pull-out') {
    // The picture centred on a blurred, darker, larger copy of itself: room to pull back into.
    const CW = SW * PULL_OUT_ZOOM;
    const CH = SH * PULL_OUT_ZOOM;
    g.lines.push(`${plate},split[pa][pb]`, `[pa]scale=${CW}:${CH}:flags=bicubic,boxblur=20:2,lutyuv=y=val*0.6[pbg]`,
      `[pbg][pb]overlay=${(CW - SW) / 2}:${(CH - SH) / 2}:format=yuv420,format=yuv420p[canvas]`);
  } else {
    g.lines.push(`${plate}[canvas]`);
  }
  const move = cameraExpressions(p.camera, { frames, amount: p.amount, direction: p.direction });
  g.lines.push(`[canvas]zoompan=z='${move.z}':x='${move.x}':y='${move.y}':d=${frames}:s=${W}x${H}:fps=${p.fps.text},setsar=1,${g.clock}[shot]`);
  g.current = 'shot';
}

/** Fades the end frame in over the last second; the final frame is the end frame itself. */
function addEndFrame(g: GraphBuilder): void {
  const { endFrame, frames, width, height, fps } = g.plan;
  const span = Math.min(Math.round(fps.value), frames - 1);
  if (!endFrame || span < 1) return;
  g.lines.push(`${g.still(endFrame)},${cover(width, height)},format=yuva420p,${g.hold},` +
    `fade=t=in:start_frame=${frames - 1 - span}:nb_frames=${span}:alpha=1[end]`);
  g.overlay('end', 0, 0);
}

/**
 * The seed's mark on every take, plate or not: a soft glow in the seed's colour drifting along the
 * seed's path. It lives in the overlay window, so the first frame (the chain/start frame) and the
 * last frame (the next shot's chain frame) stay clean.
 */
function addSweep(g: GraphBuilder, window: OverlayWindow): void {
  const { width: W, height: H, frames, sweep } = g.plan;
  const bw = even(W * 0.7);
  const bh = even(H * 0.7);
  const [r, gr, b] = hexRgb(hslHex(sweep.hue, 0.9, 0.6));
  const alpha = `'150*exp(-(pow(X-W/2,2)/${fix(2 * (bw / 4) ** 2)}+pow(Y-H/2,2)/${fix(2 * (bh / 4) ** 2)}))'`;
  g.lines.push(`color=c=black:size=${bw}x${bh}:rate=1,trim=end_frame=1,setpts=PTS-STARTPTS,format=rgba,` +
    `geq=r=${r}:g=${gr}:b=${b}:a=${alpha},format=yuva420p,${g.hold},${windowFadeFilters(window)}[sweep]`);
  const last = Math.max(1, frames - 1);
  const along = (axis: 0 | 1, size: number, box: number) =>
    `'${fix(sweep.from[axis] * size - box / 2)}+${fix((sweep.to[axis] - sweep.from[axis]) * size)}*n/${last}'`;
  const next = `v${g.lines.length}`;
  g.lines.push(`[${g.current}][sweep]overlay=x=${along(0, W, bw)}:y=${along(1, H, bh)}:eval=frame:format=yuv420[${next}]`);
  g.current = next;
}

/** Reference images as a row of framed thumbnails in the top-right corner, first one leftmost. */
function addInsets(g: GraphBuilder, window: OverlayWindow): void {
  const { width: W, height: H } = g.plan;
  const insets = g.plan.insets.slice(0, MAX_INSETS);
  const margin = Math.max(8, Math.round(Math.min(W, H) * 0.04));
  const tw = even(W * 0.18);
  const th = even((tw * H) / W);
  const border = 2;
  insets.forEach((file, i) => {
    const fromRight = insets.length - i;
    g.lines.push(`${g.still(file)},${cover(tw, th)},pad=${tw + 2 * border}:${th + 2 * border}:${border}:${border}:color=white,` +
      `format=yuva420p,${g.hold},${windowFadeFilters(window)}[inset${i}]`);
    g.overlay(`inset${i}`, W - margin - fromRight * (tw + 2 * border) - (fromRight - 1) * 6, margin);
  });
}

/**
 * The shot's sound under the whole clip: resampled to 48 kHz stereo, padded with silence when it
 * is shorter and cut when it is longer, so audio and picture end on the same frame. Returns the
 * output options for it (`-an` without one).
 */
function addSoundtrack(g: GraphBuilder): string[] {
  const { audio, frames, fps } = g.plan;
  if (!audio) return ['-an'];
  // Counted in samples from the first one decoded (an MP3's encoder delay shifts its timestamps).
  const samples = Math.round((frames * fps.den * 48_000) / fps.num);
  g.lines.push(`${g.input(audio)}:a:0]aresample=48000,aformat=channel_layouts=stereo,asetpts=N/SR/TB,apad,atrim=end_sample=${samples}[sound]`);
  return ['-map', '[sound]', '-c:a', 'aac', '-b:a', '128k', '-flags:a', '+bitexact'];
}

function addCaption(g: GraphBuilder, caption: Caption | null): void {
  if (caption) g.filter(caption.filters);
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}
