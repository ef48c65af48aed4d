import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMedia, fileUrl, type Media } from '../server/assets/media.js';
import { renderAnimatic } from '../server/generation/animatic/render.js';
import { compareBuilds } from './media/builds.js';
import { fmt, ratio, summarize, type Summary } from './lib/stats.js';
import { listFlag, numberFlag, type BenchOptions, type BenchSuite, type SuiteResult } from './lib/suite.js';

/**
 * Media work the generation chain waits on, through the app's own toolbox (createMedia: the
 * ffmpeg the server picks, behind its queue): the animatic render per second of clip (2, 4 and 8 s clips,
 * 16:9 at 24 fps with a push-in and a caption, as the worker renders a text-mode shot), and the
 * one-take chain's tail extraction, `media.tailClip` (last 3 s as H.264/AAC) and
 * `media.lastFrame` (PNG), on a 5 s and a 60 s source clip. Tail work must not grow with the
 * clip: the 60 s / 5 s ratio should stay near 1x.
 *
 * Sources are 1280x720 24 fps H.264 (a keyframe every 2 s, as hosted providers deliver) with
 * AAC audio; the 60 s one is the 5 s one looped by stream copy, so both have the same frames.
 *
 * Then the same tail extraction and a sequence export on the maintained ffmpeg (the one the
 * server picks: FFMPEG_PATH or PATH) against the bundled 2018 build, as ratios (`media/builds.ts`).
 *
 * Flags: --durations 2,4,8  --renders <per duration>  --tails <per clip>  --tail-seconds 3  --compare <rounds>
 */
async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function makeSources(media: Media, dir: string): Promise<Record<5 | 60, string>> {
  const five = path.join(dir, 'source-5s.mp4');
  const sixty = path.join(dir, 'source-60s.mp4');
  await media.ffmpeg(['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=24:duration=5', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=5',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '48', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', fileUrl(five)]);
  await media.ffmpeg(['-v', 'error', '-y', '-stream_loop', '11', '-i', fileUrl(five), '-c', 'copy', '-movflags', '+faststart', fileUrl(sixty)]);
  const info = await media.probe(sixty);
  if (!info.durationSec || info.durationSec < 59) throw new Error(`the 60 s source came out ${info.durationSec} s long`);
  return { 5: five, 60: sixty };
}

/** Least-squares line through (x, y) points. */
function fitLine(points: ReadonlyArray<readonly [number, number]>): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? NaN : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}

interface TailResult {
  clipSec: number;
  tailClipMs: Summary;
  lastFrameMs: Summary;
}

export const suite: BenchSuite = {
  name: 'media',
  async run(opts: BenchOptions): Promise<SuiteResult> {
    const durations = listFlag(opts, 'durations', [2, 4, 8]);
    const renders = numberFlag(opts, 'renders', opts.quick ? 1 : 3);
    const tails = numberFlag(opts, 'tails', opts.quick ? 5 : 15);
    const tailSeconds = numberFlag(opts, 'tail-seconds', 3);
    const compareRounds = numberFlag(opts, 'compare', opts.quick ? 3 : 8);
    const media = createMedia();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-bench-media-'));
    try {
      opts.log(`media: animatic renders of ${durations.join(', ')} s (${renders} each)`);
      const render = [];
      // Unmeasured: the first render pays for finding fonts and loading ffmpeg from disk.
      await renderAnimatic(media, { durationSec: 1, aspectRatio: '16:9', fps: 24, seed: 0, title: 'Warm-up', prompt: 'warm-up' }, path.join(dir, 'warm-up.mp4'));
      for (const sec of durations) {
        const ms: number[] = [];
        for (let i = 0; i < renders; i++) {
          const input = { durationSec: sec, aspectRatio: '16:9' as const, fps: 24, seed: opts.seed + i, title: `Shot ${i + 1}`, prompt: 'A slow push-in on the lighthouse at dusk, waves breaking below', camera: 'push-in' };
          ms.push(await timed(() => renderAnimatic(media, input, path.join(dir, `animatic-${sec}-${i}.mp4`))));
        }
        const s = summarize(ms);
        render.push({ clipSec: sec, ms: s, msPerClipSecond: s.p50 / sec });
      }
      const fit = fitLine(render.map((r) => [r.clipSec, r.ms.p50] as const));
      const info = await media.probe(path.join(dir, `animatic-${durations[0]}-0.mp4`));

      opts.log(`media: tail extraction (${tailSeconds} s tail and last frame), ${tails} each on 5 s and 60 s sources`);
      const sources = await makeSources(media, dir);
      const tail: TailResult[] = [];
      for (const clipSec of [5, 60] as const) {
        const a: number[] = [];
        const b: number[] = [];
        // One unmeasured round: the first spawn pays for loading the binaries from disk.
        for (let i = 0; i <= tails; i++) {
          const ta = await timed(() => media.tailClip(sources[clipSec], path.join(dir, `tail-${clipSec}.mp4`), tailSeconds));
          const tb = await timed(() => media.lastFrame(sources[clipSec], path.join(dir, `last-${clipSec}.png`)));
          if (i > 0) a.push(ta), b.push(tb);
        }
        tail.push({ clipSec, tailClipMs: summarize(a), lastFrameMs: summarize(b) });
      }
      const [t5, t60] = tail as [TailResult, TailResult];
      const builds = await compareBuilds(dir, sources, compareRounds, tailSeconds, opts.log);
      const data = {
        renders,
        tails,
        tailSeconds,
        animatic: { width: info.width, height: info.height, fps: info.fps, render, fixedMs: fit.intercept, msPerSecond: fit.slope },
        tail,
        tailClipRatio60to5: t60.tailClipMs.p50 / t5.tailClipMs.p50,
        lastFrameRatio60to5: t60.lastFrameMs.p50 / t5.lastFrameMs.p50,
        builds: builds.data,
      };
      return {
        data,
        tables: [
          {
            title: `media: animatic render (${info.width}x${info.height}, ${info.fps} fps, push-in + caption), ${renders} per length`,
            columns: ['clip', 'render p50 ms', 'max ms', 'ms per clip second', 'x realtime'],
            rows: render.map((r) => [`${r.clipSec} s`, fmt(r.ms.p50), fmt(r.ms.max), fmt(r.msPerClipSecond), `${fmt((r.clipSec * 1000) / r.ms.p50)}x`]),
            notes: [`least-squares fit over the p50s: ${fmt(fit.intercept)} ms per render + ${fmt(fit.slope)} ms per second of clip`],
          },
          {
            title: `media: tail extraction for the one-take chain (1280x720 24 fps sources, keyframe every 2 s), ${tails} runs each`,
            columns: ['operation', '5 s clip p50 ms', '60 s clip p50 ms', '60 s p99 ms', '60 s / 5 s', 'target'],
            rows: [
              [`tailClip (last ${tailSeconds} s)`, fmt(t5.tailClipMs.p50), fmt(t60.tailClipMs.p50), fmt(t60.tailClipMs.p99), ratio(t60.tailClipMs.p50, t5.tailClipMs.p50), 'flat (~1x)'],
              ['lastFrame (PNG)', fmt(t5.lastFrameMs.p50), fmt(t60.lastFrameMs.p50), fmt(t60.lastFrameMs.p99), ratio(t60.lastFrameMs.p50, t5.lastFrameMs.p50), 'flat (~1x)'],
            ],
            notes: ['each includes the ffprobe runs the method makes (lastFrame probes its input and both probe their output)'],
          },
          ...builds.tables,
        ],
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
