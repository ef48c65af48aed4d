/**
 * Presence over the awareness protocol: who else is on the board, their city and time zone, the
 * shot they have open and the shot field they are in. The server fills `user` from the session
 * (name, city, colour); we publish only `selection`, `focus` and `tz` (the browser's IANA time
 * zone: teammates see each other's local time, and a city from it when none was given).
 */
import { createSignal, type Accessor } from 'solid-js';
import type { Awareness } from 'y-protocols/awareness';
import { browserTimeZone, cityOfZone } from '../ui/format';

export interface Focus {
  shotId: string;
  field: string;
}

/** One teammate's tab as the UI shows it. */
export interface Peer {
  clientId: number;
  userId: string;
  name: string;
  city: string | null;
  color: string;
  tz?: string;
  focus?: Focus;
  /** The shot they have open. */
  selection?: string;
}

/** "Ana · Lisbon": a teammate's name and city (the one they gave, else their time zone's). */
export function peerLabel(p: Pick<Peer, 'name' | 'city' | 'tz'>): string {
  const city = p.city ?? cityOfZone(p.tz);
  return city ? `${p.name} · ${city}` : p.name;
}


/** Watches awareness; returns peers (other tabs, not this one) and a focus setter. */
export function createPresence(awareness: Awareness) {
  const tz = browserTimeZone();
  awareness.setLocalState({ tz, focus: null, selection: null });
  const [peers, setPeers] = createSignal<Peer[]>([]);

  const update = () => {
    const out: Peer[] = [];
    awareness.getStates().forEach((state, clientId) => {
      if (clientId === awareness.clientID) return;
      const p = toPeer(clientId, state);
      if (p) out.push(p);
    });
    out.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
    setPeers(out);
  };
  awareness.on('change', update);
  update();

  let current: Focus | null = null;
  return {
    peers: peers as Accessor<Peer[]>,
    /** Publishes where this tab's keyboard focus is (null: nowhere on a shot). */
    setFocus(focus: Focus | null) {
      if (current?.shotId === focus?.shotId && current?.field === focus?.field) return;
      current = focus;
      awareness.setLocalStateField('focus', focus);
    },
    /** Publishes which shot this tab has open (null: none). */
    setSelection(shotId: string | null) {
      if ((awareness.getLocalState()?.selection ?? null) === shotId) return;
      awareness.setLocalStateField('selection', shotId);
    },
    dispose() {
      awareness.off('change', update);
      awareness.setLocalState(null);
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;

function toPeer(clientId: number, state: Record<string, unknown>): Peer | null {
  const user = state.user as { id?: unknown; name?: unknown; city?: unknown; color?: unknown } | undefined;
  if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') return null;
  const peer: Peer = {
    clientId,
    userId: user.id,
    name: user.name,
    city: typeof user.city === 'string' ? user.city : null,
    color: typeof user.color === 'string' ? user.color : '#888',
  };
  if (typeof state.tz === 'string') peer.tz = state.tz;
  if (typeof state.selection === 'string') peer.selection = state.selection;
  const f = state.focus as Partial<Focus> | null | undefined;
  if (f && typeof f.shotId === 'string') peer.focus = { shotId: f.shotId, field: typeof f.field === 'string' ? f.field : '' };
  return peer;
}
