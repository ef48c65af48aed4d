import { createMemo, Show } from 'solid-js';
import { useBoard } from './board-context';

const W = 120;
const H = 32;

/**
 * A small burndown: the ideal line from all shots open at sprint start to none at sprint end, and
 * the shots still open over time. The document keeps no approval history, so an approved shot
 * counts from the time of its selected take (the closest recorded moment), else from now.
 */
export function Burndown() {
  const b = useBoard();
  const data = createMemo(() => {
    const start = Date.parse(b.state.meta.sprintStart ?? '');
    const end = Date.parse(b.state.meta.sprintEnd ?? '');
    const total = b.state.shots.length;
    if (Number.isNaN(start) || Number.isNaN(end) || end <= start || total === 0) return null;
    const now = Date.now();
    const done = b.state.shots
      .filter((s) => s.status === 'approved')
      .map((s) => {
        const take = b.state.takes[s.id]?.find((t) => t.id === s.selectedTake);
        const at = take ? Date.parse(take.createdAt) : NaN;
        return Number.isNaN(at) ? now : at;
      })
      .sort((a, c) => a - c);
    const x = (t: number) => ((Math.min(Math.max(t, start), end) - start) / (end - start)) * W;
    const y = (open: number) => H - (open / total) * H;
    let open = total;
    let path = `M0,${y(total)}`;
    for (const t of done) {
      path += ` H${x(t).toFixed(1)}`;
      open -= 1;
      path += ` V${y(open).toFixed(1)}`;
    }
    path += ` H${x(now).toFixed(1)}`;
    return { path, ideal: `M0,0 L${W},${H}`, open };
  });
  return (
    <Show when={data()}>
      {(d) => (
        <svg class="burndown" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Burndown: ${d().open} shots still open`}>
          <path d={d().ideal} class="burndown-ideal" />
          <path d={d().path} class="burndown-actual" />
        </svg>
      )}
    </Show>
  );
}
