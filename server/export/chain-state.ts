/**
 * The chain state of each exported shot (shared/doc/chain.ts, the rule the board shows), and how
 * the writers spell it: CSV columns and OTIO clip metadata. Kept apart from the writers so the
 * rule reaches every export the same way.
 */
import { chainOf, type ShotChain } from '../../shared/doc/index.js';
import type { ExportShot } from './board-snapshot.js';

/** Sets `chain` on every shot of a snapshot, judged from the selected takes it holds. */
export function attachChains(shots: ExportShot[]): void {
  const chains = chainOf(shots.map((e) => ({ ...e.shot, takes: e.take ? [e.take] : [] })));
  for (const e of shots) e.chain = chains.get(e.shot.id)!;
}

/** `chain_state` is one of CHAIN_STATES: unchained, no-take, fresh, stale, accepted (kept anyway), upstream-stale. */
export const CHAIN_CSV_COLUMNS = ['chain_state', 'stale_accepted_by', 'stale_accepted_at'] as const;

/** The CHAIN_CSV_COLUMNS of one shot: its state, who kept it anyway (by name) and when. */
export function chainCsvFields(e: ExportShot, memberNames: ReadonlyMap<string, string>): string[] {
  const accepted = e.chain?.accepted;
  return [e.chain?.state ?? 'unchained', accepted ? memberNames.get(accepted.by) ?? accepted.by : '', accepted?.at ?? ''];
}

/** `metadata.takeboard.chain` of an OTIO clip. */
export function chainMetadata(chain: ShotChain | undefined): { [key: string]: string | number | null } {
  return {
    state: chain?.state ?? 'unchained',
    continuesFromOrder: chain?.upstream?.position ?? null,
    staleAtOrder: chain?.staleAt ?? null,
    acceptedBy: chain?.accepted?.by ?? null,
    acceptedAt: chain?.accepted?.at ?? null,
  };
}
