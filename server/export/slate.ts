/**
 * A slate: the card the sequence shows for a shot without a usable take, so the exported MP4
 * keeps every shot in its place and length (as the Sequence tab does). A dark colour source with
 * "Shot N: title" and the reason, drawn by the caption code the animatic uses too (assets/captions/) (drawtext reading the text
 * from files, with the toolbox's font), visible on every frame.
 */
import type { Media } from '../assets/media.js';
import { fileUrl } from '../assets/media.js';
import { prepareCaption } from '../assets/captions/caption.js';
import type { FrameRate } from '../../shared/sequence/rate.js';

export interface SlateSpec {
  width: number;
  height: number;
  rate: FrameRate;
  frames: number;
  /** "Shot 3: Epilogue" */
  label: string;
  reason: string;
}

const CARD_COLOUR = '0x1c1f26';

/** Renders the slate as an H.264 MP4 of exactly `frames` frames at `out`; `dir` holds the caption's files. */
export async function renderSlate(media: Media, spec: SlateSpec, dir: string, out: string): Promise<void> {
  const { width: W, height: H, rate, frames } = spec;
  // A window that opens before frame 0 and closes after the last: the text is on every frame.
  const window = { inStart: -1, fade: 1, outStart: frames, last: frames + 1 };
  const caption = await prepareCaption({ dir, width: W, height: H, title: spec.label, prompt: spec.reason, fonts: media.fonts, window });
  const inputs = ['-f', 'lavfi', '-i', `color=c=${CARD_COLOUR}:s=${W}x${H}:r=${rate.num}/${rate.den}`];
  const graph = `[0:v]${caption ? caption.filters : 'null'}`;
  await media.ffmpeg([
    '-v', 'error', '-y', ...inputs, '-filter_complex', `${graph},format=yuv420p[v]`, '-map', '[v]', '-frames:v', String(frames),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-r', `${rate.num}/${rate.den}`, '-f', 'mp4', fileUrl(out),
  ]);
}
