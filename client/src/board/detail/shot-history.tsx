/**
 * The shot's history in its detail panel: who changed what and when (GET .../history), read
 * when opened and again shortly after the shot changes while it is open. A prompt entry shows
 * the prompt as it was before that change, which an editor can restore: an ordinary edit of the
 * shared prompt by them, so it lands in the history too and Ctrl+Z takes it back.
 */
import { createEffect, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { ShotChangeEntry } from '../../../../shared/api';
import { setShotFields, type ShotView } from '../../../../shared/doc';
import { useApi } from '../../api/context';
import { ago, exactTime } from '../../ui/format';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';
import { changeSentence, shortDiff, TEXT_FIELDS, valueWords, type HistoryNames } from './history-text';

/** Teammates' keystrokes arrive many per second: ask again once they pause this long. */
const REFRESH_AFTER_MS = 700;

export function ShotHistory(props: { shot: ShotView }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [open, setOpen] = createSignal(false);
  const [entries, { refetch }] = createResource(
    () => (open() ? props.shot.id : false),
    (shotId) => api.shotHistory(b.boardId, shotId),
  );
  // Anything in the shot that the history records changed: read it again (debounced).
  const watched = () => {
    const s = props.shot;
    return [s.title, s.prompt, s.camera, s.notes, s.mode, s.durationSec, s.model, s.shotSize, s.status, s.assignee, s.selectedTake, s.startFrame, s.endFrame, s.continuesFrom, JSON.stringify(s.refs)].join('\u0000');
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(watched, () => {
      if (!open()) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refetch(), REFRESH_AFTER_MS);
    }, { defer: true }),
  );
  onCleanup(() => clearTimeout(timer));

  const names: HistoryNames = {
    model: (id) => b.models.find(id)?.label,
    member: (id) => b.members().find((m) => m.userId === id)?.name,
    shot: (id) => {
      const i = b.state.shots.findIndex((s) => s.id === id);
      return i < 0 ? undefined : `shot ${i + 1}`;
    },
    take: (id) => {
      const t = (b.state.takes[props.shot.id] ?? []).find((x) => x.id === id);
      return t ? `take ${t.number ?? '?'}` : undefined;
    },
    reference: (id) => b.state.references.find((r) => r.id === id)?.name,
  };

  const restore = (text: string) => {
    const done = b.edit((doc) => {
      setShotFields(doc, props.shot.id, { prompt: text });
      return true;
    });
    if (done) toast.show('Prompt restored. Ctrl+Z (Cmd+Z) takes it back.', 'info');
  };

  return (
    <details class="shot-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>History</summary>
      <Show when={!entries.error} fallback={<p class="error" role="alert">Could not load the history: {errorText(entries.error)}</p>}>
        <Show when={entries()} fallback={<p class="muted">Loading…</p>}>
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="muted">No changes recorded for this shot yet.</p>}>
              <ol class="history-list" aria-label="Shot history">
                <For each={list()}>{(e) => <HistoryEntry entry={e} names={names} current={props.shot.prompt} onRestore={restore} />}</For>
              </ol>
            </Show>
          )}
        </Show>
      </Show>
    </details>
  );
}

function HistoryEntry(props: { entry: ShotChangeEntry; names: HistoryNames; current: string; onRestore(text: string): void }) {
  const b = useBoard();
  const e = () => props.entry;
  const restorable = () => e().field === 'prompt' && !e().truncated && b.canEdit();
  return (
    <li class="history-entry" data-field={e().field} data-user-id={e().userId}>
      <p class="history-what">
        <span>{changeSentence(e())}</span>
        <time class="muted" dateTime={e().changedAt} title={exactTime(e().changedAt)}>
          {ago(e().changedAt)}
        </time>
      </p>
      <Show when={e().field !== 'created'}>
        <Show
          when={TEXT_FIELDS.has(e().field)}
          fallback={
            <p class="history-diff">
              <del>{valueWords(e().field, e().before, props.names)}</del> → <ins>{valueWords(e().field, e().after, props.names)}</ins>
            </p>
          }
        >
          {(() => {
            const d = shortDiff(e().before, e().after);
            return (
              <p class="history-diff">
                {d.head}
                <Show when={d.removed}>
                  <del>{d.removed}</del>
                </Show>
                <Show when={d.added}>
                  <ins>{d.added}</ins>
                </Show>
                {d.tail}
              </p>
            );
          })()}
        </Show>
      </Show>
      <Show when={e().field === 'prompt'}>
        <div class="history-old">
          <span class="field-label">Prompt before this change</span>
          <blockquote title={e().before}>{e().before || '(empty)'}</blockquote>
          <Show when={restorable()}>
            <button type="button" disabled={e().before === props.current} title={e().before === props.current ? 'This is the prompt now' : undefined} onClick={() => props.onRestore(e().before)}>
              Restore this prompt
            </button>
          </Show>
          <Show when={e().truncated}>
            <p class="muted">Too long to keep whole; shown cut, cannot be restored.</p>
          </Show>
        </div>
      </Show>
    </li>
  );
}
