import { For, Show } from 'solid-js';
import { getNotesText, getPromptText, getShotText, setShotFields, SHOT_MODES, type ShotMode, type ShotView } from '../../../../shared/doc';
import { useBoard } from '../board-context';
import { PeerTags } from '../peer-tags';
import { CollabInput, CollabText } from '../collab-text';
import { MAX_PROMPT_CHARS } from '../../../../shared/generation';
import { DurationField, ModelField } from '../shots/fields';
import { TakesStrip } from '../takes/takes-strip';
import { ContinuesFrom } from './continues-from';
import { FramePicker } from './frame-picker';
import { GenerateBox } from './generate-box';
import { PromptCounter } from './prompt-counter';
import { RefSlots } from './ref-slots';
import { ShotHistory } from './shot-history';

const MODE_HELP: Record<ShotMode, string> = {
  text: 'Prompt only.',
  image: 'A still is the literal first frame (and optionally the last).',
  reference: 'Character sheets, locations and styles anchor a new shot.',
  extend: 'Continue a clip: pick the shot this one continues from.',
};

/** Everything about the selected shot: mode and its inputs, prompt, notes, takes, Generate. */
export function ShotDetail() {
  const b = useBoard();
  const shot = () => b.state.shots.find((s) => s.id === b.selected());
  const index = () => b.state.shots.findIndex((s) => s.id === b.selected());
  return (
    <Show when={shot()} keyed fallback={<aside class="detail detail-empty" aria-label="Shot detail"><p class="muted">Select a shot to see its details, takes and Generate.</p></aside>}>
      {(s) => <DetailBody shot={s} index={index()} />}
    </Show>
  );
}

function DetailBody(props: { shot: ShotView; index: number }) {
  const b = useBoard();
  const id = props.shot.id;
  const ro = () => !b.canEdit();
  const model = () => b.models.find(props.shot.model);
  return (
    <aside class="detail" aria-label={`Shot ${props.index + 1} detail`}>
      <header class="detail-head">
        <h2>
          Shot {props.index + 1}
          <span class="muted">{props.shot.title ? ` · ${props.shot.title}` : ''}</span>
        </h2>
        <button type="button" class="icon detail-close" aria-label="Close shot detail" onClick={() => b.select(null)}>
          ✕
        </button>
        <PeerTags shotId={id} class="detail-peers" />
      </header>
      <label class="field">
        <span class="field-label">Title</span>
        <CollabInput
          text={getShotText(b.doc, id, 'title')}
          value={props.shot.title}
          onCommit={(v) => b.edit((doc) => setShotFields(doc, id, { title: v }))}
          label="Shot title"
          placeholder="Untitled shot"
          disabled={ro()}
          data-field="title"
          onFocus={() => b.presence.setFocus({ shotId: id, field: 'title' })}
          onBlur={() => b.presence.setFocus(null)}
        />
      </label>
      <fieldset class="mode-switch" disabled={ro()}>
        <legend>Mode</legend>
        <For each={SHOT_MODES}>
          {(m) => (
            <label class="mode-option" classList={{ on: props.shot.mode === m }}>
              <input type="radio" name={`mode-${id}`} value={m} checked={props.shot.mode === m} onChange={() => b.edit((doc) => setShotFields(doc, id, { mode: m }))} />
              {m}
            </label>
          )}
        </For>
        <p class="muted mode-help">{MODE_HELP[props.shot.mode]}</p>
      </fieldset>
      <label class="field">
        <span class="field-label">Prompt</span>
        <CollabText
          text={getPromptText(b.doc, id)}
          label="Shot prompt"
          rows={4}
          disabled={ro()}
          maxLength={MAX_PROMPT_CHARS}
          aria-describedby={ro() ? undefined : `prompt-count-${id}`}
          data-field="prompt"
          onFocus={() => b.presence.setFocus({ shotId: id, field: 'prompt' })}
          onBlur={() => b.presence.setFocus(null)}
        />
        {/* A limit only matters to someone who can type. */}
        <Show when={!ro()}>
          <PromptCounter id={`prompt-count-${id}`} length={props.shot.prompt.length} />
        </Show>
      </label>
      <label class="field">
        <span class="field-label">Model</span>
        <ModelField label="Shot model" value={props.shot.model} models={b.models.list()} disabled={ro()} onChange={(m) => m && b.edit((doc) => setShotFields(doc, id, { model: m }))} />
      </label>
      <label class="field">
        <span class="field-label">Duration (seconds)</span>
        <DurationField label="Shot duration in seconds" value={props.shot.durationSec} model={model()} chained={Boolean(props.shot.continuesFrom)} disabled={ro()} onCommit={(v) => b.edit((doc) => setShotFields(doc, id, { durationSec: v }))} />
      </label>
      <Show when={props.shot.mode === 'image'}>
        <FramePicker label="Start frame" value={props.shot.startFrame} onChange={(a) => b.edit((doc) => setShotFields(doc, id, { startFrame: a }))} />
        <FramePicker label="End frame" value={props.shot.endFrame} onChange={(a) => b.edit((doc) => setShotFields(doc, id, { endFrame: a }))} />
      </Show>
      <Show when={props.shot.mode === 'reference' || props.shot.mode === 'extend'}>
        <RefSlots shot={props.shot} model={model()} />
      </Show>
      <ContinuesFrom shot={props.shot} />
      <GenerateBox shot={props.shot} />
      <TakesStrip shot={props.shot} />
      <label class="field">
        <span class="field-label">Notes</span>
        <CollabText text={getNotesText(b.doc, id)} label="Shot notes" rows={3} disabled={ro()} />
      </label>
      <ShotHistory shot={props.shot} />
    </aside>
  );
}
