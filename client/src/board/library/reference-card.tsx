import { createSignal, For, Show } from 'solid-js';
import {
  addReferenceVersion,
  deleteReferenceVersion,
  getReferenceText,
  REFERENCE_KINDS,
  renameReferenceVersion,
  setCurrentVersion,
  setReferenceFields,
  setReferenceLocked,
  type ReferenceKind,
  type ReferenceView,
} from '../../../../shared/doc';
import { useBoard } from '../board-context';
import { AssetThumb, UploadZone } from '../assets/upload-zone';
import { CollabText } from '../collab-text';
import { RenameField } from './rename-field';

/**
 * One reference: kind, name, lock, and its versions (one per story beat) with their images; a
 * handle to drag the card and buttons to move it one place (editors).
 */
export function ReferenceCard(props: {
  reference: ReferenceView;
  first: boolean;
  last: boolean;
  onDelete: () => void;
  onHandlePointerDown: (e: PointerEvent) => void;
  onMove: (dir: -1 | 1) => void;
}) {
  const b = useBoard();
  const r = () => props.reference;
  const frozen = () => !b.canEdit() || r().locked;
  const [confirm, setConfirm] = createSignal(false);
  const [versionProblem, setVersionProblem] = createSignal('');
  const [deleting, setDeleting] = createSignal<string | null>(null);
  const usedBy = () => b.state.shots.filter((s) => r().id in s.refs).length;

  let versionForm!: HTMLFormElement;
  const typedBeat = () => String(new FormData(versionForm).get('beat') ?? '').trim();
  const add = (beat: string, assets: string[]) => {
    setVersionProblem('');
    b.edit((doc) => addReferenceVersion(doc, r().id, { beat, assets }));
    versionForm.reset();
  };
  /** "Add version" without images: the beat names it, so it must be there. */
  const addVersion = (e: SubmitEvent) => {
    e.preventDefault();
    const beat = typedBeat();
    if (!beat) return setVersionProblem('Beat: must not be empty; type a name, e.g. act 2');
    add(beat, []);
  };
  /** Images dropped or picked are a version at once (one step): named by the beat typed, else "Version N" to rename later. */
  const addFromImages = (assets: string[]) => add(typedBeat() || `Version ${r().versions.length + 1}`, assets);

  return (
    <article class="ref-card" aria-label={`Reference ${r().name}`} classList={{ locked: r().locked }}>
      <header>
        <Show when={b.canEdit()}>
          <button type="button" class="drag-handle card-handle" aria-label={`Drag to reorder ${r().name}`} title="Drag to reorder" onPointerDown={(e) => props.onHandlePointerDown(e)}>
            ⋮⋮
          </button>
        </Show>
        <select aria-label={`Kind of ${r().name}`} disabled={frozen()} onChange={(e) => b.edit((doc) => setReferenceFields(doc, r().id, { kind: e.currentTarget.value as ReferenceKind }))}>
          <For each={REFERENCE_KINDS}>{(k) => <option value={k} selected={k === r().kind}>{k}</option>}</For>
        </select>
        <RenameField
          class="ref-name"
          value={r().name}
          what={`reference ${r().name}`}
          field="Name"
          placeholder="Untitled reference"
          canEdit={!frozen()}
          onRename={(name) => b.edit((doc) => setReferenceFields(doc, r().id, { name }))}
        />
        <label class="inline">
          <input type="checkbox" checked={r().locked} disabled={!b.canEdit()} onChange={(e) => b.edit((doc) => setReferenceLocked(doc, r().id, e.currentTarget.checked))} />
          Locked
        </label>
        <Show when={b.canEdit()}>
          <span class="card-move" role="group" aria-label={`Move ${r().name}`}>
            <button type="button" class="ghost icon" aria-label={`Move ${r().name} earlier`} disabled={props.first} onClick={() => props.onMove(-1)}>
              ←
            </button>
            <button type="button" class="ghost icon" aria-label={`Move ${r().name} later`} disabled={props.last} onClick={() => props.onMove(1)}>
              →
            </button>
          </span>
        </Show>
      </header>
      <CollabText
        class="ref-description"
        text={getReferenceText(b.doc, r().id, 'description')}
        value={r().description}
        label={`Description of ${r().name}`}
        placeholder="What must stay the same: face, coat, light…"
        rows={2}
        disabled={frozen()}
      />
      <p class="muted">
        Used by {usedBy()} shot{usedBy() === 1 ? '' : 's'}
        {r().id in (b.state.meta.bible ?? {}) ? ' · in the continuity bible' : ''}
        {r().locked ? ' · look agreed, versions frozen' : ''}
      </p>
      <ol class="versions" aria-label={`Versions of ${r().name}`}>
        <For each={r().versions} fallback={<li class="muted">No versions yet: add the first beat below.</li>}>
          {(v, i) => (
            <li classList={{ current: v.id === r().currentVersion }}>
              <div class="inline version-head">
                <input type="radio" name={`current-${r().id}`} checked={v.id === r().currentVersion} disabled={frozen()} onChange={() => b.edit((doc) => setCurrentVersion(doc, r().id, v.id))} aria-label={`Make ${v.beat || 'this beat'} the current version of ${r().name}`} />
                <RenameField
                  class="beat-name"
                  value={v.beat}
                  what={`version ${i() + 1} of ${r().name}`}
                  field="Beat"
                  placeholder="untitled beat"
                  canEdit={!frozen()}
                  onRename={(beat) => b.edit((doc) => renameReferenceVersion(doc, r().id, v.id, beat))}
                >
                  {v.id === r().currentVersion ? <span class="badge">current</span> : null}
                </RenameField>
                <Show when={!frozen()}>
                  <button
                    type="button"
                    class="link danger"
                    aria-label={deleting() === v.id ? `Really delete version ${v.beat || i() + 1} of ${r().name}?` : `Delete version ${i() + 1} of ${r().name}`}
                    onClick={() => (deleting() === v.id ? (setDeleting(null), b.edit((doc) => deleteReferenceVersion(doc, r().id, v.id))) : setDeleting(v.id))}
                    onBlur={() => deleting() === v.id && setDeleting(null)}
                  >
                    {deleting() === v.id ? 'Really delete?' : 'Delete'}
                  </button>
                </Show>
              </div>
              <div class="version-assets">
                <For each={v.assets} fallback={<span class="muted">no media yet</span>}>{(a) => <AssetThumb assetId={a} alt={`${r().name}, ${v.beat}`} />}</For>
              </div>
            </li>
          )}
        </For>
      </ol>
      <Show when={!frozen()}>
        <form class="new-version" ref={versionForm} onSubmit={addVersion} aria-label={`New version of ${r().name}`} noValidate>
          <input name="beat" aria-label={`New beat for ${r().name}`} placeholder="Beat, e.g. act 2, after the rain" aria-invalid={versionProblem() ? 'true' : undefined} onInput={() => setVersionProblem('')} />
          <Show when={versionProblem()}>
            <p class="field-error" role="alert">
              {versionProblem()}
            </p>
          </Show>
          <UploadZone label={`Upload media for ${r().name}`} accept="image/*,video/*,audio/*" multiple onAllUploaded={(assets) => addFromImages(assets.map((a) => a.id))} />
          <p class="muted new-version-help">Images, clips or audio (a voice line, music, ambience) make a new version at once, named by the beat above.</p>
          <button type="submit">Add version</button>
        </form>
        <button type="button" class="link danger" onClick={() => (confirm() ? props.onDelete() : setConfirm(true))}>
          {confirm() ? `Really delete ${r().name}?` : 'Delete reference'}
        </button>
      </Show>
    </article>
  );
}
