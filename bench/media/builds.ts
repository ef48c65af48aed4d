import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMedia, fileUrl, type Media } from '../../server/assets/media.js';
import { describe as describeTool } from '../../server/assets/media-tools.js';
import { encodeArgs } from '../../server/export/sequence-render.js';
import { readClipStream } from '../../server/export/stream-info.js';
import { planTimeline } from '../../server/export/timeline.js';
import { snapshot } from '../../test/export/snapshot-fixture.js';
import { fmt, ratio, summarize, type Summary } from '../lib/stats.js';
import type { Table } from '../lib/suite.js';

/**
 * The same media work on the two ffmpeg builds the server may run, in one run: the one it picks
 * (FFMPEG_PATH, else PATH: Debian's maintained 5.1) and the bundled 2018 build (the last resort).
 * Each round runs both, in alternating order, so noise from other processes lands on both; the
 * table reports each build's p50 and maintained / bundled as a ratio (below 1x: the maintained
 * build is faster).
 *
 * - tail extraction: `tailClip` (last 3 s as H.264/AAC) and `lastFrame` (PNG) of the 60 s source;
 * - sequence export: the encode recipe (`encodeArgs`, one pass) over six clips: 1280x720 24 fps
 *   with AAC, every other one a reference-video chain (1 s repeated tail trimmed, 0.5 s crossfade
 *   by `blend` + `acrossfade`), one 640x360 30 fps clip scaled and resampled.
 */
export async function compareBuilds(dir: string, sources: Record<5 | 60, string>, rounds: number, tailSeconds: number, log: (l: string) => void): Promise<{ tables: Table[]; data: unknown }> {
  const builds = [
    { label: 'maintained', media: createMedia() },
    { label: 'bundled', media: createMedia({ pathEnv: '' }) },
  ];
  const reports = await Promise.all(builds.map((b) => b.media.check()));
  const small = path.join(dir, 'source-small.mp4');
  await builds[0]!.media.ffmpeg(['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=5', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000:duration=5',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', fileUrl(small)]);
  const files = [sources[5], sources[5], sources[5], small, sources[5], sources[5]];
  const hd = { width: 1280, height: 720, durationSec: 5 };
  const snap = snapshot([hd, { ...hd, chained: 'reference_video' }, hd, { width: 640, height: 360, durationSec: 5 }, hd, { ...hd, chained: 'reference_video' }]);
  const timeline = planTimeline(snap, { trimOverlap: true, crossfadeSec: 0.5 });

  const work = {
    tailClip: (m: Media, tag: string) => m.tailClip(sources[60], path.join(dir, `cmp-tail-${tag}.mp4`), tailSeconds),
    lastFrame: (m: Media, tag: string) => m.lastFrame(sources[60], path.join(dir, `cmp-last-${tag}.png`)),
    sequence: async (m: Media, tag: string) => {
      const streams = await Promise.all(files.map((f) => readClipStream(m, f)));
      await m.ffmpeg(encodeArgs(timeline, streams, files, path.join(dir, `cmp-seq-${tag}.mp4`), path.join(dir, `cmp-progress-${tag}.txt`)), { timeoutMs: 600_000 });
    },
  };
  type Op = keyof typeof work;
  const samples = new Map<string, number[]>();
  log(`media: maintained vs bundled ffmpeg, ${rounds} rounds of tail extraction and a ${timeline.frames}-frame sequence export`);
  // Round 0 is unmeasured: the first spawn of each binary pays for loading it from disk.
  for (let round = 0; round <= rounds; round++) {
    const order = round % 2 === 0 ? builds : [...builds].reverse();
    for (const op of Object.keys(work) as Op[]) {
      for (const b of order) {
        const t = performance.now();
        await work[op](b.media, b.label);
        if (round > 0) samples.set(`${op}:${b.label}`, [...(samples.get(`${op}:${b.label}`) ?? []), performance.now() - t]);
      }
    }
  }
  const stat = (op: Op, label: string): Summary => summarize(samples.get(`${op}:${label}`) ?? []);
  const rows = (Object.keys(work) as Op[]).map((op) => {
    const [a, b] = [stat(op, 'maintained'), stat(op, 'bundled')];
    const what = op === 'tailClip' ? `tailClip (last ${tailSeconds} s of 60 s)` : op === 'lastFrame' ? 'lastFrame (PNG, 60 s clip)' : `sequence export (6 clips, ${timeline.frames} frames, 2 crossfades)`;
    return { op, what, maintained: a, bundled: b };
  });
  return {
    data: {
      builds: Object.fromEntries(builds.map((b, i) => [b.label, { ffmpeg: reports[i]!.ffmpeg, ffprobe: reports[i]!.ffprobe }])),
      rounds,
      ops: Object.fromEntries(rows.map((r) => [r.op, { maintainedMs: r.maintained, bundledMs: r.bundled, ratio: r.maintained.p50 / r.bundled.p50 }])),
    },
    tables: [{
      title: `media: maintained ffmpeg against the bundled 2018 build, same work, ${rounds} alternating rounds`,
      columns: ['operation', 'maintained p50 ms', 'bundled p50 ms', 'maintained p99 ms', 'bundled p99 ms', 'maintained / bundled'],
      rows: rows.map((r) => [r.what, fmt(r.maintained.p50), fmt(r.bundled.p50), fmt(r.maintained.p99), fmt(r.bundled.p99), ratio(r.maintained.p50, r.bundled.p50)]),
      notes: [
        ...builds.map((b, i) => `${b.label}: ${describeTool(reports[i]!.ffmpeg)}; ${describeTool(reports[i]!.ffprobe)}`),
        'each operation includes the ffprobe runs it makes (on the same build)',
      ],
    }],
  };
}
