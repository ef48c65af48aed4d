/**
 * Runs the real `server/main.ts`, unchanged, in a process started ahead of time, so the
 * kill-and-restart suites pay for a restart rather than for module loading. Plain JavaScript
 * on purpose: it first imports the packages server/ and shared/ use without the tsx loader
 * (whose per-module round trips cost more than the loading itself), then registers tsx, loads
 * every module main.ts imports (nothing in server/ runs at import time), says `warm`, and waits
 * for `go` on stdin before importing main.ts, which reads the environment, opens the database,
 * migrates and listens as `npm start` does. The modules are the same instances either way:
 * tsx resolves a package to the same file the default resolver does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function* sources(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

const packages = new Set();
for (const dir of ['server', 'shared']) {
  for (const file of sources(path.join(root, dir))) {
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^'.][^']*)';$/gm)) {
      if (!spec.startsWith('node:')) packages.add(spec);
    }
  }
}
for (const spec of packages) {
  try {
    await import(spec);
  } catch {
    // a package only some configurations load (or types only): left to main.ts
  }
}

const { register } = await import('tsx/esm/api');
register();
const mainUrl = pathToFileURL(path.join(root, 'server/main.ts'));
for (const [, spec] of fs.readFileSync(mainUrl, 'utf8').matchAll(/^import .* from '(\.[^']+)';$/gm)) {
  await import(new URL(spec.replace(/\.js$/, '.ts'), mainUrl).href);
}
process.stdout.write('warm\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  lines.close();
  await import(mainUrl.href);
  break;
}
