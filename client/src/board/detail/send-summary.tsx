import { Show } from 'solid-js';
import type { ShotView } from '../../../../shared/doc';
import type { SendPlan } from '../../../../shared/generation';
import { useBoard } from '../board-context';
import { SentList } from './sent-list';

/**
 * Before queueing: what Generate will send for this shot with its mode and model, and what it will
 * leave out and why. Recomputed live as the mode, model, frames, references or chain change.
 */
export function SendSummary(props: { shot: ShotView; plan: SendPlan }) {
  const b = useBoard();
  const model = () => b.models.find(props.shot.model);
  const plan = () => props.plan;
  const source = () => {
    const i = b.state.shots.findIndex((s) => s.id === props.shot.continuesFrom);
    return i < 0 ? undefined : `shot ${i + 1}`;
  };
  return (
    <section class="send-summary" aria-label="What Generate will send">
      <p class="send-head">
        Will send{' '}
        <span class="muted">
          ({plan().mode === props.shot.mode ? `${plan().mode} mode` : plan().tail?.as === 'extend' ? 'as extend mode: the model extends the chained tail' : `as ${plan().mode} mode: the chained tail is its start frame`}
          {model() ? `, ${model()!.label}` : ''})
        </span>
      </p>
      <SentList sent={plan()} verb="sends" {...(source() ? { tailFrom: source()! } : {})} />
      {/* The model reads its own tags (or plain names): shown whenever that changes what was typed. */}
      <Show when={plan().prompt !== undefined && plan().prompt !== props.shot.prompt}>
        <p class="sent-prompt-head">Prompt as sent</p>
        <p class="sent-prompt" data-send="prompt">
          {plan().prompt}
        </p>
      </Show>
    </section>
  );
}
