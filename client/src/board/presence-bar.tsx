import { For, Show } from 'solid-js';
import { createNow } from '../ui/clock';
import { initials, localTime } from '../ui/format';
import { useBoard } from './board-context';
import type { Peer } from './presence';

/** Avatars of everyone on the board (one per person), their city, local time and focused shot. */
export function PresenceBar() {
  const b = useBoard();
  const now = createNow(30_000);
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
  const describe = (p: Peer) => {
    const parts = [p.name];
    if (p.city) parts.push(p.city);
    const t = localTime(p.tz, new Date(now()));
    if (t) parts.push(`${t} local`);
    const shot = p.focus && shotLabel(p.focus.shotId);
    parts.push(shot ? `editing ${shot}` : 'viewing the board');
    return parts.join(' · ');
  };
  return (
    <ul class="presence" aria-label="People on this board">
      <For each={people()}>
        {(p) => (
          <li class="avatar" style={{ '--c': p.color }} title={describe(p)} aria-label={describe(p)} data-user={p.userId}>
            <span aria-hidden="true">{initials(p.name)}</span>
            <Show when={p.city}>
              <span class="avatar-city" aria-hidden="true">
                {p.city}
              </span>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}
