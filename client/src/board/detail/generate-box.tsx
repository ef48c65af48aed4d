import { createMemo, createSignal, For, Show } from 'solid-js';
import type { ShotView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { usd } from '../../ui/format';
import { LoadFailed } from '../../ui/load-failed';
import { useToast } from '../../ui/toast';
import { queueRequest } from '../generation/queue-request';
import { useBoard } from '../board-context';
import type { ConnectionStatus } from '../connection';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { chainOfShot, chainTotal, shotEstimate } from '../generation/estimate';
import { EstimateBreakdown } from '../generation/estimate-view';
import { continuationOf } from '../generation/continuation';
import { ContinuationView } from '../generation/continuation-view';
import { ChainBatchBox } from '../generation/chain-batch-box';
import { MAX_BATCH_TAKES } from '../../../../shared/generation';
import { draftRequest, problems, sendPlanFor } from './request';
import { SendSummary } from './send-summary';

/** Validation messages, the cost estimate in parts (and the chain's total) and the Generate button for one shot. */
export function GenerateBox(props: { shot: ShotView }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [busy, setBusy] = createSignal(false);
  /** How many takes one Generate queues, each with its own seed. */
  const [count, setCount] = createSignal(1);
  const model = () => b.models.find(props.shot.model);
  // One plan of what is sent: the summary shows it, the request and its checks are built from it.
  // A chained shot is planned with its tail even before the upstream take exists (how it continues
  // decides what goes with it and, for an extension, the lengths allowed).
  const plan = createMemo(() => sendPlanFor(b.state, props.shot, model(), b.library.list(), { anticipateTail: true }));
  const req = createMemo(() => draftRequest(b.state, props.shot, plan()));
  const issues = createMemo(() => problems(req(), model()));
  const cost = createMemo(() => shotEstimate(b.state, props.shot, model(), b.library.list()));
  const perTake = () => {
    const c = cost();
    return c?.known ? c.totalMicroUsd : null;
  };
  // The chain this shot belongs to, each shot priced with its own model.
  const chain = createMemo(() => {
    const members = chainOfShot(b.state.shots, props.shot);
    if (members.length < 2) return undefined;
    return chainTotal(members.map((s) => ({ title: s.title || 'Untitled shot', estimate: shotEstimate(b.state, s, b.models.find(s.model), b.library.list()) })));
  });
  // A chained shot: how it continues its upstream clip with this model, and what each way costs.
  const continuation = createMemo(() => continuationOf(b.state, props.shot, model(), b.library.list()));
  const upstream = () => {
    const i = b.state.shots.findIndex((s) => s.id === props.shot.continuesFrom);
    return i < 0 ? undefined : `shot ${i + 1}`;
  };
  // No price known: the person confirms before anything is queued (never a guessed figure).
  const [confirming, setConfirming] = createSignal(false);
  // The server generates from its copy of the board: while the sync connection is down it would
  // use inputs without this person's latest edits, so nothing is queued until it is back.
  const offline = () => offlineReason(b.conn.status());

  const generate = async (confirmUnpriced = false) => {
    if (cost()?.known === false && !confirmUnpriced) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    await queueRequest({ setBusy, toast, reloadQueue: () => b.queue.reload() }, async () => {
      const body = { model: props.shot.model, idempotencyKey: crypto.randomUUID(), ...(confirmUnpriced ? { confirmUnpriced } : {}) };
      const n = count();
      if (n === 1) {
        const r = await api.generate(b.boardId, props.shot.id, body);
        return r.estimate?.known === false ? 'Queued a take (no price known)' : `Queued a take (estimate ${usd(r.estimateMicroUsd)})`;
      }
      const r = await api.generateBatch(b.boardId, props.shot.id, { ...body, count: n });
      const known = r.takes[0]?.estimate?.known !== false;
      return known ? `Queued ${r.takes.length} takes (estimate ${usd(r.totalMicroUsd)} in total)` : `Queued ${r.takes.length} takes (no price known)`;
    });
  };

  return (
    <section class="generate" aria-label="Generate">
      <SendSummary shot={props.shot} plan={plan()} />
      <Show when={issues().length > 0}>
        <ul class="problems" aria-label="Problems to fix before generating">
          <For each={issues()}>{(p) => <li>{p}</li>}</For>
        </ul>
      </Show>
      <Show when={continuation()}>{(c) => <ContinuationView continuation={c()} from={upstream()} />}</Show>
      <EstimateBreakdown estimate={cost()} loading={b.models.list() === null} chain={chain()} />
      {/* A take priced at $0 (the animatic) is a known price too: compared with null, not truthiness. */}
      <Show when={count() > 1 && perTake() !== null}>
        <p class="batch-total" data-batch-total>
          {count()} takes × {usd(perTake()!)} = <strong>{usd(count() * perTake()!)}</strong>, checked against the budget before any is queued
        </p>
      </Show>
      <Show when={confirming() && cost()?.known === false}>
        <ConfirmDialog title="No price known" confirm="Queue without a price" onConfirm={() => void generate(true)} onCancel={() => setConfirming(false)}>
          <p>
            No price is known for {model()?.label ?? props.shot.model}, so {count() > 1 ? `these ${count()} takes' cost` : "this take's cost"} cannot be
            estimated or counted against the budget. Queue {count() > 1 ? 'them' : 'it'} anyway?
          </p>
        </ConfirmDialog>
      </Show>
      <Show when={b.canEdit()}>
        <div class="generate-row">
        <label class="batch-count">
          Takes
          <select value={count()} onChange={(e) => setCount(Number(e.currentTarget.value))} aria-label="Takes to queue, each with its own seed">
            <For each={Array.from({ length: MAX_BATCH_TAKES }, (_, i) => i + 1)}>{(n) => <option value={n}>{n}</option>}</For>
          </select>
        </label>
        <button
          type="button"
          class="primary"
          disabled={busy() || Boolean(offline()) || issues().length > 0 || b.models.list() === null}
          aria-describedby={offline() ? `offline-${props.shot.id}` : undefined}
          onClick={() => void generate()}
          title="Generate (G)"
        >
          {busy() ? 'Queuing…' : count() > 1 ? `Generate ${count()} takes` : 'Generate'}
        </button>
        </div>
        <ChainBatchBox shot={props.shot} count={count()} disabled={Boolean(offline()) || issues().length > 0 || b.models.list() === null} />
        {/* Checks and estimates need the model's limits and price: no Generate until they are known. */}
        <LoadFailed load={b.models} what="the models" />
        <Show when={offline()}>
          <p class="offline-note" id={`offline-${props.shot.id}`} role="status" data-offline-note>
            {offline()}
          </p>
        </Show>
      </Show>
    </section>
  );
}

/** Why Generate waits, in words, for a sync status; undefined when connected. */
function offlineReason(status: ConnectionStatus): string | undefined {
  if (status === 'online') return undefined;
  if (status === 'closed') return 'disconnected: reload the page to queue';
  if (status === 'offline') return 'offline: reconnect to queue';
  if (status === 'connecting') return 'connecting: Generate is ready once the board is live';
  return 'reconnecting: your edits must reach the server before queuing';
}
