import { For, Show } from 'solid-js';
import { BIBLE_ROLES, removeBibleEntry, setBibleEntry, type BibleRole } from '../../../../shared/doc';
import { useBoard } from '../board-context';
import { bibleEntries, BIBLE_ROLE_TITLES as ROLE_TITLES, roleReader } from './bible-roles';

/**
 * The continuity bible: the references every shot sends by default, by role. Owners and editors
 * add, pin and remove entries; everyone else reads it. Each shot may replace or drop a role
 * (its References box), and its "Will send" list shows where each file lands on its model.
 */
export function BiblePanel() {
  const b = useBoard();
  const bible = () => b.state.meta.bible ?? {};
  const roleOf = () => roleReader(b.library.list());
  const entries = (role: BibleRole) => bibleEntries(b.state.references, bible(), roleOf(), role);
  const candidates = (role: BibleRole) => b.state.references.filter((r) => !(r.id in bible()) && roleOf()(r, '') === role);
  // Entries that cannot be sent, named with a Remove, never hidden: one whose reference a teammate
  // deleted meanwhile, and a prop or clip (no bible role; an old or hostile client's entry).
  const problems = () => [
    ...Object.keys(bible())
      .filter((id) => !b.state.references.some((r) => r.id === id))
      .map((refId) => ({ refId, text: 'A bible entry names a reference that was deleted' })),
    ...b.state.references
      .filter((r) => r.id in bible() && !roleOf()(r, bible()[r.id]!))
      .map((r) => ({ refId: r.id, text: `${r.name} is a ${r.kind}, not a bible role (characters, locations, style, voices)` })),
  ];

  return (
    <section class="bible" aria-label="Continuity bible">
      <h3 class="bible-title">Continuity bible</h3>
      <p class="muted bible-help">
        Sent with every shot in reference or extend mode, unless the shot replaces or drops a role; voices are references whose files are all sound. Each shot's “Will send” shows the slot and prompt tag each file gets on its model.
        <Show when={!b.canEdit()}> You can read it; owners and editors change it.</Show>
      </p>
      <div class="bible-roles">
        <For each={BIBLE_ROLES}>
          {(role) => (
            <div class="bible-role" role="group" aria-label={`Bible ${ROLE_TITLES[role].toLowerCase()}`}>
              <h4>{ROLE_TITLES[role]}</h4>
              <ul class="bible-entries">
                <For each={entries(role)} fallback={<li class="muted">None</li>}>
                  {(ref) => (
                    <li data-bible-entry={ref.id}>
                      <span class="bible-name">{ref.name || 'Untitled'}</span>
                      <Show
                        when={b.canEdit()}
                        fallback={<span class="muted">{bible()[ref.id] ? `pinned: ${ref.versions.find((v) => v.id === bible()[ref.id])?.beat || 'untitled beat'}` : 'current'}</span>}
                      >
                        <select aria-label={`Bible version of ${ref.name}`} onChange={(e) => b.edit((doc) => setBibleEntry(doc, ref.id, e.currentTarget.value))}>
                          <option value="" selected={bible()[ref.id] === ''}>
                            current{ref.currentVersion ? ` (${ref.versions.find((v) => v.id === ref.currentVersion)?.beat ?? ''})` : ''}
                          </option>
                          <For each={ref.versions}>
                            {(v) => (
                              <option value={v.id} selected={bible()[ref.id] === v.id}>
                                pinned: {v.beat || 'untitled beat'}
                              </option>
                            )}
                          </For>
                        </select>
                        <button type="button" class="icon" aria-label={`Remove ${ref.name} from the bible`} onClick={() => b.edit((doc) => removeBibleEntry(doc, ref.id))}>
                          ✕
                        </button>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
              <Show when={b.canEdit()}>
                <select
                  aria-label={`Add to bible ${ROLE_TITLES[role].toLowerCase()}`}
                  disabled={candidates(role).length === 0}
                  onChange={(e) => {
                    const id = e.currentTarget.value;
                    if (id) b.edit((doc) => setBibleEntry(doc, id));
                    e.currentTarget.value = '';
                  }}
                >
                  <option value="">{candidates(role).length === 0 ? `No other ${ROLE_TITLES[role].toLowerCase()}` : `Add ${ROLE_TITLES[role].toLowerCase()}…`}</option>
                  <For each={candidates(role)}>{(r) => <option value={r.id}>{r.name || 'Untitled'}</option>}</For>
                </select>
              </Show>
            </div>
          )}
        </For>
      </div>
      <Show when={problems().length > 0}>
        <ul class="bible-problems" aria-label="Bible entries that cannot be sent">
          <For each={problems()}>
            {(p) => (
              <li role="alert">
                {p.text}; it is sent with no shot.
                <Show when={b.canEdit()}>
                  {' '}
                  <button type="button" onClick={() => b.edit((doc) => removeBibleEntry(doc, p.refId))}>
                    Remove it
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
