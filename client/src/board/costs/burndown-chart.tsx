import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { createNow } from '../../ui/clock';
import { useBoard } from '../board-context';
import { burndown, countTicks, timeTicks, type Burndown } from './burndown-model';

const M = { top: 16, right: 20, bottom: 48, left: 56 };

/**
 * Drawing space in CSS pixels: the chart is drawn at its container's width (up to 760), so its
 * text stays 12 px on a phone instead of shrinking with a scaled-down picture.
 */
function frame(width: number) {
  const W = Math.round(Math.min(760, Math.max(280, width)));
  const H = W < 520 ? 240 : 300;
  return { W, H, PW: W - M.left - M.right, PH: H - M.top - M.bottom, xTicks: W < 520 ? 3 : 5 };
}

/**
 * The sprint burndown at a readable size: shots still open over the sprint, the ideal line, the
 * deadline, and the current rate of approvals projected to it, with axes, ticks and a legend.
 */
export function BurndownChart() {
  const b = useBoard();
  const now = createNow(60_000);
  const data = createMemo(() => {
    const approvedAt = b.state.shots
      .filter((s) => s.status === 'approved')
      .map((s) => {
        const take = b.state.takes[s.id]?.find((t) => t.id === s.selectedTake);
        const at = take ? Date.parse(take.createdAt) : NaN;
        return Number.isNaN(at) ? now() : at;
      });
    return burndown({
      start: Date.parse(b.state.meta.sprintStart ?? ''),
      end: Date.parse(b.state.meta.sprintEnd ?? ''),
      now: now(),
      total: b.state.shots.length,
      approvedAt,
    });
  });
  return (
    <section class="burndown-panel" aria-labelledby="burndown-heading">
      <h2 id="burndown-heading">Burndown</h2>
      <Show
        when={data()}
        fallback={<p class="muted">The burndown needs a sprint start and end (Sprint settings) and at least one shot.</p>}
      >
        {(d) => <Chart d={d()} />}
      </Show>
    </section>
  );
}

function Chart(props: { d: Burndown }) {
  const d = () => props.d;
  let box: HTMLDivElement | undefined;
  const [width, setWidth] = createSignal(720);
  onMount(() => {
    const ro = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    ro.observe(box!);
    onCleanup(() => ro.disconnect());
  });
  const f = createMemo(() => frame(width()));
  const PW = () => f().PW;
  const PH = () => f().PH;
  const x = (t: number) => M.left + ((t - d().start) / (d().axisEnd - d().start)) * PW();
  const y = (open: number) => M.top + PH() - (open / d().total) * PH();
  const span = () => d().axisEnd - d().start;
  const dateLabel = (t: number) =>
    new Date(t).toLocaleString(undefined, span() < 2 * 86_400_000 ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' });
  const actual = () => {
    let path = '';
    d().steps.forEach((s, i) => {
      path += i === 0 ? `M${x(s.at).toFixed(1)},${y(s.open).toFixed(1)}` : ` H${x(s.at).toFixed(1)} V${y(s.open).toFixed(1)}`;
    });
    return `${path} H${x(Math.min(d().now, d().axisEnd)).toFixed(1)}`;
  };
  const summary = () => {
    const p = d().projection;
    const rate = d().perDay === null ? 'not started yet' : `${d().perDay!.toFixed(1)} approvals a day`;
    const landing = !p
      ? 'the deadline has passed'
      : p.open === 0
        ? `every shot approved by ${dateLabel(p.allDoneAt!)}, before the deadline`
        : `${p.open} ${p.open === 1 ? 'shot' : 'shots'} still open at the deadline`;
    return `${d().open} of ${d().total} shots open; rate so far ${rate}; at this rate, ${landing}.`;
  };
  return (
    <>
      <div class="burndown-box" ref={box}>
        <svg class="burndown-chart" data-burndown viewBox={`0 0 ${f().W} ${f().H}`} width={f().W} height={f().H} role="img" aria-label={`Burndown: ${summary()}`}>
          <g class="chart-grid" aria-hidden="true">
            <For each={countTicks(d().total)}>
              {(v) => <line x1={M.left} x2={M.left + PW()} y1={y(v)} y2={y(v)} />}
            </For>
          </g>
          <g class="axis axis-y" data-axis="y">
            <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + PH()} />
            <For each={countTicks(d().total)}>
              {(v) => (
                <g class="tick">
                  <line x1={M.left - 5} x2={M.left} y1={y(v)} y2={y(v)} />
                  <text x={M.left - 8} y={y(v)} dy="0.32em" text-anchor="end">
                    {v}
                  </text>
                </g>
              )}
            </For>
            <text class="axis-label" transform={`translate(14 ${M.top + PH() / 2}) rotate(-90)`} text-anchor="middle">
              Shots open
            </text>
          </g>
          <g class="axis axis-x" data-axis="x">
            <line x1={M.left} x2={M.left + PW()} y1={M.top + PH()} y2={M.top + PH()} />
            <For each={timeTicks(d().start, d().axisEnd, f().xTicks)}>
              {(t, i) => (
                <g class="tick">
                  <line x1={x(t)} x2={x(t)} y1={M.top + PH()} y2={M.top + PH() + 5} />
                  <text x={x(t)} y={M.top + PH() + 18} text-anchor={i() === 0 ? 'start' : i() === f().xTicks - 1 ? 'end' : 'middle'}>
                    {dateLabel(t)}
                  </text>
                </g>
              )}
            </For>
            <text class="axis-label" x={M.left + PW() / 2} y={f().H - 6} text-anchor="middle">
              Sprint time
            </text>
          </g>
          <path class="line-ideal" d={`M${x(d().start)},${y(d().total)} L${x(d().end)},${y(0)}`} />
          <line class="line-deadline" data-deadline x1={x(d().end)} x2={x(d().end)} y1={M.top} y2={M.top + PH()} />
          <text class="deadline-label" x={x(d().end) - 4} y={M.top + 10} text-anchor="end">
            Deadline
          </text>
          <path class="line-actual" data-actual d={actual()} />
          <Show when={d().projection}>
            {(p) => <path class="line-projection" data-projection d={`M${x(d().now)},${y(d().open)} L${x(d().end)},${y(p().open)}`} />}
          </Show>
        </svg>
      </div>
      <ul class="chart-legend" aria-label="Legend">
        <li><span class="swatch swatch-actual" /> Shots still open (not approved)</li>
        <li><span class="swatch swatch-ideal" /> Ideal: all approved by the deadline</li>
        <li><span class="swatch swatch-projection" /> Projection at the rate so far</li>
        <li><span class="swatch swatch-deadline" /> Deadline (sprint end)</li>
      </ul>
      <p class="chart-summary" data-burndown-summary>{summary()}</p>
    </>
  );
}
