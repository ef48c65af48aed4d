import { randomUUID } from 'node:crypto';
import { access, constants, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MediaError, type Media } from '../../assets/media.js';
import { prepareCaption } from '../../assets/captions/caption.js';
import { animaticArgs } from './graph.js';
import { overlayWindow } from '../../assets/captions/overlay-window.js';
import { planAnimatic } from './plan.js';
import type { AnimaticInput, AnimaticOptions, AnimaticResult } from './types.js';

export type { AnimaticInput, AnimaticOptions, AnimaticResult } from './types.js';

/**
 * Renders a shot as an H.264 MP4 (yuv420p, constant frame rate, faststart; AAC sound when `audio` is given) at
 * `outPath`: the opening picture (chain frame, start frame, first reference, or a procedural
 * background from the seed) under a camera move, reference insets, the title and prompt as a
 * lower-third caption, and a cross-fade into `endFrame`. Exactly `round(durationSec * fps)` frames.
 * Same input and seed: same frames. The file appears whole or not at all.
 */
export async function renderAnimatic(media: Media, input: AnimaticInput, outPath: string, opts: AnimaticOptions = {}): Promise<AnimaticResult> {
  const plan = planAnimatic(input);
  for (const [name, file] of [['chainFrame', input.chainFrame], ['startFrame', input.startFrame], ['endFrame', input.endFrame],
    ...(input.referenceImages ?? []).map((f, i) => [`referenceImages[${i}]`, f] as const), ['audio', input.audio]] as const) {
    if (file !== undefined && !(await access(file, constants.R_OK).then(() => true, () => false))) {
      throw new MediaError('invalid_argument', `animatic: ${name} is not a readable file`);
    }
  }
  const threads = opts.threads ?? 2;
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 16)) throw new MediaError('invalid_argument', 'animatic: threads must be 1..16');
  const work = await mkdtemp(path.join(opts.tmpDir ?? os.tmpdir(), 'takeboard-animatic-'));
  const out = path.resolve(outPath);
  const partial = path.join(path.dirname(out), `.${path.basename(out)}.${randomUUID()}.partial`);
  try {
    const window = overlayWindow(plan.frames, plan.fps.value);
    const caption = window
      ? await prepareCaption({ dir: work, width: plan.width, height: plan.height, title: plan.title, prompt: plan.prompt, fonts: media.fonts, window })
      : null;
    await mkdir(path.dirname(out), { recursive: true });
    await media.ffmpeg(animaticArgs({ ...plan, caption, window, threads }, partial), opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {});
    await rename(partial, out);
  } finally {
    await Promise.all([rm(work, { recursive: true, force: true }), rm(partial, { force: true })]);
  }
  const info = await media.probe(out);
  return {
    durationSec: info.durationSec ?? plan.frames / plan.fps.value,
    width: info.width,
    height: info.height,
    fps: info.fps ?? plan.fps.value,
  };
}
