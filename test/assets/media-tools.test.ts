import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMedia } from '../../server/assets/media.js';
import { checkMediaTools, locateTool, MediaToolsError, REQUIRED_FILTERS, type ToolLocation } from '../../server/assets/media-tools.js';
import { startChildServer } from '../helpers/child-server.js';
import { startTestServer } from '../helpers/server.js';
import { BUNDLED_FFMPEG, BUNDLED_FFPROBE } from './media-fixtures.js';

/** Debian's maintained binaries (.ci/run installs the `ffmpeg` package). */
const DEBIAN = { ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' };

let root: string;
/** Folders to put on a fake PATH: real symlinks to Debian's binaries, scripts posing as ffmpeg, nothing. */
const dirs = { debian: '', old: '', empty: '', notExecutable: '' };
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'takeboard-media-tools-'));
  for (const k of Object.keys(dirs) as (keyof typeof dirs)[]) {
    dirs[k] = path.join(root, k);
    await mkdir(dirs[k]);
  }
  await symlink(DEBIAN.ffmpeg, path.join(dirs.debian, 'ffmpeg'));
  await symlink(DEBIAN.ffprobe, path.join(dirs.debian, 'ffprobe'));
  await script(path.join(dirs.old, 'ffmpeg'), fakeVersion('ffmpeg', '3.4.8', '57.107.100', 2020));
  await writeFile(path.join(dirs.notExecutable, 'ffmpeg'), '#!/bin/sh\nexit 0\n');
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function script(file: string, body: string): Promise<string> {
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/** A shell script's body answering `-version` like an ffmpeg of that release (and nothing else). */
function fakeVersion(name: string, version: string, libavcodec: string, year: number): string {
  const [maj, min = '', mic] = libavcodec.split('.');
  return `echo "${name} version ${version} Copyright (c) 2000-${year} the FFmpeg developers"\necho "libavcodec     ${maj}.${min.padStart(3)}.${mic} / ${maj}.${min.padStart(3)}.${mic}"`;
}

const located = (name: 'ffmpeg' | 'ffprobe', explicit: string | undefined, pathEnv: string) => locateTool(name, explicit, pathEnv) as ToolLocation;
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a MediaToolsError'); }, (e: unknown) => {
  expect(e).toBeInstanceOf(MediaToolsError);
  return (e as Error).message;
});

describe('which ffmpeg runs: FFMPEG_PATH, then PATH, then the bundled build', () => {
  it('PATH before the bundled build: a folder holding (links to) the real binaries wins, and they pass the checks', async () => {
    const pathEnv = [dirs.empty, dirs.debian].join(path.delimiter);
    const tools = { ffmpeg: located('ffmpeg', undefined, pathEnv), ffprobe: located('ffprobe', undefined, pathEnv) };
    expect(tools.ffmpeg).toEqual({ name: 'ffmpeg', path: path.join(dirs.debian, 'ffmpeg'), source: 'path' });
    expect(tools.ffprobe).toEqual({ name: 'ffprobe', path: path.join(dirs.debian, 'ffprobe'), source: 'path' });
    const report = await checkMediaTools(tools);
    expect(report.ffmpeg).toMatchObject({ source: 'path', release: '5.1', version: expect.stringMatching(/^5\.1\./) });
    expect(report.warnings).toEqual([]);
  });

  it('FFMPEG_PATH before PATH', () => {
    expect(located('ffmpeg', DEBIAN.ffmpeg, dirs.old)).toEqual({ name: 'ffmpeg', path: DEBIAN.ffmpeg, source: 'env' });
  });

  it('the first PATH folder holding an executable wins; a file without the execute bit is passed over', () => {
    expect(located('ffmpeg', undefined, [dirs.notExecutable, dirs.old, dirs.debian].join(path.delimiter)).path).toBe(path.join(dirs.old, 'ffmpeg'));
  });

  it('with nothing on PATH, the bundled build, with a warning naming its version and age', async () => {
    const tools = { ffmpeg: located('ffmpeg', undefined, dirs.empty), ffprobe: located('ffprobe', undefined, dirs.empty) };
    expect(tools).toEqual({ ffmpeg: { name: 'ffmpeg', path: BUNDLED_FFMPEG, source: 'bundled' }, ffprobe: { name: 'ffprobe', path: BUNDLED_FFPROBE, source: 'bundled' } });
    const report = await checkMediaTools(tools);
    expect(report.ffmpeg).toMatchObject({ release: '4.1', builtYear: 2018 });
    expect(report.warnings[0]).toMatch(/^Using ffmpeg 4\.1 \(built 2018\) shipped in @ffmpeg-installer\/ffmpeg: it gets no security fixes; .*apt-get install ffmpeg/);
    expect(report.warnings[1]).toMatch(/^Using ffprobe 6\.0 \(built 2023\)/);
  });

  it('an ffmpeg older than 4.1 is refused, saying what was found and how to install one', async () => {
    const message = await failure(checkMediaTools({ ffmpeg: located('ffmpeg', undefined, dirs.old), ffprobe: located('ffprobe', DEBIAN.ffprobe, '') }));
    expect(message).toBe(`ffmpeg 3.4 (3.4.8, built 2020) at ${path.join(dirs.old, 'ffmpeg')}, from PATH is too old: Takeboard needs ffmpeg 4.1 or newer; ` +
      'install a maintained one (Debian/Ubuntu: apt-get install ffmpeg) or set FFMPEG_PATH and FFPROBE_PATH');
  });

  it('an ffmpeg without a filter the server uses is refused, naming the filter and what needs it', async () => {
    const filters = Object.keys(REQUIRED_FILTERS).filter((f) => f !== 'drawtext').map((f) => ` T.. ${f}  V->V  x`).join('\\n');
    const bin = await script(path.join(root, 'no-drawtext'), `if [ "$2" = "-filters" ]; then printf "Filters:\\n${filters}\\n"; else\n${fakeVersion('ffmpeg', '5.1.2', '59.37.100', 2022)}\nfi`);
    const message = await failure(checkMediaTools({ ffmpeg: located('ffmpeg', bin, ''), ffprobe: located('ffprobe', DEBIAN.ffprobe, '') }));
    expect(message).toMatch(/^ffmpeg 5\.1 .* lacks the filters drawtext \(text on animatics and slates\); install a maintained one/);
  });
});

describe('the memory cap', () => {
  it('too small for the chosen ffmpeg to even load its libraries: the start check says so, not every probe later', async () => {
    const tight = createMedia({ pathEnv: dirs.debian, memoryLimitBytes: 200 * 1024 * 1024 });
    await expect(tight.check()).rejects.toThrow(new RegExp(`^ffprobe at ${dirs.debian}/ffprobe cannot start within the memory cap of 200 MB \\(.*\\); raise MEDIA_MEMORY_LIMIT_MB`));
    await expect(createMedia({ pathEnv: dirs.debian, memoryLimitBytes: 400 * 1024 * 1024 }).check()).resolves.toMatchObject({ ffmpeg: { release: '5.1' } });
  });
});

describe('a bad FFMPEG_PATH names the path', () => {
  const check = (ffmpeg: string) => failure(checkMediaTools({ ffmpeg: located('ffmpeg', ffmpeg, ''), ffprobe: located('ffprobe', DEBIAN.ffprobe, '') }));

  it('missing, a folder, not executable, or not an ffmpeg', async () => {
    const missing = path.join(root, 'nope', 'ffmpeg');
    expect(await check(missing)).toBe(`FFMPEG_PATH=${missing} does not exist; point it at an ffmpeg binary or unset it to use the one on PATH (apt-get install ffmpeg)`);
    expect(await check(dirs.debian)).toMatch(new RegExp(`^FFMPEG_PATH=${dirs.debian} is not a file;`));
    expect(await check(path.join(dirs.notExecutable, 'ffmpeg'))).toMatch(/^FFMPEG_PATH=.*notExecutable\/ffmpeg is not executable;/);
    const impostor = await script(path.join(root, 'impostor'), 'echo "hello from a shell script"');
    expect(await check(impostor)).toBe(`FFMPEG_PATH=${impostor} did not answer -version like ffmpeg (it printed "hello from a shell script"); ` +
      'install a maintained one (Debian/Ubuntu: apt-get install ffmpeg) or set FFMPEG_PATH and FFPROBE_PATH');
  });

  it('stops the server start with that message (exit 1), before it listens', async () => {
    const missing = path.join(root, 'nope', 'ffmpeg');
    const start = startChildServer({ FFMPEG_PATH: missing, DATA_DIR: path.join(root, 'data') });
    await expect(start).rejects.toThrow(`server exited with 1: Takeboard failed to start: FFMPEG_PATH=${missing} does not exist`);
  }, 30_000);
});

describe('/api/ready', () => {
  it('reports which ffmpeg and ffprobe run, where they came from, their versions, and the fonts', async () => {
    const srv = await startTestServer({ app: { media: createMedia({ pathEnv: dirs.debian }) } });
    try {
      const body = (await (await fetch(`${srv.url}/api/ready`)).json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        ok: true,
        media: {
          ffmpeg: { path: path.join(dirs.debian, 'ffmpeg'), source: 'path', release: '5.1', version: expect.stringMatching(/^5\.1\./), builtYear: expect.any(Number) },
          ffprobe: { path: path.join(dirs.debian, 'ffprobe'), source: 'path', release: '5.1' },
          fonts: { regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' },
          warnings: [],
        },
      });
    } finally {
      await srv.close();
    }
  });

  it('on the bundled fallback: source "bundled", the old versions, and the warnings', async () => {
    const srv = await startTestServer({ app: { media: createMedia({ pathEnv: '' }) } });
    try {
      const body = (await (await fetch(`${srv.url}/api/ready`)).json()) as { media: { ffmpeg: object; ffprobe: object; warnings: string[] } };
      expect(body.media.ffmpeg).toMatchObject({ source: 'bundled', release: '4.1', builtYear: 2018, version: 'N-47683-g0e8eb07980-static' });
      expect(body.media.ffprobe).toMatchObject({ source: 'bundled', release: '6.0', builtYear: 2023 });
      expect(body.media.warnings).toHaveLength(2);
    } finally {
      await srv.close();
    }
  });

  it('with FFMPEG_PATH set: source "env"', async () => {
    const srv = await startTestServer({ app: { media: createMedia({ ffmpegPath: DEBIAN.ffmpeg, pathEnv: dirs.empty }) } });
    try {
      const body = (await (await fetch(`${srv.url}/api/ready`)).json()) as { media: { ffmpeg: object; ffprobe: object } };
      expect(body.media.ffmpeg).toMatchObject({ path: DEBIAN.ffmpeg, source: 'env', release: '5.1' });
      expect(body.media.ffprobe).toMatchObject({ source: 'bundled' });
    } finally {
      await srv.close();
    }
  });
});
