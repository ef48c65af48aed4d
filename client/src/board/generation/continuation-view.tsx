import { For, Show } from 'solid-js';
import type { PriceEstimate } from '../../../../shared/generation';
import { usd } from '../../ui/format';
import type { Continuation } from './continuation';

const cost = (e: PriceEstimate | null) => (e === null ? 'price unknown until the models load' : e.known ? usd(e.totalMicroUsd) : 'no price known');

/**
 * A chained shot's "Continued by": the way Generate continues the upstream clip with this model,
 * with its estimate, and the last-frame way beside it when the model has a native one.
 */
export function ContinuationView(props: { continuation: Continuation; from: string | undefined }) {
  const used = () => props.continuation.paths.find((p) => p.used)!;
  return (
    <section class="continuation" aria-label="How this shot continues" data-continuation={used().as}>
      <p class="continuation-head">
        Continues {props.from ?? 'its upstream shot'} by <strong data-continuation-path>{used().words}</strong>
        <span class="continuation-cost" data-continuation-cost> · {cost(used().estimate)}</span>
      </p>
      <Show when={props.continuation.paths.length > 1}>
        <ul class="continuation-paths" aria-label="What each way of continuing costs">
          <For each={props.continuation.paths}>
            {(p) => (
              <li data-path={p.as} aria-current={p.used ? 'true' : undefined}>
                <span>{p.words}{p.used ? ' (used)' : ''}</span>
                <span class="price-amount">{cost(p.estimate)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.continuation.why}>
        <p class="muted continuation-why" data-continuation-why>Not continued natively: {props.continuation.why}.</p>
      </Show>
    </section>
  );
}
