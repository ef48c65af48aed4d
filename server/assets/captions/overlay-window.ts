/**
 * When the caption and insets show: they fade in just after the first frame and are gone on the
 * last one, so a take's first and last frames are clean pictures. The last frame becomes the next
 * shot's opening frame, and captions must not pile up along a chain. All numbers are frame indexes.
 */
export interface OverlayWindow {
  /** First frame of the fade-in (still invisible). */
  inStart: number;
  /** Frames per fade. */
  fade: number;
  /** First frame of the fade-out (still fully visible). */
  outStart: number;
  /** Index of the last frame (invisible). */
  last: number;
}

/** The window for a clip of `frames` frames at `fps`; null when the clip is too short to show anything. */
export function overlayWindow(frames: number, fps: number): OverlayWindow | null {
  const last = frames - 1;
  const inStart = Math.round(Math.min(0.1 * fps, frames / 10));
  let fade = Math.max(1, Math.round(Math.min(0.3 * fps, frames / 6)));
  if (inStart + 2 * fade > last) fade = Math.floor((last - inStart) / 2);
  if (fade < 1) return null;
  return { inStart, fade, outStart: last - fade, last };
}

/** Opacity 0..1 at frame `n`, as an ffmpeg expression (for drawtext's `alpha`); quote it in a graph. */
export function windowAlphaExpr(w: OverlayWindow): string {
  return `clip(min((n-${w.inStart})/${w.fade},(${w.last}-n)/${w.fade}),0,1)`;
}

/** The same opacity applied to a stream with an alpha channel (the insets). */
export function windowFadeFilters(w: OverlayWindow): string {
  return `fade=t=in:start_frame=${w.inStart}:nb_frames=${w.fade}:alpha=1,fade=t=out:start_frame=${w.outStart}:nb_frames=${w.fade}:alpha=1`;
}
