import { expect, inject, it } from 'vitest';
import { measureBoardFirstLoad } from '../../scripts/bundle-size.mjs';

// Not a browser test, but it checks the same build the browser suites serve.
it('keeps the first load of a board under 150 kB of gzipped JS', () => {
  const m = measureBoardFirstLoad(inject('clientDir'));
  console.log(`[bundle] first load of /boards/:id: ${(m.gzip / 1024).toFixed(1)} kB gzip in ${m.files.length} files`);
  expect(m.gzip).toBeLessThan(150 * 1024);
});
