import type { Media } from '../assets/media.js';
import { renderAnimatic } from './animatic/render.js';
import type { LocalRenderer } from './worker.js';

/**
 * The animatic as the worker's local renderer: maps a resolved job onto the renderer's inputs.
 * A chained shot's tail frame (attached as the start frame) becomes the opening frame.
 */
export function animaticRenderer(media: Media, fps = 24): LocalRenderer {
  return async ({ request, resolved, title, camera, files }, outPath) => {
    const path = (id: string | undefined) => (id ? files.get(id) : undefined);
    const chained = resolved.chain?.attachedAs === 'start_frame';
    const first = path(request.firstFrame?.assetId);
    const end = path(request.lastFrame?.assetId);
    const refs = (request.referenceImages ?? []).map((r) => files.get(r.media.assetId)).filter((p): p is string => Boolean(p));
    // The send plan gives the animatic one audio slot (maxAudioRefs 1): the shot's first assigned sound.
    const audio = path(request.referenceAudios?.[0]?.assetId);
    await renderAnimatic(
      media,
      {
        durationSec: request.durationSec,
        aspectRatio: request.aspectRatio as '16:9',
        fps,
        seed: request.seed ?? 0,
        title,
        prompt: request.prompt ?? '',
        ...(camera ? { camera } : {}),
        ...(chained && first ? { chainFrame: first } : first ? { startFrame: first } : {}),
        ...(end ? { endFrame: end } : {}),
        ...(refs.length ? { referenceImages: refs } : {}),
        ...(audio ? { audio } : {}),
      },
      outPath,
    );
  };
}
