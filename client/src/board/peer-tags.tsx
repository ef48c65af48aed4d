import { For, Show } from 'solid-js';
import { useBoard } from './board-context';
import { peerLabel, type Peer } from './presence';

/** Teammates on one shot (it is open in their tab, or they are typing in it), one per person; focus wins. */
export function peersOnShot(peers: readonly Peer[], shotId: string, me: string): Peer[] {
  const byUser = new Map<string, Peer>();
  for (const p of peers) {
    if (p.userId === me || (p.selection !== shotId && p.focus?.shotId !== shotId)) continue;
    const seen = byUser.get(p.userId);
    if (!seen || (seen.focus?.shotId !== shotId && p.focus?.shotId === shotId)) byUser.set(p.userId, p);
  }
  return [...byUser.values()];
}

/** "Ana · Lisbon · in prompt" tags in each teammate's colour, for a shot row or the shot detail. */
export function PeerTags(props: { shotId: string; class?: string }) {
  const b = useBoard();
  const here = () => peersOnShot(b.presence.peers(), props.shotId, b.me.id);
  const text = (p: Peer) => (p.focus?.shotId === props.shotId && p.focus.field ? `${peerLabel(p)} · in ${p.focus.field}` : peerLabel(p));
  return (
    <Show when={here().length > 0}>
      <ul class={`peer-tags ${props.class ?? ''}`} aria-label="Teammates on this shot">
        <For each={here()}>
          {(p) => (
            <li class="peer-tag" style={{ '--c': p.color }} data-peer={p.userId} data-color={p.color} title={text(p)}>
              {text(p)}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
