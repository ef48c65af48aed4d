import { createSignal, For, Show } from 'solid-js';
import type { Asset } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorText } from '../../ui/toast';
import { useBoard } from '../board-context';

interface Upload {
  name: string;
  loaded: number;
  total: number;
  error?: string;
}

/**
 * Drop files here or pick them: uploads each to POST /api/boards/:boardId/assets with a progress
 * bar. Uploading does not wait for the board's asset list: each stored file is added to it.
 */
export function UploadZone(props: {
  label: string;
  accept?: string;
  multiple?: boolean;
  /** Each file as it is stored. */
  onUploaded?: (a: Asset) => void;
  /** Once per pick or drop: every file of it that was stored, in order (none: not called). */
  onAllUploaded?: (assets: Asset[]) => void;
}) {
  const b = useBoard();
  const api = useApi();
  const [uploads, setUploads] = createSignal<Upload[]>([]);
  const [over, setOver] = createSignal(false);
  let input!: HTMLInputElement;

  const patch = (name: string, p: Partial<Upload>) => setUploads((list) => list.map((u) => (u.name === name ? { ...u, ...p } : u)));
  const send = async (files: FileList | File[]) => {
    const stored: Asset[] = [];
    for (const file of Array.from(files)) {
      setUploads((list) => [...list.filter((u) => u.name !== file.name), { name: file.name, loaded: 0, total: file.size }]);
      try {
        const asset = await api.uploadAsset(b.boardId, file, (p) => patch(file.name, p));
        b.library.add(asset);
        props.onUploaded?.(asset);
        stored.push(asset);
        setUploads((list) => list.filter((u) => u.name !== file.name));
      } catch (err) {
        patch(file.name, { error: errorText(err) });
      }
    }
    if (stored.length > 0) props.onAllUploaded?.(stored);
  };

  return (
    <Show when={b.canEdit()}>
      <div
        class="drop-zone"
        classList={{ over: over() }}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (e.dataTransfer?.files.length) void send(e.dataTransfer.files);
        }}
      >
        <button type="button" onClick={() => input.click()}>
          {props.label}
        </button>
        <span class="muted"> or drop files here</span>
        <input
          ref={input}
          type="file"
          hidden
          accept={props.accept ?? 'image/*,video/*'}
          multiple={props.multiple}
          aria-label={props.label}
          onChange={(e) => {
            if (e.currentTarget.files) void send(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <For each={uploads()}>
          {(u) => (
            <div class="upload">
              <span>{u.name}</span>
              <Show when={u.error} fallback={<progress max={u.total || 1} value={u.loaded} aria-label={`Uploading ${u.name}`} />}>
                <span class="form-error" role="alert">
                  {u.error}
                </span>
              </Show>
            </div>
          )}
        </For>
      </div>
    </Show>
  );
}

/**
 * An asset's still: the image itself, or a video's poster; a sound (voice line, music) as a small
 * player with its name and length, since it has no picture. Until the library says which kind it
 * is (loading, or it could not be loaded), the server's still, which it makes for pictures and clips.
 */
export function AssetThumb(props: { assetId: string; alt: string }) {
  const b = useBoard();
  const api = useApi();
  const asset = () => b.library.list().find((a) => a.id === props.assetId);
  return (
    <Show
      when={asset()?.kind === 'audio' ? asset() : undefined}
      fallback={<img class="asset-thumb" src={asset()?.kind === 'image' ? api.assetUrl(props.assetId) : api.posterUrl(props.assetId)} alt={props.alt} loading="lazy" />}
    >
      {(a) => (
        <figure class="asset-audio">
          <figcaption>
            <span aria-hidden="true">♪ </span>
            {a().name}
            <span class="muted"> · {Math.round(a().durationSec ?? 0)} s</span>
          </figcaption>
          <audio controls preload="none" src={api.assetUrl(props.assetId)} aria-label={`${props.alt}: ${a().name}`} />
        </figure>
      )}
    </Show>
  );
}
