/**
 * Which ffmpeg and ffprobe this server runs, and whether they can do what the code asks of them.
 *
 * Order: FFMPEG_PATH / FFPROBE_PATH, then `ffmpeg` / `ffprobe` on PATH (Debian's packages get
 * security updates), then the binaries shipped by `@ffmpeg-installer` / `@ffprobe-installer` as a
 * last resort (a 2018 ffmpeg and a 2023 ffprobe that nobody patches, hence a warning naming them).
 * `locateTool` only looks (no child runs); `checkMediaTools` runs `-version` and `-filters` once
 * and fails with a message an operator can act on.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

export type ToolName = 'ffmpeg' | 'ffprobe';
/** Where a binary came from: its environment variable, PATH, or the npm package. */
export type ToolSource = 'env' | 'path' | 'bundled';

export interface ToolLocation {
  name: ToolName;
  path: string;
  source: ToolSource;
}

export interface ToolReport extends ToolLocation {
  /** As the binary prints it: "5.1.9-0+deb12u1", "N-47683-g0e8eb07980-static". */
  version: string;
  /** The FFmpeg release it matches ("5.1", "4.1"), from its libavcodec version; snapshots print none. */
  release: string;
  /** The last year of its copyright line, i.e. when it was built. */
  builtYear: number | null;
}

export interface MediaToolsReport {
  ffmpeg: ToolReport;
  ffprobe: ToolReport;
  /** Things an operator should fix but that do not stop the server (the bundled binaries). */
  warnings: string[];
}

/** A reason the server cannot use its media tools; main prints the message and exits. */
export class MediaToolsError extends Error {
  override readonly name = 'MediaToolsError';
}

export const ENV_VAR: Record<ToolName, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const PACKAGE: Record<ToolName, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };
export const INSTALL_HINT = 'install a maintained one (Debian/Ubuntu: apt-get install ffmpeg) or set FFMPEG_PATH and FFPROBE_PATH';

/**
 * Every ffmpeg filter the server's commands use, with what needs it: the start fails when the
 * chosen ffmpeg lacks one, instead of the first render or export failing later. Crossfades use
 * `blend` with a per-frame weight (in 4.1 already), not `xfade` (4.3+), so they run on both.
 */
export const REQUIRED_FILTERS: Readonly<Record<string, string>> = {
  drawtext: 'text on animatics and slates',
  blend: 'crossfades in the sequence export',
  acrossfade: 'crossfades in the sequence export',
  zoompan: 'the animatic camera move',
  ...Object.fromEntries(['geq', 'gblur', 'boxblur', 'lutrgb', 'lutyuv', 'hue', 'mandelbrot', 'life', 'cellauto', 'crop', 'color', 'fade', 'overlay', 'loop']
    .map((f) => [f, 'animatic renders'])),
  ...Object.fromEntries(['tpad', 'trim', 'atrim', 'concat', 'split', 'scale', 'pad', 'fps', 'setpts', 'asetpts', 'setsar', 'format', 'anullsrc', 'aresample', 'aformat', 'null', 'anull', 'apad']
    .map((f) => [f, 'the sequence export'])),
};

/** The oldest release we run on (the bundled build); anything older is refused at start. */
export const MIN_RELEASE = '4.1';

/**
 * FFmpeg releases by the libavcodec version they shipped, newest first: a git snapshot (the
 * bundled "N-47683-…") prints no release number, but its libavcodec says which it matches.
 */
const RELEASES: ReadonlyArray<readonly [string, number, number]> = [
  ['7.1', 61, 19], ['7.0', 61, 3], ['6.1', 60, 31], ['6.0', 60, 3], ['5.1', 59, 37], ['5.0', 59, 18],
  ['4.4', 58, 134], ['4.3', 58, 91], ['4.2', 58, 54], ['4.1', 58, 35], ['4.0', 58, 18], ['3.4', 57, 107],
  ['3.0', 57, 24], ['2.0', 55, 18],
];

/**
 * Where `name` comes from: `explicit` (from its environment variable) as given, else the first
 * executable `name` in `pathEnv`'s folders, else the npm package's binary; null when none exists.
 */
export function locateTool(name: ToolName, explicit: string | undefined, pathEnv: string | undefined): ToolLocation | null {
  if (explicit !== undefined) return { name, path: path.resolve(explicit), source: 'env' };
  for (const dir of (pathEnv ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d))) {
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return { name, path: candidate, source: 'path' };
  }
  const bundled = bundledTool(name);
  return bundled && isExecutableFile(bundled) ? { name, path: bundled, source: 'bundled' } : null;
}

/** The binary `@ffmpeg-installer` / `@ffprobe-installer` put in node_modules, or null when absent. */
export function bundledTool(name: ToolName): string | null {
  try {
    return (createRequire(import.meta.url)(PACKAGE[name]) as { path: string }).path;
  } catch {
    return null;
  }
}

/** The message for a tool that is nowhere to be found. */
export function notFound(name: ToolName): MediaToolsError {
  return new MediaToolsError(`No ${name} found: ${ENV_VAR[name]} is not set, there is no ${name} on PATH and ${PACKAGE[name]} is not installed; ${INSTALL_HINT}`);
}

/**
 * Runs `-version` on both and `-filters` on ffmpeg, and refuses (MediaToolsError) a binary that
 * does not start, does not answer like ffmpeg, is older than MIN_RELEASE or lacks a filter in
 * REQUIRED_FILTERS. Each message names the binary, where it came from and how to fix it.
 */
export async function checkMediaTools(tools: { ffmpeg: ToolLocation; ffprobe: ToolLocation }): Promise<MediaToolsReport> {
  // All at once: each start of Debian's dynamically linked ffmpeg costs ~50 ms (400 ms on a busy
  // host) loading its libraries. The first failure in this order is the one reported.
  const [ffmpeg, ffprobe, filters] = await firstFailure([identify(tools.ffmpeg), identify(tools.ffprobe), run(tools.ffmpeg, ['-hide_banner', '-filters'])] as const);
  const have = new Set([...filters.matchAll(/^\s*[A-Z.|]{2,3}\s+(\w+)\s/gm)].map((m) => m[1]!));
  const missing = Object.keys(REQUIRED_FILTERS).filter((f) => !have.has(f));
  if (missing.length > 0) {
    const uses = missing.map((f) => `${f} (${REQUIRED_FILTERS[f]})`).join(', ');
    throw new MediaToolsError(`${describe(ffmpeg)} lacks the filters ${uses}; ${INSTALL_HINT}`);
  }
  const warnings = [ffmpeg, ffprobe].filter((t) => t.source === 'bundled').map((t) =>
    `Using ${t.name} ${t.release}${t.builtYear ? ` (built ${t.builtYear})` : ''} shipped in ${PACKAGE[t.name]}: it gets no security fixes; ${INSTALL_HINT}`);
  return { ffmpeg, ffprobe, warnings };
}

/** Waits for every promise; rejects with the first rejection in list order (not in time), else resolves to all values. */
export async function firstFailure<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** "ffmpeg 4.1 (N-47683-…, built 2018) at /path, from PATH". */
export function describe(t: ToolReport): string {
  const from = t.source === 'env' ? `from ${ENV_VAR[t.name]}` : t.source === 'path' ? 'from PATH' : `bundled in ${PACKAGE[t.name]}`;
  return `${t.name} ${t.release} (${t.version}${t.builtYear ? `, built ${t.builtYear}` : ''}) at ${t.path}, ${from}`;
}

async function identify(tool: ToolLocation): Promise<ToolReport> {
  if (tool.source === 'env') {
    const problem = fileProblem(tool.path);
    if (problem) throw new MediaToolsError(`${ENV_VAR[tool.name]}=${tool.path} ${problem}; point it at an ${tool.name} binary or unset it to use the one on PATH (apt-get install ffmpeg)`);
  }
  const out = await run(tool, ['-hide_banner', '-version'], '-version');
  const parsed = parseVersion(tool.name, out);
  if (!parsed) throw new MediaToolsError(`${where(tool)} did not answer -version like ${tool.name} (it printed "${out.trim().split('\n')[0]?.slice(0, 120) ?? ''}"); ${INSTALL_HINT}`);
  const report = { ...tool, ...parsed };
  if (compareRelease(parsed.release, MIN_RELEASE) < 0) {
    throw new MediaToolsError(`${describe(report)} is too old: Takeboard needs ${tool.name} ${MIN_RELEASE} or newer; ${INSTALL_HINT}`);
  }
  return report;
}

/** Version, release and build year from `-version` output; null when it is not ffmpeg's. */
export function parseVersion(name: ToolName, out: string): Pick<ToolReport, 'version' | 'release' | 'builtYear'> | null {
  const head = new RegExp(`^${name} version (\\S+)`, 'm').exec(out);
  const built = /Copyright \(c\) \d{4}-(\d{4})/.exec(out);
  const codec = /^libavcodec\s+(\d+)\.\s*(\d+)\./m.exec(out);
  if (!head || !codec) return null;
  const major = Number(codec[1]);
  const minor = Number(codec[2]);
  const release = RELEASES.find(([, M, m]) => major > M || (major === M && minor >= m))?.[0] ?? `libavcodec ${major}.${minor}`;
  return { version: head[1]!, release, builtYear: built ? Number(built[1]) : null };
}

/** Orders "4.1" < "4.10" < "5.1"; an unknown release ("libavcodec 54.1") sorts first. */
function compareRelease(a: string, b: string): number {
  const parts = (s: string) => (/^\d+\.\d+$/.test(s) ? s.split('.').map(Number) : [-1, -1]);
  const [x, y] = [parts(a), parts(b)];
  return x[0]! - y[0]! || x[1]! - y[1]!;
}

function where(tool: ToolLocation): string {
  return tool.source === 'env' ? `${ENV_VAR[tool.name]}=${tool.path}` : `${tool.name} at ${tool.path}`;
}

const execFileP = promisify(execFile);

async function run(tool: ToolLocation, args: string[], what = args.join(' ')): Promise<string> {
  try {
    const { stdout } = await execFileP(tool.path, args, { timeout: 20_000, maxBuffer: 4 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    const why = e.code === 'ENOENT' ? 'does not exist' : e.code === 'EACCES' ? 'is not executable' : `failed on ${what} (${(e.stderr ?? e.message).trim().split('\n').pop()})`;
    throw new MediaToolsError(`${where(tool)} ${why}; ${INSTALL_HINT}`);
  }
}

/** Why `file` cannot be run, or null when it is an executable file. */
function fileProblem(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return 'is not a file';
  } catch {
    return 'does not exist';
  }
  return isExecutableFile(file) ? null : 'is not executable';
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
