#!/usr/bin/env node
/**
 * `npm start`: runs the compiled server (dist/server/main.js) in this very process, building it
 * first (`npm run build`) when dist/ is missing or older than its sources. Running the server
 * here rather than in a child means SIGINT and SIGTERM reach its graceful stop directly: nothing
 * is left listening when this process ends. package.json's start script `exec`s node, so no
 * shell sits between npm (which forwards both signals) and this process to die and orphan it.
 * Arguments and environment pass through.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, buildState, dist, root } from './build.mjs';

const main = path.join(dist, 'server', 'main.js');

/** The build needs the dev dependencies, which `npm ci --omit=dev` leaves out. */
const canBuild = () => ['typescript', 'vite'].every((p) => fs.existsSync(path.join(root, 'node_modules', p, 'package.json')));

const state = buildState();
if (state !== 'fresh') {
  if (canBuild()) {
    process.stdout.write(state === 'missing' ? 'Building Takeboard (first start)…\n' : 'Sources changed since the last build: rebuilding…\n');
    try {
      await build();
    } catch (err) {
      process.stderr.write(`The build failed (${err.message}); see above.\n`);
      process.exit(1);
    }
  } else if (state === 'missing') {
    process.stderr.write('Takeboard is not built (dist/ is missing) and the build tools are not installed: run `npm ci && npm run build` first.\n');
    process.exit(1);
  } else {
    process.stderr.write('Warning: dist/ is older than the sources, and the build tools are not installed; serving the last build.\n');
  }
}

process.setSourceMapsEnabled(true);
await import(pathToFileURL(main).href);
