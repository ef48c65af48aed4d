/**
 * Queue time estimates from measured render times. The server measures (started → finished of the
 * last finished jobs of one provider and model on this instance); these pure functions turn the
 * measurements into a typical render time, per-job finish estimates, and words.
 */

/** How many of the most recent finished jobs of one model the moving median looks at. */
export const ETA_WINDOW = 9;

/** What a render usually takes before this instance has measured any: seconds, per provider. */
const PRIOR_SEC: Record<string, number> = {
  // The built-in animatic is one ffmpeg run: about a second or two.
  animatic: 2,
  fal: 120,
  replicate: 150,
  ark: 120,
  kling: 240,
  runway: 90,
  veo: 150,
};
/** Hosted models we have no figure for: minutes, not seconds. */
const DEFAULT_PRIOR_SEC = 180;

/** The typical render time of one provider and model, and where the figure comes from. */
export interface RenderTime {
  sec: number;
  basis: 'measured' | 'prior';
  /** How many finished jobs were measured (0 for a prior). */
  samples: number;
}

/** The median of a list of numbers; undefined for none. */
export function median(values: readonly number[]): number | undefined {
  const xs = values.filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

/** The prior for a provider with nothing measured yet. */
export function priorSec(provider: string): number {
  return PRIOR_SEC[provider] ?? DEFAULT_PRIOR_SEC;
}

/**
 * Typical render time: the median of the most recent measured durations (newest first, seconds),
 * or the provider's prior when nothing has finished yet. A median, not a mean, so one stuck
 * job does not make every later estimate pessimistic.
 */
export function renderTime(provider: string, recentSec: readonly number[]): RenderTime {
  const window = recentSec.slice(0, ETA_WINDOW);
  const m = median(window);
  return m === undefined ? { sec: priorSec(provider), basis: 'prior', samples: 0 } : { sec: m, basis: 'measured', samples: window.filter((v) => Number.isFinite(v) && v >= 0).length };
}

/** What a job list entry says about when it will be done. */
export interface JobEta {
  /** Seconds from the time of the answer until this job should be finished. */
  finishInSec: number;
  /** The typical render time used (the moving median, or the prior). */
  typicalSec: number;
  basis: RenderTime['basis'];
  samples: number;
}

/**
 * Finish estimate for one open job. Queued: its place among the queued jobs of its provider
 * (providers render side by side, so other providers' jobs do not hold it up), behind the
 * provider's `running` jobs, in rounds of `slots` jobs at once, each round the typical time;
 * rounding up, because a producer would rather finish early than late. Running: what is left of
 * the typical time since it started (0 when it is already taking longer than usual). Waiting (a
 * chain batch's take that starts only once the take it continues is done): that take's finish,
 * then its own typical time.
 */
export function jobEta(
  job: { status: 'queued' | 'running' | 'waiting'; providerPosition?: number; running?: number; runningForSec?: number; slots?: number; upstreamFinishSec?: number },
  typical: RenderTime,
): JobEta {
  const ahead = Math.max(1, job.providerPosition ?? 1) + Math.max(0, job.running ?? 0);
  const rounds = Math.ceil(ahead / Math.max(1, job.slots ?? 1));
  const finishInSec =
    job.status === 'running' ? Math.max(0, typical.sec - Math.max(0, job.runningForSec ?? 0)) : job.status === 'waiting' ? Math.max(0, job.upstreamFinishSec ?? 0) + typical.sec : rounds * typical.sec;
  return { finishInSec: round1(finishInSec), typicalSec: round1(typical.sec), basis: typical.basis, samples: typical.samples };
}

/** When the whole queue is done: the latest finish among the open jobs, in seconds (0 when idle). */
export function queueFinishSec(etas: readonly (JobEta | undefined)[]): number {
  return etas.reduce<number>((max, e) => Math.max(max, e?.finishInSec ?? 0), 0);
}

/**
 * A duration in words a producer reads at a glance: "1.3 s", "45 s", "2 min 05 s", "1 h 20 min",
 * "2 d 3 h". Seconds keep a decimal below ten, so a 1.3 s render never reads as "1m".
 */
export function formatSeconds(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '–';
  if (sec < 10) return `${Math.round(sec * 10) / 10} s`;
  const s = Math.round(sec);
  if (s < 60) return `${s} s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  const min = Math.round(s / 60);
  if (min < 24 * 60) return `${Math.floor(min / 60)} h ${pad(min % 60)} min`;
  const h = Math.round(s / 3600);
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
