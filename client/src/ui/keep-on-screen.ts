/**
 * Keeps a popover (members, help, sprint settings, the queue list) inside the viewport: narrower
 * than the screen with a margin, and shifted back in when its place in the layout would put an
 * edge off screen (a 460 px panel anchored right on a 390 px phone). Use as `ref={keepOnScreen}`;
 * it follows the popover's own size changes and the window's until the popover goes.
 */
import { onCleanup } from 'solid-js';

const MARGIN = 8;

export function keepOnScreen(el: HTMLElement): void {
  let frame = 0;
  const fit = () => {
    frame = 0;
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    el.style.maxWidth = `${vw - 2 * MARGIN}px`;
    el.style.maxHeight = `${vh - 2 * MARGIN}px`;
    el.style.overflow = 'auto';
    el.style.translate = '';
    const r = el.getBoundingClientRect();
    let dx = 0;
    if (r.right > vw - MARGIN) dx = vw - MARGIN - r.right;
    if (r.left + dx < MARGIN) dx = MARGIN - r.left;
    let dy = 0;
    if (r.bottom > vh - MARGIN) dy = vh - MARGIN - r.bottom;
    if (r.top + dy < MARGIN) dy = MARGIN - r.top;
    if (dx || dy) el.style.translate = `${Math.round(dx)}px ${Math.round(dy)}px`;
  };
  const later = () => {
    if (!frame) frame = requestAnimationFrame(fit);
  };
  later();
  const observer = new ResizeObserver(later);
  observer.observe(el);
  window.addEventListener('resize', later);
  onCleanup(() => {
    cancelAnimationFrame(frame);
    observer.disconnect();
    window.removeEventListener('resize', later);
  });
}
