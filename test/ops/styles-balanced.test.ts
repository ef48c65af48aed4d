import fs from 'node:fs';
import { expect, it } from 'vitest';

/**
 * A block left open in the stylesheet (a merge that dropped one `}`) is not an error to the
 * browser or to Vite: every rule after it silently lands inside that block (here, a touch-only
 * media query), so whole features lose their layout on desktop. Count the braces.
 */
it('client/src/styles.css closes every block it opens', () => {
  const css = fs.readFileSync(new URL('../../client/src/styles.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  let depth = 0;
  css.split('\n').forEach((line, i) => {
    for (const ch of line) {
      if (ch === '{') depth += 1;
      if (ch === '}') depth -= 1;
      expect(depth, `a '}' without its block near line ${i + 1}`).toBeGreaterThanOrEqual(0);
    }
  });
  expect(depth, 'blocks left open at the end of the file').toBe(0);
});
