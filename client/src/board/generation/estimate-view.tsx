import { For, Show } from 'solid-js';
import type { PriceEstimate } from '../../../../shared/generation';
import { usd } from '../../ui/format';
import type { ChainTotal } from './estimate';

/**
 * A shot's estimate before queueing: the total, then its parts (output, the chained tail and other
 * input video, references, a minimum), the rate it is made from with its date, and "estimate" where
 * the rate is unverified. Without a rate it says "no price known", never a guessed figure.
 */
export function EstimateBreakdown(props: { estimate: PriceEstimate | null; loading: boolean; chain?: ChainTotal | undefined }) {
  return (
    <section class="price-estimate" aria-label="Estimated cost" data-estimate>
      <Show
        when={props.estimate}
        fallback={<p class="estimate">Estimated cost: <strong>{props.loading ? 'unknown until the models load' : 'choose a model'}</strong></p>}
      >
        {(e) => (
          <Show
            when={e().known ? (e() as Extract<PriceEstimate, { known: true }>) : undefined}
            fallback={
              <p class="estimate price-unknown" data-price-unknown>
                Estimated cost: <strong>no price known</strong>
                <span class="muted"> ({(e() as Extract<PriceEstimate, { known: false }>).reason}); you will be asked to confirm before queueing.</span>
              </p>
            }
          >
            {(k) => (
              <>
                <p class="estimate">
                  Estimated cost: <strong data-estimate-total>{usd(k().totalMicroUsd)}</strong>
                  <Show when={k().unverified}>
                    <span class="price-flag" title="This rate was not confirmed by an official source" data-unverified>
                      estimate, unverified rate
                    </span>
                  </Show>
                </p>
                <ul class="price-parts" aria-label="What the estimate is made of">
                  <For each={k().parts}>
                    {(p) => (
                      <li data-part={p.kind}>
                        <span>{p.label}{p.tokens !== undefined ? ` · ${p.tokens.toLocaleString('en-US')} tokens` : ''}</span>
                        <span class="price-amount">{usd(p.microUsd)}</span>
                      </li>
                    )}
                  </For>
                </ul>
                <p class="muted price-rate">
                  {k().rate}, as of {k().asOf}{k().source ? ` (${k().source})` : ''}
                </p>
              </>
            )}
          </Show>
        )}
      </Show>
      <Show when={props.chain && props.chain.shots > 1 ? props.chain : undefined}>
        {(c) => (
          <p class="estimate chain-total" data-chain-total>
            Whole chain, a take of each of its {c().shots} shots: <strong>{usd(c().knownMicroUsd)}</strong>
            <Show when={c().unverified}> <span class="price-flag">estimate</span></Show>
            <Show when={c().unpriced.length > 0}>
              <span class="muted"> plus {c().unpriced.length} with no price known ({c().unpriced.join(', ')})</span>
            </Show>
          </p>
        )}
      </Show>
    </section>
  );
}
