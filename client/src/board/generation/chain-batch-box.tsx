import { createMemo, createSignal, Show } from 'solid-js';
import type { ShotView } from '../../../../shared/doc';
import { downstreamChain } from '../../../../shared/generation';
import { useApi } from '../../api/context';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { usd } from '../../ui/format';
import { useToast } from '../../ui/toast';
import { queueRequest } from './queue-request';
import { useBoard } from '../board-context';
import { chainTotal, shotEstimate } from './estimate';
import { waitingForText, type WaitsFor } from './waiting-for';

/**
 * "Queue N takes of every shot in the chain, in order": this shot and every shot continuing from
 * it, each with its own model; take k of a shot continues take k of the shot before it (made once
 * that one finishes). The total is shown before queueing and checked against the budget by the
 * server before any take is queued. Shown only where the shot has shots continuing from it.
 */
export function ChainBatchBox(props: { shot: ShotView; count: number; disabled: boolean }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [busy, setBusy] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const members = createMemo(() => {
    const byId = new Map(b.state.shots.map((s) => [s.id, s]));
    return downstreamChain(b.state.shots, props.shot.id).map((c) => byId.get(c.shotId)!);
  });
  const perTake = createMemo(() =>
    chainTotal(members().map((s) => ({ title: s.title || 'Untitled shot', estimate: shotEstimate(b.state, s, b.models.find(s.model), b.library.list()) }))),
  );
  const takes = () => props.count * members().length;

  const queue = async (confirmUnpriced = false) => {
    if (perTake().unpriced.length > 0 && !confirmUnpriced) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    await queueRequest({ setBusy, toast, reloadQueue: () => b.queue.reload() }, async () => {
      const r = await api.generateChainBatch(b.boardId, props.shot.id, { count: props.count, idempotencyKey: crypto.randomUUID(), ...(confirmUnpriced ? { confirmUnpriced } : {}) });
      return `Queued ${r.count * r.shots.length} takes of ${r.shots.length} shots (estimate ${usd(r.totalMicroUsd)} in total)`;
    });
  };

  return (
    <Show when={members().length > 1}>
      <section class="chain-batch" aria-label="Takes of the whole chain" data-chain-batch>
        <p class="chain-batch-total">
          Chain from here: {members().length} shots × {props.count} {props.count === 1 ? 'take' : 'takes'} = {takes()} takes,{' '}
          <strong data-chain-batch-total>{usd(perTake().knownMicroUsd * props.count)}</strong>
          <Show when={perTake().unverified}> <span class="price-flag">estimate</span></Show>
          <Show when={perTake().unpriced.length > 0}>
            <span class="muted"> plus {perTake().unpriced.length} with no price known ({perTake().unpriced.join(', ')})</span>
          </Show>
        </p>
        <p class="muted chain-batch-how">
          Take k of each shot continues take k of the shot before it and starts when that one finishes. The total is checked against the budget
          before any take is queued: all of them, or none.
        </p>
        <button type="button" disabled={busy() || props.disabled} onClick={() => void queue()} data-chain-batch-go>
          {busy() ? 'Queuing…' : `Queue ${takes()} takes of the chain`}
        </button>
        <Show when={confirming()}>
          <ConfirmDialog title="No price known" confirm="Queue without those prices" onConfirm={() => void queue(true)} onCancel={() => setConfirming(false)}>
            <p>
              No price is known for {perTake().unpriced.join(', ')}, so those takes cannot be estimated or counted against the budget. Queue the chain anyway?
            </p>
          </ConfirmDialog>
        </Show>
      </section>
    </Show>
  );
}

/**
 * A chain batch's take that waits for the take it continues, in place of a queue place it does
 * not have: "waits for take #2 of shot 1 to finish" (on the take and in the queue list).
 */
export function WaitingFor(props: { waitsFor: WaitsFor }) {
  const b = useBoard();
  return <span data-waits-for> · waits for {waitingForText(props.waitsFor, b.state.shots, b.state.takes)} to finish</span>;
}
