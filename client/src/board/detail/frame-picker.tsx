import { For, Show } from 'solid-js';
import { useBoard } from '../board-context';
import { AssetThumb, UploadZone } from '../assets/upload-zone';

/** Picks an image asset for a start or end frame: from the board's images, or a new upload. */
export function FramePicker(props: { label: string; value: string | undefined; onChange: (assetId: string | null) => void }) {
  const b = useBoard();
  const images = () => b.features.assets().filter((a) => a.kind === 'image');
  return (
    <fieldset class="frame-picker">
      <legend>{props.label}</legend>
      <Show when={props.value}>{(id) => <AssetThumb assetId={id()} alt={props.label} />}</Show>
      <Show when={b.features.assetsAvailable() === 'yes'}>
        <select aria-label={props.label} disabled={!b.canEdit()} onChange={(e) => props.onChange(e.currentTarget.value || null)}>
          <option value="" selected={!props.value}>
            None
          </option>
          <For each={images()}>
            {(a) => (
              <option value={a.id} selected={a.id === props.value}>
                {a.name} ({a.width}×{a.height})
              </option>
            )}
          </For>
        </select>
      </Show>
      <UploadZone label={`Upload ${props.label.toLowerCase()}`} accept="image/*" onUploaded={(a) => props.onChange(a.id)} />
    </fieldset>
  );
}
