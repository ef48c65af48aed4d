import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, buildState, dist } from '../../scripts/build.mjs';

/**
 * A module of the compiled build (dist/), which is what `npm start` runs. Benchmarks of the
 * server load it rather than the TypeScript sources: tsx's transform is not what ships.
 */
export async function distModule<T>(rel: string): Promise<T> {
  return (await import(pathToFileURL(path.join(dist, rel)).href)) as T;
}

/** Builds dist/ when it is missing or older than its sources (once, before servers start). */
export async function ensureBuilt(log: (s: string) => void): Promise<void> {
  const state = buildState();
  if (state === 'fresh') return;
  log(state === 'missing' ? 'building the server (dist/ is missing)…' : 'rebuilding the server (sources changed since dist/ was built)…');
  await build();
}
