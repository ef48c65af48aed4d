import { createMemo, createSignal, For, Show } from 'solid-js';
import { setLeftOut } from '../../../../shared/doc';
import type { ImportChange, TimelineImportDiff } from '../../../../shared/timeline-import';
import { useApi } from '../../api/context';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';

/** The server's limit (server/export/import/timeline-file.ts), said before a long upload. */
const MAX_BYTES = 8 * 1024 * 1024;

const KIND_LABEL: Record<ImportChange['kind'], string> = {
  order: 'Order',
  trim: 'Trim',
  remove: 'Left out',
  restore: 'Back in',
  transition: 'Transition',
};

/**
 * "Bring an edit back": an editor picks the OTIO, FCPXML or EDL their edit suite wrote from an
 * export of this board; the server lists what differs from the sequence (order, trims, shots not
 * in the file, transitions) and the clips it could not match. Nothing changes until they accept:
 * all, or the changes they tick. Accepted changes land in the board document, so every
 * teammate's player and every export follow at once.
 */
export function TimelineImport() {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [file, setFile] = createSignal<{ name: string; text: string } | null>(null);
  const [diff, setDiff] = createSignal<TimelineImportDiff | null>(null);
  const [picked, setPicked] = createSignal<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let input: HTMLInputElement | undefined;

  async function choose(f: File | undefined) {
    setError(null);
    setDiff(null);
    if (!f) return;
    if (f.size > MAX_BYTES) return setError(`${f.name} is larger than 8 MB; export the timeline again from this board`);
    setBusy(true);
    try {
      const text = await f.text();
      const d = await api.timelineImport(b.boardId, text);
      setFile({ name: f.name, text });
      show(d);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      if (input) input.value = '';
    }
  }

  function show(d: TimelineImportDiff) {
    setDiff(d);
    setPicked(new Set(d.changes.map((c) => c.id)));
  }

  async function accept(which: 'all' | string[]) {
    const f = file();
    if (!f) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.timelineAccept(b.boardId, f.text, which);
      toast.show(`Accepted ${r.applied.length} ${r.applied.length === 1 ? 'change' : 'changes'} from ${f.name}`);
      if (r.diff.changes.length === 0) close();
      else show(r.diff);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setDiff(null);
    setFile(null);
  }

  const toggle = (id: string, on: boolean) => {
    const next = new Set(picked());
    if (on) next.add(id);
    else next.delete(id);
    setPicked(next);
  };

  return (
    <section class="timeline-import" aria-label="Bring an edit back">
      <h2>Bring an edit back</h2>
      <p class="muted">
        Import the OTIO, FCPXML or EDL your edit suite wrote from this board’s export. You see what changed (order, trims, shots taken out,
        transitions) and accept all of it or part; nothing changes before you do.
      </p>
      <div class="row-actions">
        <label class="button timeline-import-pick" classList={{ disabled: busy() }}>
          Choose a timeline file…
          <input
            ref={input}
            type="file"
            accept=".otio,.fcpxml,.xml,.edl,application/json,application/xml,text/plain"
            aria-label="Timeline file to import"
            disabled={busy()}
            onChange={(e) => void choose(e.currentTarget.files?.[0])}
          />
        </label>
        <Show when={busy()}>
          <span role="status">Reading…</span>
        </Show>
      </div>
      <Show when={error()}>{(m) => <p role="alert" class="error">{m()}</p>}</Show>
      <Show when={diff()}>
        {(d) => <Review diff={d()} name={file()?.name ?? ''} picked={picked()} busy={busy()} onToggle={toggle} onAccept={(w) => void accept(w)} onDiscard={close} />}
      </Show>
    </section>
  );
}

function Review(props: {
  diff: TimelineImportDiff;
  name: string;
  picked: ReadonlySet<string>;
  busy: boolean;
  onToggle: (id: string, on: boolean) => void;
  onAccept: (which: 'all' | string[]) => void;
  onDiscard: () => void;
}) {
  const format = () => ({ otio: 'OTIO', fcpxml: 'FCPXML', edl: 'EDL' })[props.diff.format];
  const chosen = createMemo(() => props.diff.changes.filter((c) => props.picked.has(c.id)).map((c) => c.id));
  return (
    <div class="timeline-diff" role="region" aria-label={`Changes in ${props.name}`} data-format={props.diff.format}>
      <h3>
        {props.name} <span class="muted">({format()}, {props.diff.matched} {props.diff.matched === 1 ? 'shot' : 'shots'} matched)</span>
      </h3>
      <Show when={props.diff.changes.length > 0} fallback={<p>The file and the sequence agree: nothing to accept.</p>}>
        <ul class="timeline-changes">
          <For each={props.diff.changes}>
            {(c) => (
              <li data-change-id={c.id} data-kind={c.kind}>
                <label>
                  <input type="checkbox" checked={props.picked.has(c.id)} disabled={props.busy} onChange={(e) => props.onToggle(c.id, e.currentTarget.checked)} />
                  <span class="timeline-change-kind">{KIND_LABEL[c.kind]}</span>
                  <span class="timeline-change-text">{c.summary}</span>
                </label>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.diff.unknown.length > 0}>
        <h4>Not matched to a shot (left as they are)</h4>
        <ul class="timeline-unknown" aria-label="Clips not matched">
          <For each={props.diff.unknown}>
            {(u) => (
              <li>
                <strong>{u.name || 'Unnamed clip'}</strong> <span class="muted">({u.at})</span>: {u.reason}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <For each={props.diff.notes}>{(n) => <p class="muted">{n}</p>}</For>
      <div class="row-actions">
        <button type="button" class="primary" disabled={props.busy || chosen().length === 0} onClick={() => props.onAccept(chosen())}>
          Accept selected ({chosen().length})
        </button>
        <button type="button" disabled={props.busy || props.diff.changes.length === 0} onClick={() => props.onAccept('all')}>
          Accept all
        </button>
        <button type="button" disabled={props.busy} onClick={() => props.onDiscard()}>
          Discard
        </button>
      </div>
    </div>
  );
}

/** Shots an accepted edit left out of the sequence, each with "Put back" for editors. */
export function LeftOutShots() {
  const b = useBoard();
  const out = () => b.state.shots.map((s, i) => ({ shot: s, n: i + 1 })).filter((x) => x.shot.leftOut);
  return (
    <Show when={out().length > 0}>
      <div class="seq-left-out" role="group" aria-label="Left out of the sequence">
        <span class="muted">Left out of the sequence:</span>
        <For each={out()}>
          {(x) => (
            <span class="seq-left-out-shot" data-shot-id={x.shot.id}>
              #{x.n} {x.shot.title || 'Untitled'}
              <Show when={b.canEdit()}>
                <button type="button" onClick={() => b.edit((doc) => setLeftOut(doc, x.shot.id, false))}>
                  Put back
                </button>
              </Show>
            </span>
          )}
        </For>
      </div>
    </Show>
  );
}
