import { For, Show } from 'solid-js';
import { assignReference, BIBLE_OVERRIDES, BIBLE_ROLES, setBibleOverride, unassignReference, type BibleOverride, type BibleRole, type ShotView } from '../../../../shared/doc';
import type { ModelInfo } from '../../../../shared/generation';
import { bibleEntries, BIBLE_ROLE_TITLES as ROLE_NOUNS, roleReader } from '../library/bible-roles';
import { useBoard } from '../board-context';
import { sendPlanFor } from './request';

/** Reference mode: the references this shot uses, each following "current" or pinned to a beat. */
export function RefSlots(props: { shot: ShotView; model: ModelInfo | undefined }) {
  const b = useBoard();
  const assigned = () => b.state.references.filter((r) => r.id in props.shot.refs);
  const unassigned = () => b.state.references.filter((r) => !(r.id in props.shot.refs));
  // Counted as Generate will send them: clip references as clips, sounds as audio, only what fits.
  const sent = () => sendPlanFor(b.state, props.shot, props.model, b.library.list()).references.flatMap((r) => r.assets);
  const used = () => {
    const n = (as: 'image' | 'clip' | 'audio') => sent().filter((a) => a.as === as).length;
    return `${n('image')} image(s), ${n('clip')} clip(s) and ${n('audio')} audio file(s)`;
  };
  return (
    <fieldset class="ref-slots">
      <legend>References</legend>
      <p class="muted">
        <Show when={props.model} fallback={<>This shot sends {used()}.</>}>
          {(m) => (
            <>
              {m().label} takes up to {m().maxReferenceImages} reference images
              {m().acceptsReferenceVideo ? `, ${m().maxReferenceVideos} reference clip(s)` : ', no clips'}
              {m().maxAudioRefs > 0 ? ` and ${m().maxAudioRefs} audio file(s)` : ' and no audio'}; this shot sends {used()}.
            </>
          )}
        </Show>
      </p>
      <ul class="slot-list">
        <For each={assigned()} fallback={<li class="muted">No references assigned yet.</li>}>
          {(ref) => (
            <li>
              <span class={`kind kind-${ref.kind}`}>{ref.kind}</span> {ref.name}
              <select
                aria-label={`Version of ${ref.name}`}
                disabled={!b.canEdit()}
                onChange={(e) => b.edit((doc) => assignReference(doc, props.shot.id, ref.id, e.currentTarget.value))}
              >
                <option value="" selected={props.shot.refs[ref.id] === ''}>
                  current{ref.currentVersion ? ` (${ref.versions.find((v) => v.id === ref.currentVersion)?.beat ?? ''})` : ''}
                </option>
                <For each={ref.versions}>
                  {(v) => (
                    <option value={v.id} selected={props.shot.refs[ref.id] === v.id}>
                      pinned: {v.beat || 'untitled beat'}
                    </option>
                  )}
                </For>
              </select>
              <Show when={b.canEdit()}>
                <button type="button" class="icon" aria-label={`Remove ${ref.name} from this shot`} onClick={() => b.edit((doc) => unassignReference(doc, props.shot.id, ref.id))}>
                  ✕
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={b.canEdit() && unassigned().length > 0}>
        <select
          aria-label="Assign a reference"
          onChange={(e) => {
            const id = e.currentTarget.value;
            if (id) b.edit((doc) => assignReference(doc, props.shot.id, id));
            e.currentTarget.value = '';
          }}
        >
          <option value="">Assign a reference…</option>
          <For each={unassigned()}>{(r) => <option value={r.id}>{r.kind}: {r.name}</option>}</For>
        </select>
      </Show>
      <Show when={b.state.references.length === 0}>
        <p class="muted">Create references in the References tab first.</p>
      </Show>
      <BibleOverrides shot={props.shot} />
    </fieldset>
  );
}

const OVERRIDE_WORDS: Record<BibleOverride, string> = { inherit: 'from the bible', replace: "this shot's own instead", drop: 'none in this shot' };

/**
 * Per role of the board's continuity bible: this shot inherits it, replaces it with its own
 * references, or drops the role. Only roles the bible fills (or the shot already overrides) show.
 */
function BibleOverrides(props: { shot: ShotView }) {
  const b = useBoard();
  const names = (role: BibleRole) => bibleEntries(b.state.references, b.state.meta.bible ?? {}, roleReader(b.library.list()), role).map((r) => r.name);
  const roles = () => BIBLE_ROLES.filter((role) => names(role).length > 0 || props.shot.bible?.[role]);
  return (
    <div class="bible-overrides" role="group" aria-label="Continuity bible for this shot">
      <p class="field-label">Continuity bible</p>
      <Show when={roles().length > 0} fallback={<p class="muted">The board has no continuity bible yet; set one in the References tab.</p>}>
        <For each={roles()}>
          {(role) => (
            <label class="bible-override">
              <span>
                {ROLE_NOUNS[role]} <span class="muted">({names(role).join(', ') || 'none in the bible'})</span>
              </span>
              <select
                aria-label={`Bible ${ROLE_NOUNS[role].toLowerCase()} for this shot`}
                disabled={!b.canEdit()}
                onChange={(e) => b.edit((doc) => setBibleOverride(doc, props.shot.id, role, e.currentTarget.value as BibleOverride))}
              >
                <For each={BIBLE_OVERRIDES}>
                  {(o) => (
                    <option value={o} selected={(props.shot.bible?.[role] ?? 'inherit') === o}>
                      {OVERRIDE_WORDS[o]}
                    </option>
                  )}
                </For>
              </select>
            </label>
          )}
        </For>
      </Show>
    </div>
  );
}
