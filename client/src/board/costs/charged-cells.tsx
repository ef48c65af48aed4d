import type { CostLine } from '../../../../shared/generation';
import { usd } from '../../ui/format';

/** The cells every cost breakdown shares: charged jobs, what they were estimated at, what they were charged. */
export function ChargedCells(props: { line: CostLine }) {
  return (
    <>
      <td data-label="Charged jobs" data-cell="jobs">{props.line.jobs}</td>
      <td data-label="Estimate" data-cell="estimate">{usd(props.line.estimateMicroUsd)}</td>
      <td data-label="Charged" data-cell="spent">{usd(props.line.spentMicroUsd)}</td>
    </>
  );
}
