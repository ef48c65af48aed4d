import type { Role } from '../../shared/api.js';

/** Who is on the other end of a socket, as the server knows it from the session. */
export interface SyncUser {
  id: string;
  name: string;
  city: string | null;
}

export interface PresenceUser extends SyncUser {
  color: string;
}

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324', '#469990', '#800000'];

/** A stable colour per user, so a teammate has the same colour on every screen. */
export function presenceOf(user: SyncUser): PresenceUser {
  let h = 0;
  for (const ch of user.id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return { ...user, color: PALETTE[h % PALETTE.length]! };
}

/**
 * Rewrites one client-sent awareness state: the `user` field always comes from the session (no
 * one can show up under a teammate's name), and `focus` must be `{ shotId, field }` strings.
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
  return JSON.stringify(out);
}

export type { Role };
