import { createSignal, For, onCleanup, Show } from 'solid-js';
import { createNow } from '../ui/clock';
import { initials, localTime } from '../ui/format';
import { useBoard } from './board-context';
import { peerLabel, type Peer } from './presence';

/** Avatars shown before the rest fold into "+N". */
const SHOWN = 4;

/**
 * Who is here: an avatar per teammate in their colour (names on hover), "+N" past four, and a
 * list of everyone (name, city, local time, what they are on) that a tap or click opens.
 */
export function PresenceBar() {
  const b = useBoard();
  const now = createNow(30_000);
  const [open, setOpen] = createSignal(false);
  // One avatar per person even with several tabs open; the tab with a focus wins.
  const people = () => {
    const byUser = new Map<string, Peer>();
    for (const p of b.presence.peers()) {
      if (p.userId === b.me.id) continue;
      const seen = byUser.get(p.userId);
      if (!seen || (!seen.focus && p.focus)) byUser.set(p.userId, p);
    }
    return [...byUser.values()];
  };
  const shotLabel = (id: string) => {
    const i = b.state.shots.findIndex((s) => s.id === id);
    if (i < 0) return undefined;
    const s = b.state.shots[i]!;
    return `shot ${i + 1}${s.title ? ` “${s.title}”` : ''}`;
  };
  const doing = (p: Peer) => {
    const editing = p.focus && shotLabel(p.focus.shotId);
    if (editing) return `editing ${editing}`;
    const viewing = p.selection && shotLabel(p.selection);
    return viewing ? `on ${viewing}` : 'viewing the board';
  };
  const status = (p: Peer) => {
    const t = localTime(p.tz, new Date(now()));
    return [t && `${t} local`, doing(p)].filter(Boolean).join(' · ');
  };
  const describe = (p: Peer) => `${peerLabel(p)} · ${status(p)}`;
  let root: HTMLDivElement | undefined;
  const outside = (e: PointerEvent) => open() && root && !root.contains(e.target as Node) && setOpen(false);
  document.addEventListener('pointerdown', outside);
  onCleanup(() => document.removeEventListener('pointerdown', outside));

  return (
    <Show when={people().length > 0}>
      <div class="presence" ref={root}>
        <button
          type="button"
          class="presence-stack"
          aria-expanded={open()}
          aria-label={`${people().length} ${people().length === 1 ? 'teammate' : 'teammates'} here: ${people().map((p) => p.name).join(', ')}`}
          onClick={() => {
            // On a phone the list spans the screen just under the avatars (styles.css).
            root?.style.setProperty('--below', `${Math.round(root.getBoundingClientRect().bottom + 6)}px`);
            setOpen(!open());
          }}
          onKeyDown={(e) => e.key === 'Escape' && open() && (e.stopPropagation(), setOpen(false))}
        >
          <For each={people().slice(0, SHOWN)}>
            {(p) => (
              <span class="avatar" style={{ '--c': p.color }} title={describe(p)} data-user={p.userId} data-color={p.color}>
                {initials(p.name)}
              </span>
            )}
          </For>
          <Show when={people().length > SHOWN}>
            <span class="avatar avatar-more" title={people().slice(SHOWN).map((p) => p.name).join(', ')}>
              +{people().length - SHOWN}
            </span>
          </Show>
        </button>
        <Show when={open()}>
          <ul class="presence-list" aria-label="People on this board">
            <For each={people()}>
              {(p) => (
                <li data-user={p.userId}>
                  <span class="avatar" style={{ '--c': p.color }} aria-hidden="true">
                    {initials(p.name)}
                  </span>
                  <span class="presence-who">
                    <strong>{peerLabel(p)}</strong>
                    <span class="muted">{status(p)}</span>
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </Show>
  );
}
