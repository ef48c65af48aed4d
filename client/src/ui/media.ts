import { createSignal, type Accessor } from 'solid-js';

/**
 * Phones and tablets: the one-column board. The same width as the "phone and tablet" block at the
 * end of styles.css, which lays it out; JS reads it to leave out of shot rows what has no place
 * there (a 100-shot board opens faster on a phone without them).
 */
export const NARROW_SCREEN = '(max-width: 900px)';

/** Whether the screen is narrow now, following rotations and window resizes (one listener per app). */
export const isNarrowScreen: Accessor<boolean> = mediaSignal(NARROW_SCREEN);

function mediaSignal(query: string): Accessor<boolean> {
  if (typeof matchMedia !== 'function') return () => false;
  const mql = matchMedia(query);
  const [matches, setMatches] = createSignal(mql.matches);
  mql.addEventListener('change', (e) => setMatches(e.matches));
  return matches;
}
