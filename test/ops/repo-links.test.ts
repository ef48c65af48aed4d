/**
 * The repository carries its own docs: no file in it (docs, code comments, tests, scripts,
 * configuration) points to a document outside it. Every mention of a `*.md` file must name one
 * that exists in the repository (a path from the file's folder or from the root, or a file name
 * found in it), and every relative markdown link must resolve to a file inside the repository.
 * Web addresses are sources, not repository documents, and are not checked here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Not the repository's own text: installed packages, build output, local data. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'data', '.vite', 'coverage']);
const TEXT = /\.(md|ts|tsx|mts|mjs|cjs|js|jsx|json|css|html|ya?ml|sh|txt|sql)$|^(Dockerfile|\.gitignore|\.dockerignore|run)$/;

function repoFiles(dir = ROOT, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) repoFiles(path.join(dir, e.name), out);
    } else if (e.isFile() && TEXT.test(e.name)) out.push(path.relative(ROOT, path.join(dir, e.name)));
  }
  return out;
}

export interface OutsideRef {
  file: string;
  line: number;
  ref: string;
  why: string;
}

/** A `*.md` name as prose and code mention it: `docs/api.md`, `../shared/x.md`, `CONTEXT.md`. */
const MD_MENTION = /(?<![\w/.-])((?:\.{1,2}\/)*(?:[\w-][\w.-]*\/)*[\w-][\w.-]*\.md)(?![\w-])/g;
/** A markdown link or image target: `[text](target)` (a title after a space is dropped). */
const MD_LINK = /!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const WEB = /^(https?:|mailto:|data:|#)/i;
/** This file: its examples of bad references are made up on purpose. */
const SELF = path.relative(ROOT, fileURLToPath(import.meta.url)).split(path.sep).join('/');
/**
 * Documents written on another branch at the same time and linked ahead of it (docs/money.md:
 * the money engineer's API notes). Only while they are absent; the merge empties this list.
 */
const ARRIVING: readonly string[] = [];

/**
 * What in `text` (the content of `file`, a path from the root) points outside the repository:
 * `exists(p)` says whether a root-relative path is a file of it, `names` holds every file name in it.
 */
export function outsideRefs(file: string, text: string, exists: (p: string) => boolean, names: ReadonlySet<string>): OutsideRef[] {
  const out: OutsideRef[] = [];
  const dir = path.posix.dirname(file);
  const inside = (p: string) => !p.startsWith('../') && p !== '..' && !path.posix.isAbsolute(p);
  const lines = text.split('\n');
  const seen = new Set<string>();
  const flag = (r: OutsideRef) => {
    const key = `${r.line} ${r.ref}`;
    if (!seen.has(key)) out.push(r);
    seen.add(key);
  };
  lines.forEach((content, i) => {
    const line = i + 1;
    // In markdown a link's target is judged as a link (from the file's folder), below.
    const prose = file.endsWith('.md') ? content.replace(MD_LINK, (whole, target: string) => whole.replace(target, '')) : content;
    for (const m of prose.matchAll(MD_MENTION)) {
      const ref = m[1]!;
      if (!ref.includes('/')) {
        if (!names.has(ref) && !exists(path.posix.join(dir, ref))) flag({ file, line, ref, why: 'no file of that name in the repository' });
        continue;
      }
      const fromDir = path.posix.normalize(path.posix.join(dir, ref));
      const fromRoot = path.posix.normalize(ref);
      const found = (inside(fromDir) && exists(fromDir)) || (!ref.startsWith('.') && inside(fromRoot) && exists(fromRoot));
      if (!found) flag({ file, line, ref, why: inside(fromDir) ? 'no such file in the repository' : 'outside the repository' });
    }
    if (!file.endsWith('.md')) return;
    for (const m of content.matchAll(MD_LINK)) {
      const target = decodeURI(m[1]!.split('#')[0]!);
      if (WEB.test(m[1]!) || target === '') continue;
      const resolved = path.posix.normalize(path.posix.join(dir, target));
      if (!inside(resolved)) flag({ file, line, ref: m[1]!, why: 'link leaves the repository' });
      else if (!exists(resolved) && !isDir(resolved)) flag({ file, line, ref: m[1]!, why: 'link to a missing file' });
    }
  });
  return out;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(path.join(ROOT, p)).isDirectory();
  } catch {
    return false;
  }
}

describe('the repository carries its own docs', () => {
  it('no file links or refers to a document outside the repository', () => {
    const files = repoFiles();
    const all = new Set(files.map((f) => f.split(path.sep).join('/')));
    const known = new Set([...all, ...ARRIVING]);
    const names = new Set([...known].map((f) => path.posix.basename(f)));
    const found = [...all].filter((f) => f !== SELF).flatMap((f) => outsideRefs(f, fs.readFileSync(path.join(ROOT, f), 'utf8'), (p) => known.has(p), names));
    expect(found.map((r) => `${r.file}:${r.line} ${r.ref} (${r.why})`)).toEqual([]);
    // The scan saw the docs it is about.
    for (const doc of ['docs/architecture.md', 'docs/api.md', 'docs/decisions.md', 'docs/document-schema.md', 'docs/providers.md', 'README.md']) expect(all.has(doc), doc).toBe(true);
  });

  // The checker itself, on made-up files (names built at run time, so this file names no outside document).
  const files = new Set(['README.md', 'docs/api.md', 'docs/decisions.md', 'server/CONTEXT.md', 'server/app.ts', 'shared/doc/CONTEXT.md']);
  const names = new Set([...files].map((f) => path.posix.basename(f)));
  const refs = (file: string, text: string) => outsideRefs(file, text, (p) => files.has(p), names).map((r) => r.ref);
  const gone = ['DESIGN', 'DOMAIN', 'PROVIDERS'].map((n) => `${n}.md`);

  it('flags a document that is not in the repository, by name or by path', () => {
    expect(refs('server/app.ts', `// see ${gone[0]} "Sync", and ${gone[1]}`)).toEqual(gone.slice(0, 2));
    expect(refs('server/app.ts', `/** as in ../shared/${gone[2]} */`)).toEqual([`../shared/${gone[2]}`]);
    expect(refs('docs/api.md', `the notes in docs/${gone[2]}`)).toEqual([`docs/${gone[2]}`]);
    expect(refs('docs/api.md', `[the contracts](../../${gone[0]})`)).toEqual([`../../${gone[0]}`]);
  });

  it('flags a relative markdown link that leaves the repository or names a missing file', () => {
    expect(refs('docs/api.md', '[maps](../../elsewhere/notes.txt)')).toEqual(['../../elsewhere/notes.txt']);
    expect(refs('docs/api.md', '[schema](schema.txt#roots)')).toEqual(['schema.txt#roots']);
  });

  it('accepts paths from the file or the root, file names in the repository and web addresses', () => {
    expect(refs('server/app.ts', '// docs/api.md "Live sync", the CONTEXT.md maps, README.md')).toEqual([]);
    expect(refs('docs/api.md', '[decisions](decisions.md#why), [readme](../README.md), [map](../server/CONTEXT.md), ../shared/doc/CONTEXT.md')).toEqual([]);
    expect(refs('docs/api.md', '[Kling](https://example.com/GUIDE.md), <https://example.com/x.md>')).toEqual([]);
  });
});
