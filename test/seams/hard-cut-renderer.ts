import { createMedia } from '../../server/assets/media.js';
import { animaticRenderer } from '../../server/generation/local-animatic.js';
import type { LocalRenderer } from '../../server/generation/worker.js';
import { ffmpeg } from '../assets/media-fixtures.js';

/**
 * The real animatic (a chained shot opens on its upstream's last frame), except a shot whose
 * prompt says HARD CUT: 2 s of flat red, which continues nothing. For tests of seam scores.
 */
export function hardCutRenderer(): LocalRenderer {
  const animatic = animaticRenderer(createMedia());
  return async (job, out, signal) => {
    if (!job.request.prompt?.includes('HARD CUT')) return animatic(job, out, signal);
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=0xd01010:s=640x360:r=24:d=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', out);
  };
}
