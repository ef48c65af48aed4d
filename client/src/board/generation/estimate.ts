/**
 * A shot's price before it is queued, by its provider's own formula (shared/generation/prices.ts,
 * the same function the server prices and checks the budget with), and a chain's total. The
 * chained tail is priced even before the upstream take exists, since it will be sent then.
 */
import type { Asset } from '../../../../shared/api';
import type { ShotView } from '../../../../shared/doc';
import { estimatePrice, priceInputFor, type ModelInfo, type PriceEstimate } from '../../../../shared/generation';
import type { MicroUsd } from '../../../../shared/money';
import type { BoardState } from '../doc-bridge';
import { draftRequest, sendPlanFor, sourceTake } from '../detail/request';

/** The estimate of one shot with `model`; null while the model is unknown (the list is loading). */
export function shotEstimate(state: BoardState, shot: ShotView, model: ModelInfo | undefined, assets: readonly Asset[], continueBy?: 'last_frame'): PriceEstimate | null {
  if (!model) return null;
  const plan = sendPlanFor(state, shot, model, assets, { anticipateTail: true, ...(continueBy ? { continueBy } : {}) });
  const req = draftRequest(state, shot, plan);
  const seconds = new Map(assets.map((a) => [a.id, a.durationSec]));
  // The tail as the server prices it: its planned seconds, or the whole source take when shorter.
  const take = sourceTake(state, shot);
  const tail = plan.tail && take?.durationSec !== undefined ? { id: plan.tail.assetId, seconds: Math.min(plan.tail.seconds, take.durationSec) } : undefined;
  const input = priceInputFor(req, plan, (id) => (id === tail?.id ? tail.seconds : seconds.get(id)));
  return estimatePrice(model.price ? { [model.id]: model.price } : {}, input);
}

/** Every shot of the chain `shot` belongs to (the shots linked by "continues from"), in board order; just it when unchained. */
export function chainOfShot(shots: readonly ShotView[], shot: ShotView): ShotView[] {
  const byId = new Map(shots.map((s) => [s.id, s]));
  const rootOf = (s: ShotView): string => {
    const seen = new Set<string>();
    let cur = s;
    while (cur.continuesFrom && byId.has(cur.continuesFrom) && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = byId.get(cur.continuesFrom)!;
    }
    return cur.id;
  };
  const root = rootOf(shot);
  return shots.filter((s) => rootOf(s) === root);
}

export interface ChainTotal {
  shots: number;
  /** Sum of the shots whose price is known, integer micro-dollars. */
  knownMicroUsd: MicroUsd;
  /** Titles of shots with no price known (not in the sum). */
  unpriced: string[];
  unverified: boolean;
}

/** The chain's total from each shot's own estimate. */
export function chainTotal(estimates: readonly { title: string; estimate: PriceEstimate | null }[]): ChainTotal {
  let knownMicroUsd = 0;
  let unverified = false;
  const unpriced: string[] = [];
  for (const e of estimates) {
    if (e.estimate?.known) {
      knownMicroUsd += e.estimate.totalMicroUsd;
      unverified ||= e.estimate.unverified;
    } else unpriced.push(e.title);
  }
  return { shots: estimates.length, knownMicroUsd, unpriced, unverified };
}
