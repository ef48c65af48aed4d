import { For, Show } from 'solid-js';
import type { CostReport } from '../../../../shared/generation';
import { usd } from '../../ui/format';
import { ChargedCells } from './charged-cells';
import { driftText } from './drift';

/**
 * Per provider, what its charged takes were estimated at beside what they were charged, and the
 * drift between them: how far each provider's own count (Seedance's tokens, the delivered clip's
 * length) moved from the estimate made before queueing. Jobs queued with no price known are
 * counted apart: they are charged nothing here, so they would hide in the sums.
 */
const COLUMNS = ['Provider', 'Charged jobs', 'Estimate', 'Charged', 'Drift', 'No price known'] as const;

export function DriftTable(props: { providers: CostReport['providers'] }) {
  return (
    <section class="cost-section">
      <table class="cost-table" data-costs="drift">
        <caption>
          Per provider: estimate against charge
          <span class="cost-note">The drift is what the provider charged beyond (or below) the estimate made before queueing, over its charged takes.</span>
        </caption>
        <thead>
          <tr>
            <For each={COLUMNS}>{(c) => <th scope="col">{c}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <Show when={props.providers.length > 0} fallback={<tr><td colSpan={6} class="muted">Nothing yet.</td></tr>}>
            <For each={props.providers}>
              {(p) => (
                <tr data-row={p.provider}>
                  <th scope="row">{p.provider}</th>
                  <ChargedCells line={p} />
                  <td data-label="Drift" data-cell="drift" classList={{ warn: p.spentMicroUsd > p.estimateMicroUsd }}>
                    {driftText(p.estimateMicroUsd, p.spentMicroUsd)}
                  </td>
                  <td data-label="No price known" data-cell="unpriced">{p.unpricedJobs === 0 ? 'none' : `${p.unpricedJobs} (charged $0 here)`}</td>
                </tr>
              )}
            </For>
          </Show>
        </tbody>
      </table>
    </section>
  );
}
