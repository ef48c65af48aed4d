import { createMemo, createSignal, For, Show } from 'solid-js';
import type { ShotView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { usd } from '../../ui/format';
import { LoadFailed } from '../../ui/load-failed';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';
import type { ConnectionStatus } from '../connection';
import { draftRequest, estimate, problems, sendPlanFor } from './request';
import { SendSummary } from './send-summary';

/** Validation messages, the cost estimate and the Generate button for one shot. */
export function GenerateBox(props: { shot: ShotView }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [busy, setBusy] = createSignal(false);
  const model = () => b.models.find(props.shot.model);
  // One plan of what is sent: the summary shows it, the request and its checks are built from it.
  const plan = createMemo(() => sendPlanFor(b.state, props.shot, model(), b.library.list()));
  const req = createMemo(() => draftRequest(b.state, props.shot, plan()));
  const issues = createMemo(() => problems(req(), model()));
  const cost = createMemo(() => estimate(req(), model()));
  // Without the model list no price is known yet: say so, rather than that the model has none.
  const costText = () => {
    const c = cost();
    if (c !== null) return usd(c);
    return b.models.list() === null ? 'unknown until the models load' : 'unknown (no price for this model)';
  };
  // The server generates from its copy of the board: while the sync connection is down it would
  // use inputs without this person's latest edits, so nothing is queued until it is back.
  const offline = () => offlineReason(b.conn.status());

  const generate = async () => {
    setBusy(true);
    try {
      const r = await api.generate(b.boardId, props.shot.id, { model: props.shot.model, idempotencyKey: crypto.randomUUID() });
      toast.show(`Queued a take (estimate ${usd(r.estimateMicroUsd)})`);
      void b.queue.reload();
    } catch (err) {
      toast.show(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="generate" aria-label="Generate">
      <SendSummary shot={props.shot} plan={plan()} />
      <Show when={issues().length > 0}>
        <ul class="problems" aria-label="Problems to fix before generating">
          <For each={issues()}>{(p) => <li>{p}</li>}</For>
        </ul>
      </Show>
      <p class="estimate">
        Estimated cost:{' '}
        <strong>{costText()}</strong>
        <span class="muted"> for {props.shot.durationSec} s</span>
      </p>
      <Show when={b.canEdit()}>
        <button
          type="button"
          class="primary"
          disabled={busy() || Boolean(offline()) || issues().length > 0 || b.models.list() === null}
          aria-describedby={offline() ? `offline-${props.shot.id}` : undefined}
          onClick={generate}
          title="Generate (G)"
        >
          {busy() ? 'Queuing…' : 'Generate'}
        </button>
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
