import { For, Show } from 'solid-js';
import type { CostReport } from '../../../../shared/generation';
import { usd } from '../../ui/format';
import { driftText } from './drift';

/**
 * Per provider, what its charged takes were estimated at beside what they were charged, and the
 * drift between them: how far each provider's own count (Seedance's tokens, the delivered clip's
 * length) moved from the estimate made before queueing. Jobs queued with no price known are
 * counted apart: they are charged nothing here, so they would hide in the sums.
 */
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
            <th scope="col">Provider</th>
            <th scope="col">Charged jobs</th>
            <th scope="col">Estimate</th>
            <th scope="col">Charged</th>
            <th scope="col">Drift</th>
            <th scope="col">No price known</th>
          </tr>
        </thead>
        <tbody>
          <Show when={props.providers.length > 0} fallback={<tr><td colSpan={6} class="muted">Nothing yet.</td></tr>}>
            <For each={props.providers}>
              {(p) => (
                <tr data-row={p.provider}>
                  <th scope="row">{p.provider}</th>
                  <td data-label="Charged jobs" data-cell="jobs">{p.jobs}</td>
                  <td data-label="Estimate" data-cell="estimate">{usd(p.estimateMicroUsd)}</td>
                  <td data-label="Charged" data-cell="spent">{usd(p.spentMicroUsd)}</td>
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
