import { createEffect, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { ExportFile, ExportStatus } from '../../../../shared/api';
import { MAX_CROSSFADE_SEC, setMeta } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { errorText } from '../../ui/toast';
import { useBoard } from '../board-context';

type SequenceState =
  | { state: 'idle' }
  | { state: 'building'; progress: number }
  | { state: 'ready'; url: string }
  | { state: 'failed'; message: string };

const TIMELINES: ReadonlyArray<[ExportFile, string]> = [
  ['timeline.otio', 'OpenTimelineIO (.otio)'],
  ['sequence.edl', 'EDL (CMX 3600)'],
  ['sequence.fcpxml', 'Final Cut Pro XML (.fcpxml)'],
  ['sequence.json', 'Cut list (.json)'],
];
const SHOT_LISTS: ReadonlyArray<[ExportFile, string]> = [
  ['shots.csv', 'Shot list (.csv)'],
  ['shots.html', 'Printable shot list (.html)'],
];

/**
 * Everything that leaves the board: the sequence stitched into one MP4 (built on the server,
 * progress live), editorial timelines with generation provenance, and the shot list. The trim and
 * crossfade settings are the board's (in the shared document), so the Sequence player, every
 * teammate and every export use the same ones.
 */
export function ExportPanel() {
  const b = useBoard();
  const api = useApi();
  const [sequence, setSequence] = createSignal<SequenceState>({ state: 'idle' });
  const [skipped, setSkipped] = createSignal<string[]>([]);
  const [fadeDraft, setFadeDraft] = createSignal<string | null>(null);
  const [fadeError, setFadeError] = createSignal<string | null>(null);
  let events: EventSource | null = null;
  const stopWatching = () => {
    events?.close();
    events = null;
  };
  onCleanup(stopWatching);

  // Anyone's change to the settings makes a built file out of date.
  createEffect(on(() => [b.state.meta.trimOverlap, b.state.meta.crossfadeSec], () => {
    stopWatching();
    setSequence({ state: 'idle' });
  }, { defer: true }));

  /** Writes the crossfade only when it is a number the board allows; otherwise says so next to the field. */
  function commitFade(text: string) {
    const seconds = Number(text);
    if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_CROSSFADE_SEC) {
      setFadeDraft(text);
      setFadeError(`Crossfade: 0–${MAX_CROSSFADE_SEC} s (0 for hard cuts)`);
      return;
    }
    setFadeDraft(null);
    setFadeError(null);
    b.edit((doc) => setMeta(doc, { crossfadeSec: seconds }));
  }

  async function ask(): Promise<ExportStatus | null> {
    const r = await api.requestSequence(b.boardId, '');
    setSkipped(r.skippedShotIds);
    if (r.state === 'ready') {
      stopWatching();
      setSequence({ state: 'ready', url: r.url });
      return null;
    }
    return r.status;
  }

  async function build() {
    stopWatching();
    setSequence({ state: 'building', progress: 0 });
    try {
      const status = await ask();
      if (status) watch(status);
    } catch (err) {
      setSequence({ state: 'failed', message: errorText(err) });
    }
  }

  function watch(status: ExportStatus) {
    const source = new EventSource(api.exportUrl(b.boardId, 'events'), { withCredentials: true });
    events = source;
    // A build that finished before the stream opened sends nothing more: ask once it is open.
    source.onopen = () => void ask().catch((err) => setSequence({ state: 'failed', message: errorText(err) }));
    source.addEventListener('export', (m) => {
      let e: ExportStatus;
      try {
        e = JSON.parse((m as MessageEvent<string>).data) as ExportStatus;
      } catch {
        return;
      }
      if (e.id !== status.id || events !== source) return;
      if (e.status === 'running') return setSequence({ state: 'building', progress: e.progress });
      stopWatching();
      if (e.status === 'succeeded') setSequence({ state: 'ready', url: api.exportUrl(b.boardId, 'sequence.mp4') });
      else setSequence({ state: 'failed', message: e.error ?? 'The sequence could not be built' });
    });
  }

  const shotLabel = (id: string) => {
    const i = b.state.shots.findIndex((s) => s.id === id);
    return i < 0 ? 'a deleted shot' : `shot ${i + 1}${b.state.shots[i]!.title ? ` (${b.state.shots[i]!.title})` : ''}`;
  };
  const building = () => {
    const s = sequence();
    return s.state === 'building' ? s : null;
  };

  return (
    <section class="export-panel" aria-label="Export">
      <h2>Export</h2>
      <div class="export-group" role="group" aria-label="Sequence">
        <h3>Sequence (one MP4 of every shot in order, as the player shows it)</h3>
        <label>
          <input
            type="checkbox"
            checked={b.state.meta.trimOverlap}
            disabled={!b.canEdit()}
            onChange={(e) => b.edit((doc) => setMeta(doc, { trimOverlap: e.currentTarget.checked }))}
          />{' '}
          Trim what a chained shot repeats from its source
        </label>
        <label>
          Crossfade at chain cuts (s){' '}
          <input
            type="number"
            min="0"
            max={MAX_CROSSFADE_SEC}
            step="0.25"
            aria-label="Crossfade at chain cuts, seconds"
            aria-invalid={fadeError() ? 'true' : undefined}
            disabled={!b.canEdit()}
            value={fadeDraft() ?? String(b.state.meta.crossfadeSec)}
            onChange={(e) => commitFade(e.currentTarget.value)}
          />
          <Show when={fadeError()}>{(m) => <span class="export-error" role="alert">{m()}</span>}</Show>
        </label>
        <div class="row-actions">
          <button type="button" disabled={sequence().state === 'building'} onClick={() => void build()}>
            Build sequence
          </button>
          <Show when={building()}>
            {(s) => (
              <span role="status">
                Building… <progress aria-label="Sequence build progress" max="1" value={s().progress} /> {Math.round(s().progress * 100)}%
              </span>
            )}
          </Show>
          <Show when={(() => { const s = sequence(); return s.state === 'ready' ? s : null; })()}>
            {(s) => (
              <a class="button" href={s().url} download="">
                Download sequence.mp4
              </a>
            )}
          </Show>
        </div>
        <Show when={(() => { const s = sequence(); return s.state === 'failed' ? s : null; })()}>
          {(s) => <p role="alert" class="error">{s().message}</p>}
        </Show>
        <Show when={skipped().length > 0}>
          <p class="muted">Shown as slates (no finished selected take): {skipped().map(shotLabel).join(', ')}.</p>
        </Show>
      </div>
      <div class="export-group" role="group" aria-label="Timelines">
        <h3>Timelines for your editor, with each take's prompt, model, references and cost</h3>
        <ul class="export-links">
          <For each={TIMELINES}>{([file, label]) => <li><a href={api.exportUrl(b.boardId, file)} download="">{label}</a></li>}</For>
        </ul>
        <p class="muted">Comments at a time in the takes of the cut arrive as markers (who, what, where) in the OTIO, EDL and FCPXML.</p>
      </div>
      <div class="export-group" role="group" aria-label="Shot list">
        <h3>Shot list</h3>
        <ul class="export-links">
          <For each={SHOT_LISTS}>{([file, label]) => <li><a href={api.exportUrl(b.boardId, file)} download="">{label}</a></li>}</For>
        </ul>
      </div>
    </section>
  );
}
