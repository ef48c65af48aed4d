import type { Role } from '../../shared/api.js';
import { ARCHIVED_NOTICE, READ_ONLY_NOTICE } from '../../shared/sync.js';

/**
 * What a connection may do, whatever its phase: the role it acts with now, whether its board is
 * archived, and, once one of its edits was refused for its role, what it was told (its later
 * updates build on the refused one, so they are ignored too until the page reconnects).
 */
export interface Access {
  role: Role;
  archived: boolean;
  refused: string | null;
}

/**
 * A connection's life, one phase at a time (authentication happened before: the transport
 * admits a socket with its session's user and role):
 * - `loading`: its board is being loaded; what it sends waits, in order;
 * - `live`: synced and allowed to edit;
 * - `read-only`: synced, its edits refused with `reason` (viewer, archived, or refused once);
 * - `waiting`: an update of it waits on a lookup (the board's assets); what follows waits;
 * - `closed`: gone, with the code it was closed with (0: the transport closed it).
 */
export type ConnectionState =
  | ({ phase: 'loading' } & Access)
  | ({ phase: 'live' } & Access)
  | ({ phase: 'read-only'; reason: string } & Access)
  | ({ phase: 'waiting' } & Access)
  | { phase: 'closed'; code: number; reason: string };

export type ConnectionEvent =
  | { type: 'loaded' }
  | { type: 'role'; role: Role }
  | { type: 'archived'; archived: boolean }
  /** An edit past the role was refused; `reason` is what the sender was told. */
  | { type: 'refused'; reason: string }
  | { type: 'wait' }
  | { type: 'resume' }
  | { type: 'close'; code: number; reason: string };

export function initialState(role: Role, archived: boolean): ConnectionState {
  return { phase: 'loading', role, archived, refused: null };
}

/** Why edits from this access are refused, or null when it may edit. */
export function readOnlyReason(a: Access): string | null {
  if (a.refused !== null) return a.refused;
  if (a.archived) return ARCHIVED_NOTICE;
  if (a.role === 'viewer') return READ_ONLY_NOTICE;
  return null;
}

/** `live` or `read-only`, whichever the access allows. */
function synced(a: Access): ConnectionState {
  const access: Access = { role: a.role, archived: a.archived, refused: a.refused };
  const reason = readOnlyReason(access);
  return reason === null ? { phase: 'live', ...access } : { phase: 'read-only', reason, ...access };
}

/**
 * Every transition of a connection, in one place. A closed connection stays closed; an event
 * that does not apply to a phase leaves it as it is.
 */
export function transition(s: ConnectionState, e: ConnectionEvent): ConnectionState {
  if (s.phase === 'closed') return s;
  switch (e.type) {
    case 'close':
      return { phase: 'closed', code: e.code, reason: e.reason };
    case 'loaded':
      return s.phase === 'loading' ? synced(s) : s;
    case 'wait':
      return s.phase === 'live' || s.phase === 'read-only' ? { phase: 'waiting', role: s.role, archived: s.archived, refused: s.refused } : s;
    case 'resume':
      return s.phase === 'waiting' ? synced(s) : s;
    case 'role':
    case 'archived':
    case 'refused': {
      const access: Access = {
        role: e.type === 'role' ? e.role : s.role,
        archived: e.type === 'archived' ? e.archived : s.archived,
        refused: e.type === 'refused' ? (s.refused ?? e.reason) : s.refused,
      };
      // Phases that wait keep waiting, with the new access.
      return s.phase === 'loading' || s.phase === 'waiting' ? { phase: s.phase, ...access } : synced(access);
    }
  }
}

/** Whether messages are processed now (not queued, not dropped). */
export function isSynced(s: ConnectionState): s is Extract<ConnectionState, { phase: 'live' | 'read-only' }> {
  return s.phase === 'live' || s.phase === 'read-only';
}
