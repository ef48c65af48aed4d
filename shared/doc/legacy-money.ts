/**
 * Boards stored before money was exact hold the budget (`meta.budgetUsd`) and each take's cost
 * (`costUsd`) as float dollars. This rewrites them as integer micro-dollars under the new keys
 * (`budgetMicroUsd`, `costMicroUsd`), rounded once, and removes the old keys. The database
 * migration 2026_12_07_050000_money_micro_usd runs it on every stored board, so the server and
 * clients only ever see the new keys.
 */
import * as Y from 'yjs';
import { microUsdFromLegacyUsd } from '../money.js';
import { childMap, roots, type DocMap } from './maps.js';
import { META, TAKE } from './schema.js';
import { LEGACY_TAKES } from './legacy-layout.js';

/** The retired float-dollar keys (the schema refuses new writes to them: specs.ts). */
export const LEGACY_BUDGET = 'budgetUsd';
export const LEGACY_COST = 'costUsd';

/**
 * Converts every float money field in one transaction. Returns false (writing nothing) when the
 * board has none, so running it twice is harmless. A value already under the new key wins.
 */
export function convertLegacyMoney(doc: Y.Doc): boolean {
  const { meta, shots } = roots(doc);
  const todo: { map: DocMap; from: string; to: string }[] = [];
  if (meta.has(LEGACY_BUDGET)) todo.push({ map: meta, from: LEGACY_BUDGET, to: META.budgetMicroUsd });
  for (const shotId of [...shots.keys()].sort()) {
    // Boards this runs on (migration 2026_12_07_050000) still hold takes as nested maps.
    const takes = childMap(shots, shotId)?.get(LEGACY_TAKES);
    if (!(takes instanceof Y.Map)) continue;
    for (const takeId of [...(takes as DocMap).keys()].sort()) {
      const take = childMap(takes as DocMap, takeId);
      if (take?.has(LEGACY_COST)) todo.push({ map: take, from: LEGACY_COST, to: TAKE.costMicroUsd });
    }
  }
  if (todo.length === 0) return false;
  doc.transact(() => {
    for (const { map, from, to } of todo) {
      const usd = map.get(from);
      // The old schema allowed only finite numbers >= 0 here; anything else never held money.
      if (!map.has(to) && typeof usd === 'number' && Number.isFinite(usd) && usd >= 0) map.set(to, microUsdFromLegacyUsd(usd));
      map.delete(from);
    }
  });
  return true;
}
