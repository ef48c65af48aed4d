/**
 * Builds the web client once into a temp folder keyed by the sources' content, so browser suites
 * and the browser benchmarks serve the real bundle and repeated runs reuse it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const inputs = ['client/src', 'client/index.html', 'client/vite.config.ts', 'shared'];

function hashInputs(): string {
  const h = crypto.createHash('sha256').update('build options v2 (manifest)');
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else h.update(path.relative(root, p)).update(fs.readFileSync(p));
  };
  for (const i of inputs) walk(path.join(root, i));
  return h.digest('hex').slice(0, 16);
}

/** The folder holding the production build of the current client sources (built when missing). */
export async function buildClient(): Promise<string> {
  const outDir = path.join(os.tmpdir(), `takeboard-client-${hashInputs()}`);
  if (!fs.existsSync(path.join(outDir, 'index.html'))) {
    const { build } = await import('vite');
    const tmp = `${outDir}.${process.pid}`;
    // Vitest sets NODE_ENV=test, which would make Vite pick Solid's development build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: path.join(root, 'client/vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true, manifest: true } });
    } finally {
      process.env.NODE_ENV = env;
    }
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.renameSync(tmp, outDir);
  }
  return outDir;
}
