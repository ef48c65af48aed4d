import { createSignal, For, Show } from 'solid-js';
import {
  addReferenceVersion,
  getReferenceText,
  getVersionBeatText,
  REFERENCE_KINDS,
  setCurrentVersion,
  setReferenceFields,
  setReferenceLocked,
  type ReferenceKind,
  type ReferenceView,
} from '../../../../shared/doc';
import { useBoard } from '../board-context';
import { AssetThumb, UploadZone } from '../assets/upload-zone';
import { CollabInput, CollabText } from '../collab-text';

/** One reference: kind, name, lock, and its versions (one per story beat) with their images. */
export function ReferenceCard(props: { reference: ReferenceView; onDelete: () => void }) {
  const b = useBoard();
  const r = () => props.reference;
  const frozen = () => !b.canEdit() || r().locked;
  const [staged, setStaged] = createSignal<string[]>([]);
  const [confirm, setConfirm] = createSignal(false);
  const usedBy = () => b.state.shots.filter((s) => r().id in s.refs).length;

  const addVersion = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const beat = String(new FormData(form).get('beat') ?? '').trim();
    if (!beat) return;
    b.edit((doc) => addReferenceVersion(doc, r().id, { beat, assets: staged() }));
    setStaged([]);
    form.reset();
  };

  return (
    <article class="ref-card" aria-label={`Reference ${r().name}`} classList={{ locked: r().locked }}>
      <header>
        <select aria-label={`Kind of ${r().name}`} disabled={frozen()} onChange={(e) => b.edit((doc) => setReferenceFields(doc, r().id, { kind: e.currentTarget.value as ReferenceKind }))}>
          <For each={REFERENCE_KINDS}>{(k) => <option value={k} selected={k === r().kind}>{k}</option>}</For>
        </select>
        <CollabInput
          text={getReferenceText(b.doc, r().id, 'name')}
          value={r().name}
          onCommit={(v) => v.trim() && b.edit((doc) => setReferenceFields(doc, r().id, { name: v.trim() }))}
          label="Reference name"
          placeholder="Name"
          disabled={frozen()}
        />
        <label class="inline">
          <input type="checkbox" checked={r().locked} disabled={!b.canEdit()} onChange={(e) => b.edit((doc) => setReferenceLocked(doc, r().id, e.currentTarget.checked))} />
          Locked
        </label>
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
        {r().locked ? ' · look agreed, versions frozen' : ''}
      </p>
      <ol class="versions" aria-label={`Versions of ${r().name}`}>
        <For each={r().versions} fallback={<li class="muted">No versions yet: add the first beat below.</li>}>
          {(v, i) => (
            <li classList={{ current: v.id === r().currentVersion }}>
              <div class="inline version-head">
                <input type="radio" name={`current-${r().id}`} checked={v.id === r().currentVersion} disabled={frozen()} onChange={() => b.edit((doc) => setCurrentVersion(doc, r().id, v.id))} aria-label={`Make ${v.beat || 'this beat'} the current version of ${r().name}`} />
                <CollabInput
                  class="beat-input"
                  text={getVersionBeatText(b.doc, r().id, v.id)}
                  value={v.beat}
                  label={`Beat of ${r().name}, version ${i() + 1}`}
                  placeholder="untitled beat"
                  disabled={frozen()}
                />
                {v.id === r().currentVersion ? <span class="badge">current</span> : null}
              </div>
              <div class="version-assets">
                <For each={v.assets} fallback={<span class="muted">no images</span>}>{(a) => <AssetThumb assetId={a} alt={`${r().name}, ${v.beat}`} />}</For>
              </div>
            </li>
          )}
        </For>
      </ol>
      <Show when={!frozen()}>
        <form class="new-version" onSubmit={addVersion} aria-label={`New version of ${r().name}`}>
          <input name="beat" aria-label={`New beat for ${r().name}`} placeholder="Beat, e.g. act 2, after the rain" required />
          <UploadZone label={`Upload images for ${r().name}`} multiple onUploaded={(a) => setStaged((s) => [...s, a.id])} />
          <Show when={staged().length > 0}>
            <div class="version-assets" aria-label="Images for the new version">
              <For each={staged()}>{(a) => <AssetThumb assetId={a} alt="image for the new version" />}</For>
            </div>
          </Show>
          <button type="submit">Add version</button>
        </form>
        <button type="button" class="link danger" onClick={() => (confirm() ? props.onDelete() : setConfirm(true))}>
          {confirm() ? `Really delete ${r().name}?` : 'Delete reference'}
        </button>
      </Show>
    </article>
  );
}
