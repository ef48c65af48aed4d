import type { MicroUsd } from '../../../../shared/money';
import { usd } from '../../ui/format';

/** "+$0.05 (+4.1%)", "-$0.10 (-8.0%)", "none": what was charged against what was estimated. */
export function driftText(estimate: MicroUsd, charged: MicroUsd): string {
  const d = charged - estimate;
  if (d === 0) return 'none';
  const pct = estimate > 0 ? ` (${d > 0 ? '+' : '-'}${((Math.abs(d) / estimate) * 100).toFixed(1)}%)` : '';
  return `${d > 0 ? '+' : '-'}${usd(Math.abs(d))}${pct}`;
}
