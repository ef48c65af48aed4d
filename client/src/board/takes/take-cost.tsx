import { Show } from 'solid-js';
import type { JobView } from '../../../../shared/generation';
import { usd } from '../../ui/format';
import { driftText } from '../costs/drift';

/**
 * A take's money: the estimate made before queueing beside what was charged once it finished, and
 * the drift between them ("no price known" when it was queued without one; "estimate" when the
 * rate it used is unverified).
 */
export function TakeCost(props: { job: Pick<JobView, 'estimateMicroUsd' | 'costMicroUsd' | 'resolved'> }) {
  const est = () => props.job.resolved.price?.estimate;
  const unverified = () => { const e = est(); return e?.known === true && e.unverified; };
  return (
    <p class="take-cost" data-take-cost>
      <Show when={est()?.known !== false} fallback={<span data-cost-estimate>no price known</span>}>
        <span data-cost-estimate>
          estimate {usd(props.job.estimateMicroUsd)}
          <Show when={unverified()}> (unverified rate)</Show>
        </span>
      </Show>
      <Show when={props.job.costMicroUsd !== null}>
        {' · '}
        <span data-cost-actual>charged {usd(props.job.costMicroUsd!)}</span>
        <Show when={est()?.known !== false}>
          {' · '}
          <span data-cost-drift>drift {driftText(props.job.estimateMicroUsd, props.job.costMicroUsd!)}</span>
        </Show>
      </Show>
    </p>
  );
}
