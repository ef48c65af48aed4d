import { createMemo, createSignal, For, Show } from 'solid-js';
import { useApi } from '../../api/context';
import { useBoard } from '../board-context';
import { UploadZone } from '../assets/upload-zone';
import { LoadFailed } from '../../ui/load-failed';
import { FRAME_GROUP_TITLES, frameChoices, frameName, type FrameGroup } from './frame-choices';

const GROUPS: FrameGroup[] = ['reference', 'take', 'upload'];

/**
 * Picks an image for a start or end frame: a reference's image, a still of an earlier take (by
 * anyone), an upload (by anyone), or a new upload. Opening it asks the server for the board's
 * assets again, so a teammate's upload from a minute ago is there. Thumbnails are the server's
 * small JPEG stills (made once per image), not the full-size originals: cheap on a phone.
 */
export function FramePicker(props: { label: string; value: string | undefined; onChange: (assetId: string | null) => void }) {
  const b = useBoard();
  const api = useApi();
  const [open, setOpen] = createSignal(false);
  const choices = createMemo(() =>
    frameChoices({ shots: b.state.shots, takes: b.state.takes, references: b.state.references, assets: b.library.list() }),
  );
  const inGroup = (g: FrameGroup) => choices().filter((c) => c.group === g);
  const toggle = () => {
    if (!open()) void b.library.reload();
    setOpen(!open());
  };
  const choose = (id: string | null) => {
    props.onChange(id);
    setOpen(false);
  };

  return (
    <fieldset class="frame-picker">
      <legend>{props.label}</legend>
      <div class="frame-current">
        <Show when={props.value} fallback={<span class="muted">None</span>}>
          {(id) => (
            <>
              <img class="asset-thumb" src={api.posterUrl(id())} alt={`${props.label}: ${frameName(choices(), id())}`} loading="lazy" />
              <span class="frame-name" data-frame-name>
                {frameName(choices(), id())}
              </span>
            </>
          )}
        </Show>
        <Show when={b.canEdit()}>
          <span class="frame-actions">
            <button type="button" aria-expanded={open()} onClick={toggle}>
              {open() ? 'Close' : `Choose ${props.label.toLowerCase()}`}
            </button>
            <Show when={props.value}>
              <button type="button" class="ghost" onClick={() => choose(null)} aria-label={`Clear ${props.label.toLowerCase()}`}>
                Clear
              </button>
            </Show>
          </span>
        </Show>
      </div>
      <Show when={open()}>
        <div class="frame-choices" role="group" aria-label={`Images for the ${props.label.toLowerCase()}`}>
          {/* References and takes come from the board itself; only uploads need the library. */}
          <LoadFailed load={b.library} what="the board's uploads" />
          <Show when={b.library.status() === 'loading' && b.library.value() === undefined}>
            <p class="muted" role="status">Loading the board's uploads…</p>
          </Show>
          <Show when={choices().length === 0 && b.library.status() === 'ready'}>
            <p class="muted">No images on this board yet: upload one, add a reference, or generate a take.</p>
          </Show>
          <For each={GROUPS.filter((g) => inGroup(g).length > 0)}>
            {(g) => (
              <section class="frame-group" aria-label={FRAME_GROUP_TITLES[g]}>
                <h4>{FRAME_GROUP_TITLES[g]}</h4>
                <ul>
                  <For each={inGroup(g)}>
                    {(c) => (
                      <li>
                        <button type="button" class="frame-choice" aria-pressed={c.assetId === props.value} onClick={() => choose(c.assetId)}>
                          <img src={api.posterUrl(c.assetId)} alt="" loading="lazy" />
                          <span class="frame-choice-label">{c.label}</span>
                          <Show when={c.detail}>
                            <span class="muted frame-choice-detail">{c.detail}</span>
                          </Show>
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            )}
          </For>
        </div>
      </Show>
      <UploadZone label={`Upload ${props.label.toLowerCase()}`} accept="image/*" onUploaded={(a) => choose(a.id)} />
    </fieldset>
  );
}
