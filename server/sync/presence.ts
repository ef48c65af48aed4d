import type { Role } from '../../shared/api.js';

/** Who is on the other end of a socket, as the server knows it from the session. */
export interface SyncUser {
  id: string;
  name: string;
  city: string | null;
  /** Their colour slot on this board (colours.queries.ts); 0 when the caller has none. */
  slot?: number;
}

export interface PresenceUser extends Omit<SyncUser, 'slot'> {
  color: string;
}

/**
 * Twelve colours told apart at a glance, each dark enough for white initials and a label. Given
 * by slot (the order people came to the board), never by hashing ids: two people present on a
 * board of up to twelve never share one.
 */
export const PRESENCE_PALETTE = [
  '#d7263d', '#2e7d32', '#1e63d6', '#e65c00', '#8e24aa', '#00838f',
  '#455a64', '#795548', '#6b7a00', '#283593', '#8d1b1b', '#a66f00',
] as const;

/** A user's presence as teammates see it: their colour is their slot's. */
export function presenceOf(user: SyncUser): PresenceUser {
  const { slot = 0, ...who } = user;
  return { ...who, color: PRESENCE_PALETTE[slot % PRESENCE_PALETTE.length]! };
}

/** An IANA time zone name such as Europe/Berlin or America/Argentina/Buenos_Aires. */
const TIME_ZONE = /^[A-Za-z_]{1,32}(\/[A-Za-z0-9_+-]{1,32}){0,2}$/;

/**
 * Rewrites one client-sent awareness state: the `user` field always comes from the session (no
 * one can show up under a teammate's name), `focus` must be `{ shotId, field }` strings, `selection` a shot id, `tz` a time zone name.
 * Returns null when the state is not a JSON object at all.
 */
export function sanitizeAwarenessState(json: string, user: PresenceUser): string | null {
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    return null;
  }
  if (state === null) return 'null';
  if (typeof state !== 'object' || Array.isArray(state)) return null;
  const out: Record<string, unknown> = { ...(state as Record<string, unknown>), user };
  const focus = out.focus as { shotId?: unknown; field?: unknown } | undefined;
  if (focus !== undefined && focus !== null) {
    const ok = typeof focus === 'object' && typeof focus.shotId === 'string' && (focus.field === undefined || typeof focus.field === 'string');
    if (!ok) delete out.focus;
  }
  // The selected shot, and the time zone teammates derive a default city from: labels others read.
  if (out.selection !== undefined && out.selection !== null && !(typeof out.selection === 'string' && out.selection.length <= 64)) delete out.selection;
  if (out.tz !== undefined && !(typeof out.tz === 'string' && TIME_ZONE.test(out.tz))) delete out.tz;
  return JSON.stringify(out);
}

export type { Role };
