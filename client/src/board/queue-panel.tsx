import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatSeconds } from '../../../shared/generation';
import { createNow } from '../ui/clock';
import { useBoard } from './board-context';
import { beforeDeadline, etaBasis, queueEstimate, secondsLeft } from './queue-estimate';
import { keepOnScreen } from '../ui/keep-on-screen';
import { WaitingFor } from './generation/chain-batch-box';

/**
 * The sprint bar's queue metric: when this board's open jobs should be done (measured render
 * times of each model on this server), whether that is before the sprint ends, and on demand
 * the open jobs one by one.
 */
export function QueueMetric() {
  const b = useBoard();
  const now = createNow(1000);
  const [open, setOpen] = createSignal(false);
  const est = createMemo(() => queueEstimate(b.queue.value() ?? null, b.queue.jobsAt()));
  const left = () => {
    const e = est();
    return e ? secondsLeft(e.finishInSec, e.fetchedAt, now()) : 0;
  };
  const deadline = () => beforeDeadline(est(), b.state.meta.sprintEnd);
  // In the order they will finish: rendering first, then by place in the queue.
  const openJobs = () =>
    b.queue
      .jobs()
      .filter((j) => j.status === 'queued' || j.status === 'running')
      .sort((x, y) => (x.eta?.finishInSec ?? Infinity) - (y.eta?.finishInSec ?? Infinity) || (x.queuePosition ?? 0) - (y.queuePosition ?? 0));
  const shotName = (shotId: string | undefined) => {
    const i = b.state.shots.findIndex((s) => s.id === shotId);
    return i < 0 ? 'A deleted shot' : `Shot ${i + 1}`;
  };
  const modelName = (id: string | undefined) => b.models.find(id)?.label ?? id ?? '';

  return (
    <div class="metric queue-metric" aria-label="Queue estimate">
      <span class="metric-label">Queue</span>
      <span class="metric-value" data-queue-eta={est() ? String(left()) : undefined}>
        <Show when={est()} fallback={<QueueNotLoaded />}>
          {(e) => (
            <>
              <Show when={e().open > 0} fallback="idle">
                <button type="button" class="link" aria-expanded={open()} onClick={() => setOpen(!open())} title={e().guessed ? 'Includes a first guess: no render of that model finished on this server yet' : 'From the typical render time of recent jobs of each model'}>
                  {left() > 0 ? `done in ${e().guessed ? '~' : ''}${formatSeconds(left())}` : 'finishing…'}
                </button>
              </Show>
              <Show when={deadline() === false}>
                <span class="warn"> · after the sprint ends</span>
              </Show>
              <Show when={deadline() === true}>
                <span class="muted queue-in-time"> · before the sprint ends</span>
              </Show>
            </>
          )}
        </Show>
      </span>
      <Show when={open() && openJobs().length > 0}>
        <ol class="popover queue-list" aria-label="Open jobs" ref={keepOnScreen}>
          <For each={openJobs()}>
            {(j) => (
              <li>
                <strong>{shotName(j.shotId)}</strong> · {modelName(j.model)}
                <Show when={j.status === 'queued' && j.waitsFor} fallback={<> · {j.status === 'running' ? 'rendering' : `#${j.queuePosition ?? '?'} in queue`}</>}>
                  {(w) => <WaitingFor waitsFor={w()} />}
                </Show>
                <Show when={j.eta}>
                  {(eta) => (
                    <span class="muted" title={etaBasis(eta())}>
                      {' '}
                      · done in {formatSeconds(secondsLeft(eta().finishInSec, b.queue.jobsAt(), now()))} ({etaBasis(eta())}: {formatSeconds(eta().typicalSec)})
                    </span>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  );
}

/** The queue metric before its jobs list is answered: loading, or why not with a retry. */
function QueueNotLoaded() {
  const b = useBoard();
  return (
    <Show when={b.queue.status() === 'failed'} fallback={<span class="muted">loading…</span>}>
      <span class="load-failed" data-load-failed="the queue" title={b.queue.error() ?? undefined}>
        <span class="warn">could not load</span>{' '}
        <button type="button" class="link" onClick={() => void b.queue.reload()}>
          Retry
        </button>
      </span>
    </Show>
  );
}
