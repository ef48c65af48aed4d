/**
 * Kling 3.0 Omni's request (`POST /v1/videos/omni-video`, docs/providers.md "Kling (official API)"):
 * one endpoint for every mode. Images go in `image_list` (`type` first_frame / end_frame for
 * frames, none for references); a chained tail goes as the one reference video in `video_list`
 * with `refer_type: "feature"` (continue from it, not edit it), its sound not kept, and the model's
 * own sound off (Kling refuses `sound: "on"` beside a video). The prompt arrives naming the video
 * as `<<<video_1>>>`, Omni's template syntax (planSend's `tailSentence`: Omni reads inputs only
 * where the prompt names them, and the shot detail shows the prompt as sent).
 * Field names and the template are as third-party pages give them (2026-12, UNVERIFIED).
 */
import type { MediaRef, ModelSpec, VideoJobRequest } from '../../../shared/generation/types.js';
import { mediaUrl, providerModelName } from './common.js';
import type { SubmitContext } from './provider.js';

export async function klingOmniBody(req: VideoJobRequest, spec: ModelSpec, ctx: SubmitContext, image: (ref: MediaRef) => Promise<string>) {
  const image_list = [
    ...(req.firstFrame ? [{ image_url: await image(req.firstFrame), type: 'first_frame' }] : []),
    ...(req.lastFrame ? [{ image_url: await image(req.lastFrame), type: 'end_frame' }] : []),
    ...(await Promise.all((req.referenceImages ?? []).map(async (r) => ({ image_url: await image(r.media) })))),
  ];
  const video = req.referenceVideos?.[0];
  const video_list = video ? [{ video_url: await mediaUrl(ctx, video), refer_type: 'feature', keep_original_sound: 'no' }] : [];
  return {
    model_name: providerModelName(spec.id),
    prompt: req.prompt ?? '',
    ...(req.negativePrompt ? { negative_prompt: req.negativePrompt } : {}),
    mode: req.resolution === '1080p' ? 'pro' : 'std',
    duration: String(req.durationSec),
    // With a first frame the clip takes its shape; otherwise the board's ratio.
    ...(req.firstFrame ? {} : { aspect_ratio: req.aspectRatio }),
    ...(image_list.length ? { image_list } : {}),
    ...(video_list.length ? { video_list } : {}),
    // A reference video and generated sound exclude each other on Omni.
    sound: !video && spec.supportsAudio && req.generateAudio !== false ? 'on' : 'off',
  };
}
