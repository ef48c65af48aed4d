import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import type { CommentView, TakeView } from '../../../../shared/doc';
import { noteProblem, promptWithNote } from '../../../../shared/generation';
import { useApi } from '../../api/context';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { usd } from '../../ui/format';
import { useToast } from '../../ui/toast';
import { useBoard } from '../board-context';
import { sendPlanFor } from '../detail/request';
import { shotEstimate } from '../generation/estimate';
import { queueRequest } from '../generation/queue-request';
import { jumpHref } from '../jump';
import { takeNumber } from './take-number';

/**
 * Under a comment: the takes made from it ("→ take N", each a link that opens that take; read from
 * the takes' `answers`, which the server writes, so every teammate sees it appear) and, for editors,
 * "Regenerate from note": after a look at what will be sent and what it costs, one new take of the
 * comment's shot with the note added to the prompt (POST …/comments/:id/regenerate).
 */
/** The estimate in words: a figure, or why there is none. */
function costText(e: ReturnType<typeof shotEstimate>): string {
  if (!e) return 'not known until the models load';
  return e.known ? usd(e.totalMicroUsd) : 'no price known (not counted against the budget)';
}

export function NoteTakes(props: { comment: CommentView }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [asking, setAsking] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const shot = () => b.state.shots.find((s) => s.id === props.comment.shotId);
  const takes = () => b.state.takes[props.comment.shotId] ?? [];
  const answers = () => takes().flatMap((t, i): { take: TakeView; number: number }[] => (t.answers === props.comment.id ? [{ take: t, number: takeNumber(takes(), i) }] : []));
  const problem = () => noteProblem(shot()?.prompt ?? '', props.comment.text);
  const estimate = () => {
    const s = shot();
    return s ? shotEstimate(b.state, s, b.models.find(s.model), b.library.list()) : null;
  };
  // Exactly what the model gets: the note after the prompt, then mentions mapped to the model's tags.
  const sentPrompt = () => {
    const s = shot();
    if (!s) return '';
    const prompt = promptWithNote(s.prompt, props.comment.text);
    return sendPlanFor(b.state, { ...s, prompt }, b.models.find(s.model), b.library.list()).prompt ?? prompt;
  };
  // The server reads the note from its copy of the board: a note typed offline is not there yet.
  const online = () => b.conn.status() === 'online';
  // Said in words on tap (a disabled button's tooltip never shows on a phone).
  const ask = () => {
    const why = problem();
    if (why) toast.show(why, 'error');
    else setAsking(true);
  };
  const regenerate = async () => {
    const s = shot();
    setAsking(false);
    if (!s) return;
    await queueRequest({ setBusy, toast, reloadQueue: () => b.queue.reload() }, async () => {
      const unpriced = estimate()?.known === false;
      await api.regenerateFromNote(b.boardId, props.comment.id, { model: s.model, idempotencyKey: crypto.randomUUID(), ...(unpriced ? { confirmUnpriced: true } : {}) });
      return `Queued a take of "${s.title || 'Untitled'}" with this note`;
    });
  };

  return (
    <Show when={props.comment.removedBy === undefined}>
      <span class="note-takes">
        <For each={answers()}>
          {(a) => (
            <A class="note-take-link" href={jumpHref(b.boardId, { shotId: props.comment.shotId, takeId: a.take.id })} data-answer-take={a.take.id}>
              → take {a.number}
              <Show when={a.take.status !== 'succeeded'}> ({a.take.status})</Show>
            </A>
          )}
        </For>
        <Show when={b.canEdit() && shot()}>
          <button
            type="button"
            class="link note-regenerate"
            disabled={busy() || !online()}
            title={online() ? 'Queue a new take of this shot with this note added to its prompt' : 'Reconnect to queue: the server queues from its copy of the board'}
            onClick={ask}
          >
            {busy() ? 'Queuing…' : 'Regenerate from note'}
          </button>
        </Show>
      </span>
      <Show when={asking()}>
        <ConfirmDialog title="Regenerate from note" confirm="Queue the take" tone="primary" onConfirm={() => void regenerate()} onCancel={() => setAsking(false)}>
          <p>
            A new take of “{shot()?.title || 'Untitled'}” is queued with this note added to the shot's prompt, for this take only. Estimate:{' '}
            <strong>{costText(estimate())}</strong>.
          </p>
          <p class="field-label">Prompt to send</p>
          <blockquote class="take-prompt note-prompt">{sentPrompt()}</blockquote>
        </ConfirmDialog>
      </Show>
    </Show>
  );
}
