/**
 * The sprint burndown as numbers: shots still open (not approved) over the sprint, the ideal line
 * from all open at the start to none at the deadline, and where the current rate of approvals
 * lands at the deadline. The document keeps no approval history, so an approved shot counts from
 * the time of its selected take (the closest recorded moment), else from now. Pure, for the chart
 * and its tests.
 */

export interface BurndownInput {
  start: number;
  end: number;
  now: number;
  total: number;
  /** When each approved shot was approved (see above), any order. */
  approvedAt: readonly number[];
}

export interface Burndown {
  start: number;
  end: number;
  /** The time axis runs to the deadline, or to now once the deadline has passed. */
  axisEnd: number;
  now: number;
  total: number;
  /** Shots open now. */
  open: number;
  /** The open count as steps: at each time, the count from then on. Starts at the sprint start. */
  steps: { at: number; open: number }[];
  /** Approvals so far per day since the sprint start; null before it started. */
  perDay: number | null;
  /** Where that rate lands at the deadline; null once the deadline has passed or before the start. */
  projection: { open: number; allDoneAt: number | null } | null;
}

const DAY = 86_400_000;

/** Null when the sprint has no valid start and end, or the board no shots. */
export function burndown(input: BurndownInput): Burndown | null {
  const { start, end, now, total } = input;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start || total === 0) return null;
  const done = input.approvedAt.map((t) => Math.min(Math.max(t, start), now)).sort((a, b) => a - b);
  const steps = [{ at: start, open: total }];
  let open = total;
  for (const t of done) steps.push({ at: t, open: --open });
  const elapsed = now - start;
  const perDay = elapsed > 0 ? ((total - open) / elapsed) * DAY : null;
  let projection: Burndown['projection'] = null;
  if (perDay !== null && now < end) {
    const perMs = perDay / DAY;
    const atDeadline = Math.max(0, open - perMs * (end - now));
    projection = { open: Math.round(atDeadline * 10) / 10, allDoneAt: perMs > 0 ? now + open / perMs : null };
  }
  return { start, end, axisEnd: Math.max(end, now), now, total, open, steps, perDay, projection };
}

/** About `count` round values from 0 to `max` for the open-shots axis (whole shots). */
export function countTicks(max: number, count = 5): number[] {
  const step = Math.max(1, Math.ceil(max / count));
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  if (ticks[ticks.length - 1] !== max) ticks.push(max);
  return ticks;
}

/** Evenly spaced times across the axis (both ends included). */
export function timeTicks(from: number, to: number, count = 5): number[] {
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}
