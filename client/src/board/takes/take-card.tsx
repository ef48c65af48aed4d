import { createSignal, Show } from 'solid-js';
import { selectTake, setShotFields, statusPatch, type CommentView, type ShotView, type TakeView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { createNow } from '../../ui/clock';
import { ago, clockTime, exactTime, usd } from '../../ui/format';
import { useBoard } from '../board-context';
import { SentList } from '../detail/sent-list';
import { TakeCost } from './take-cost';
import { WaitingFor } from '../generation/chain-batch-box';

/**
 * One take, told apart from its siblings: its number in the shot, who queued it, model, seed,
 * length, cost, when, status. "Details" opens the prompt and the inputs it was actually sent.
 */
export function TakeCard(props: { shot: ShotView; take: TakeView; number: number; playing: boolean; onPlay: () => void }) {
  const b = useBoard();
  const api = useApi();
  const now = createNow(30_000);
  const [expanded, setExpanded] = createSignal(false);
  const t = () => props.take;
  const name = () => `Take ${props.number}`;
  const author = () => b.members().find((m) => m.userId === t().createdBy)?.name ?? 'a former member';
  const approver = () => (props.shot.approvedBy ? (b.members().find((m) => m.userId === props.shot.approvedBy)?.name ?? 'a former member') : undefined);
  const approvedHere = () => props.shot.status === 'approved' && t().id === props.shot.selectedTake;
  const modelLabel = () => b.models.find(t().model)?.label ?? t().model;
  const live = () => b.queue.progress()[t().id];
  const job = () => b.queue.jobs().find((j) => j.id === t().jobId || j.takeId === t().id);
  const queuePos = () => live()?.queuePosition ?? job()?.queuePosition;
  const poster = () => (t().poster ? api.assetUrl(t().poster!) : t().clip ? api.posterUrl(t().clip!) : undefined);
  const detailsId = () => `take-details-${t().id}`;
  const source = () => {
    const i = b.state.shots.findIndex((s) => s.id === t().fromShot);
    return i < 0 ? undefined : `shot ${i + 1}`;
  };
  // The review note this take was regenerated from (the server wrote `answers` when it queued it).
  const note = () => (t().answers ? b.state.comments.find((c) => c.id === t().answers) : undefined);
  const noteAuthor = (c: CommentView) => (c.guestName !== undefined ? `guest ${c.guestName}` : (b.members().find((m) => m.userId === c.author)?.name ?? 'a former member'));
  const approve = () =>
    b.edit((doc) => {
      selectTake(doc, props.shot.id, t().id);
      setShotFields(doc, props.shot.id, statusPatch('approved', b.me.id));
    }, 'commenter');

  return (
    <li class={`take take-${t().status}`} classList={{ chosen: t().id === props.shot.selectedTake }} aria-label={`${name()}: ${t().status}`} data-take-number={props.number}>
      <button type="button" class="take-thumb" aria-label={`Open take ${props.number}`} aria-pressed={props.playing} onClick={() => props.onPlay()}>
        <Show when={poster()} fallback={<span class="thumb-status">{t().status}</span>}>
          {(src) => <img src={src()} alt="" loading="lazy" />}
        </Show>
      </button>
      <div class="take-meta">
        <p class="take-line">
          <strong class="take-no">#{props.number}</strong> <span class="take-status">{t().status}</span>
          <Show when={t().status === 'queued' && job()?.waitsFor} fallback={
            <Show when={t().status === 'queued' && queuePos() !== undefined}>
              <span> · #{queuePos()} in queue</span>
            </Show>
          }>
            {(w) => <WaitingFor waitsFor={w()} />}
          </Show>
          <Show when={t().status === 'running'}>
            <Show when={live()?.progress !== undefined} fallback={<progress aria-label={`Progress of ${name()}`} />}>
              <progress max="1" value={live()!.progress!} aria-label={`Progress of ${name()}`} />
            </Show>
          </Show>
          {' · '}
          <time class="take-when" dateTime={t().createdAt} title={exactTime(t().createdAt)}>
            {ago(t().createdAt, now())}
          </time>
        </p>
        <p class="take-facts">
          <span class="take-author">{author()}</span> · <span class="take-model">{modelLabel()}</span> ·{' '}
          <span class="take-seed">{t().seed !== undefined ? `seed ${t().seed}` : 'no seed'}</span> · {t().durationSec} s
          <Show when={!job()}> · {usd(t().costMicroUsd)}</Show>
        </p>
        <Show when={job()}>{(j) => <TakeCost job={j()} />}</Show>
        <Show when={t().answers}>
          <p class="take-answers" data-answers-comment={t().answers}>
            <Show when={note()} fallback="Answers a note since deleted">
              {(n) => (
                <>
                  Answers {n().removedBy === undefined ? `${noteAuthor(n())}'s note` : 'a removed note'}
                  <Show when={n().atSec !== undefined}> at {clockTime(n().atSec!)}</Show>
                  <Show when={n().removedBy === undefined && n().text}>: “{n().text}”</Show>
                </>
              )}
            </Show>
          </p>
        </Show>
        <Show when={approvedHere()}>
          <p class="take-approved">{approver() ? `Approved by ${approver()}` : 'Approved'}</p>
        </Show>
        <Show when={(t().status === 'failed' || t().status === 'canceled') && t().error}>
          <p class="form-error">{t().error}</p>
        </Show>
      </div>
      <div class="take-actions">
        <button type="button" class="link" aria-expanded={expanded()} aria-controls={detailsId()} onClick={() => setExpanded(!expanded())}>
          {expanded() ? 'Hide details' : 'Details'}
        </button>
        <Show when={t().status === 'succeeded'}>
          <Show when={b.canEdit()}>
            <button type="button" disabled={t().id === props.shot.selectedTake} onClick={() => b.edit((doc) => selectTake(doc, props.shot.id, t().id))}>
              {t().id === props.shot.selectedTake ? 'Selected' : 'Select'}
            </button>
          </Show>
          {/* Reviewers (commenters) approve too; approving selects the take. */}
          <Show when={b.canComment()}>
            <button type="button" disabled={approvedHere()} onClick={approve}>
              {approvedHere() ? 'Approved' : 'Approve'}
            </button>
          </Show>
        </Show>
      </div>
      <Show when={expanded()}>
        <div class="take-details" id={detailsId()} aria-label={`What ${name()} was sent`}>
          <p class="field-label">Prompt as sent</p>
          <blockquote class="take-prompt">{t().prompt ?? '(not recorded for this older take)'}</blockquote>
          <Show when={t().sent} fallback={<p class="muted">What this older take was sent was not recorded.</p>}>
            {(sent) => <SentList sent={sent()} verb="sent" {...(source() ? { tailFrom: source()! } : {})} />}
          </Show>
        </div>
      </Show>
    </li>
  );
}
