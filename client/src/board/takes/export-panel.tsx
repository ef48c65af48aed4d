import { createSignal, For, onCleanup, Show } from 'solid-js';
import type { ExportFile, ExportStatus } from '../../../../shared/api';
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
 * Everything that leaves the board: the selected takes stitched into one MP4 (built on the
 * server, progress live), editorial timelines with generation provenance, and the shot list.
 */
export function ExportPanel() {
  const b = useBoard();
  const api = useApi();
  const [trim, setTrim] = createSignal(false);
  const [crossfade, setCrossfade] = createSignal(0);
  const [sequence, setSequence] = createSignal<SequenceState>({ state: 'idle' });
  const [skipped, setSkipped] = createSignal<string[]>([]);
  let events: EventSource | null = null;
  const stopWatching = () => {
    events?.close();
    events = null;
  };
  onCleanup(stopWatching);

  const query = () => {
    const q = new URLSearchParams();
    if (trim()) q.set('trimOverlap', '1');
    if (crossfade() > 0) q.set('crossfade', String(crossfade()));
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  const changed = () => {
    stopWatching();
    setSequence({ state: 'idle' });
  };

  async function ask(): Promise<ExportStatus | null> {
    const r = await api.requestSequence(b.boardId, query());
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
      if (e.status === 'succeeded') setSequence({ state: 'ready', url: api.exportUrl(b.boardId, 'sequence.mp4', query()) });
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
        <h3>Sequence (one MP4 of the selected takes, in shot order)</h3>
        <label>
          <input type="checkbox" checked={trim()} onChange={(e) => (setTrim(e.currentTarget.checked), changed())} /> Trim what a chained shot repeats from its source
        </label>
        <label>
          Crossfade at chain cuts (s){' '}
          <input type="number" min="0" max="2" step="0.25" value={crossfade()} onChange={(e) => (setCrossfade(Math.max(0, Math.min(2, Number(e.currentTarget.value) || 0))), changed())} />
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
          <p class="muted">Left out, no selected take: {skipped().map(shotLabel).join(', ')}.</p>
        </Show>
      </div>
      <div class="export-group" role="group" aria-label="Timelines">
        <h3>Timelines for your editor, with each take's prompt, model, references and cost</h3>
        <ul class="export-links">
          <For each={TIMELINES}>{([file, label]) => <li><a href={api.exportUrl(b.boardId, file, query())} download="">{label}</a></li>}</For>
        </ul>
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
