#!/usr/bin/env node
/**
 * Measures what the browser downloads to open a board: the entry chunk, the board route chunk
 * and every chunk they import statically, gzipped. Builds into a temp folder (with a manifest),
 * so dist/client is left alone. Usage: node scripts/bundle-size.mjs [--max-kb 150]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Sizes of the files a first visit to /boards/:id loads, from a build made with
 * `build.manifest: true` in `outDir`: the entry, the board route and their static imports.
 */
export function measureBoardFirstLoad(outDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8'));
  const closure = (key, seen = new Set()) => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
    return seen;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  const boardRoute = Object.keys(manifest).find((k) => k.endsWith('src/routes/board.tsx'));
  const files = [...new Set([...closure(entry), ...closure(boardRoute)])].map((k) => {
    const bytes = fs.readFileSync(path.join(outDir, manifest[k].file));
    return { file: manifest[k].file, bytes: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
  });
  files.sort((a, b) => b.gzip - a.gzip);
  return { files, bytes: files.reduce((s, f) => s + f.bytes, 0), gzip: files.reduce((s, f) => s + f.gzip, 0) };
}

async function main() {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-bundle-'));
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'client/vite.config.ts'), logLevel: 'warn', build: { outDir, manifest: true } });
  const m = measureBoardFirstLoad(outDir);
  const kb = (n) => (n / 1024).toFixed(1);
  for (const f of m.files) console.log(`${f.file.padEnd(40)} ${kb(f.bytes).padStart(7)} kB  gzip ${kb(f.gzip).padStart(6)} kB`);
  console.log(`first load of /boards/:id: ${kb(m.bytes)} kB JS, ${kb(m.gzip)} kB gzip (${m.files.length} files)`);
  fs.rmSync(outDir, { recursive: true, force: true });
  const i = process.argv.indexOf('--max-kb');
  if (i > 0 && m.gzip / 1024 > Number(process.argv[i + 1])) {
    console.error(`over budget: ${kb(m.gzip)} kB > ${process.argv[i + 1]} kB`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
