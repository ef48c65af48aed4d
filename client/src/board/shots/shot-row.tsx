import { createSignal, Show } from 'solid-js';
import {
  deleteShot,
  duplicateShot,
  getPromptText,
  getShotText,
  setShotFields,
  SHOT_MODES,
  SHOT_SIZES,
  SHOT_STATUSES,
  statusPatch,
  type ShotPatch,
  type ShotView,
} from '../../../../shared/doc';
import { MAX_PROMPT_CHARS } from '../../../../shared/generation';
import { useBoard } from '../board-context';
import { PeerTags, peersOnShot } from '../peer-tags';
import { CollabInput, CollabText } from '../collab-text';
import { AssigneeSelect, DurationField, EnumSelect, ModelField } from './fields';
import { ChainBadge, useChainState } from './chain-badge';
import { Thumbnail } from './thumbnail';
import { CopyIcon } from '../../ui/icons';
import { isNarrowScreen } from '../../ui/media';

export interface RowProps {
  shot: ShotView;
  index: number;
  top: number;
  selected: boolean;
  dragging: boolean;
  onHandlePointerDown: (e: PointerEvent, shotId: string) => void;
  onMoveKey: (shotId: string, dir: -1 | 1, field: string | null) => void;
}

/** One shot of the list, edited in place. Writes go through shared/doc accessors. */
export function ShotRow(props: RowProps) {
  const b = useBoard();
  const n = () => props.index + 1;
  const id = () => props.shot.id;
  const ro = () => !b.canEdit();
  const [confirming, setConfirming] = createSignal(false);
  const chainState = useChainState(id);
  const set = (patch: ShotPatch) => b.edit((doc) => setShotFields(doc, id(), patch));
  const peersHere = () => b.presence.peers().filter((p) => p.focus?.shotId === id());
  const firstPeer = () => peersOnShot(b.presence.peers(), id(), b.me.id)[0]?.color;
  const peerOn = (field: string) => peersHere().find((p) => p.focus?.field === field)?.color;

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      const field = (e.target as HTMLElement).dataset.field ?? null;
      props.onMoveKey(id(), e.key === 'ArrowUp' ? -1 : 1, field);
    }
  };
  const onFocusIn = (e: FocusEvent) => {
    b.select(id());
    const field = (e.target as HTMLElement).dataset.field;
    b.presence.setFocus({ shotId: id(), field: field ?? '' });
  };
  const onFocusOut = (e: FocusEvent) => {
    const next = e.relatedTarget as Node | null;
    if (!next || !(e.currentTarget as HTMLElement).contains(next)) b.presence.setFocus(null);
  };
  const remove = () => {
    if (!confirming()) {
      setConfirming(true);
      setTimeout(() => setConfirming(false), 4000);
      return;
    }
    b.edit((doc) => deleteShot(doc, id()));
    if (b.selected() === id()) b.select(null);
  };
  const ring = (field: string) => {
    const c = peerOn(field);
    return c ? { 'box-shadow': `0 0 0 2px ${c}` } : undefined;
  };

  return (
    <div
      class="shot-row"
      classList={{ selected: props.selected, dragging: props.dragging }}
      style={{ transform: `translateY(${props.top}px)`, ...(firstPeer() ? { 'box-shadow': `inset 0 0 0 2px ${firstPeer()}` } : {}) }}
      role="listitem"
      aria-label={`Shot ${n()}${props.shot.title ? `: ${props.shot.title}` : ''}`}
      aria-posinset={n()}
      aria-setsize={b.state.shots.length}
      data-shot-id={id()}
      data-chain-state={chainState()}
      onKeyDown={onKeyDown}
      onFocusIn={onFocusIn}
      onFocusOut={onFocusOut}
      onClick={() => b.select(id())}
    >
      {/* On a narrow screen rows are summaries: what styles.css hides there is not built at all. */}
      <Show when={!isNarrowScreen()}>
        <button
          type="button"
          class="drag-handle"
          aria-label={`Reorder shot ${n()} (Alt+Up/Down, or drag)`}
          disabled={ro()}
          data-field="order"
          onPointerDown={(e) => props.onHandlePointerDown(e, id())}
        >
          ⋮⋮
        </button>
      </Show>
      <PeerTags shotId={id()} class="row-peers" />
      <span class="shot-num" aria-hidden="true">
        {n()}
      </span>
      <Thumbnail shot={props.shot} />
      <ChainBadge shotId={id()} class="row-chain" />
      <CollabInput
        class="c-title"
        text={getShotText(b.doc, id(), 'title')}
        value={props.shot.title}
        onCommit={(v) => set({ title: v })}
        label={`Title of shot ${n()}`}
        placeholder="Untitled shot"
        disabled={ro()}
        data-field="title"
        style={ring('title')}
      />
      <EnumSelect class="c-mode" label={`Mode of shot ${n()}`} value={props.shot.mode} options={SHOT_MODES} disabled={ro()} data-field="mode" onChange={(v) => v && set({ mode: v })} />
      <DurationField
        class="c-dur"
        label={`Duration of shot ${n()} in seconds`}
        value={props.shot.durationSec}
        model={b.models.find(props.shot.model)}
        chained={Boolean(props.shot.continuesFrom)}
        disabled={ro()}
        onCommit={(v) => set({ durationSec: v })}
      />
      <Show when={!isNarrowScreen()}>
        <ModelField class="c-model" label={`Model of shot ${n()}`} value={props.shot.model} models={b.models.list()} disabled={ro()} onChange={(m) => m && set({ model: m })} />
      </Show>
      <EnumSelect class="c-status" label={`Status of shot ${n()}`} value={props.shot.status} options={SHOT_STATUSES} disabled={ro()} data-field="status" onChange={(v) => v && set(statusPatch(v, b.me.id))} />
      <CollabText
        class="c-prompt"
        text={getPromptText(b.doc, id())}
        label={`Prompt of shot ${n()}`}
        placeholder="Prompt: what happens in this shot"
        rows={1}
        maxLength={MAX_PROMPT_CHARS}
        disabled={ro()}
        data-field="prompt"
        style={ring('prompt')}
      />
      <EnumSelect class="c-size" label={`Shot size of shot ${n()}`} value={props.shot.shotSize} options={SHOT_SIZES} empty="Size" disabled={ro()} data-field="shotSize" onChange={(v) => set({ shotSize: v })} />
      <Show when={!isNarrowScreen()}>
        <CollabInput
          class="c-camera"
          text={getShotText(b.doc, id(), 'camera')}
          value={props.shot.camera ?? ''}
          onCommit={(v) => set({ camera: v.trim() || null })}
          label={`Camera of shot ${n()}`}
          list="camera-moves"
          placeholder="Camera"
          disabled={ro()}
          data-field="camera"
        />
      </Show>
      <AssigneeSelect class="c-assignee" label={`Assignee of shot ${n()}`} value={props.shot.assignee} members={b.members()} disabled={ro()} onChange={(u) => set({ assignee: u })} />
      <div class="c-actions">
        <Show when={!ro() && !isNarrowScreen()}>
          <button type="button" class="icon" aria-label={`Duplicate shot ${n()}`} title="Duplicate (D)" onClick={() => b.edit((doc) => b.select(duplicateShot(doc, id())))}>
            <CopyIcon />
          </button>
          <button type="button" class="icon danger" classList={{ confirming: confirming() }} aria-label={confirming() ? `Confirm delete shot ${n()}` : `Delete shot ${n()}`} title="Delete" onClick={remove}>
            {confirming() ? 'Delete?' : '✕'}
          </button>
        </Show>
      </div>
    </div>
  );
}
