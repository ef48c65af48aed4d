/**
 * The live-sync wire contract shared by server and client: message types on the socket and
 * the close codes the server uses, so a client can tell "log in again" from "you were removed".
 */

import { ROLES, type Role } from './api.js';

/**
 * y-protocols message types. 2 (auth) carries "permission denied" notices to the client. 20 is
 * ours: board notices (JSON, `BoardNotice`), the board's live channel for membership (3 is the
 * stock y-websocket awareness query, so ours sits well clear of the stock numbers).
 */
export const SYNC_MESSAGE = { sync: 0, awareness: 1, auth: 2, board: 20 } as const;

/**
 * Close codes (4000-4999, application range). The stock y-websocket client does not reconnect
 * after a code in 4400-4499, so those mean "do not retry as is" (log in, you were removed, you
 * sent something wrong); 4500-4599 mean "reconnect and resync".
 */
export const SYNC_CLOSE = {
  /** A message could not be decoded or had an unknown type. */
  malformed: 4400,
  /** No valid session cookie: log in again. */
  unauthorized: 4401,
  /** The Origin header is not the app's own. */
  badOrigin: 4403,
  /** Not a member of this board (or no such board: the two are indistinguishable). */
  notFound: 4404,
  /** The member was removed from the board while connected. */
  removed: 4405,
  /** The board was deleted. */
  boardDeleted: 4410,
  /** A message was larger than the maximum message size. */
  messageTooLarge: 4413,
  /** The board document reached its size cap; no more updates are accepted. */
  documentTooLarge: 4414,
  /** A document update would break the board schema (e.g. a client writing takes). */
  schemaViolation: 4422,
  /** Too many messages per second. */
  rateLimited: 4429,
  /**
   * This user already holds the most board sockets one account may (MAX_SOCKETS_PER_USER); the
   * new one is refused and not retried (closing other tabs and reloading is the fix).
   */
  tooManyConnections: 4430,
  /** Storage failed to persist an update; reconnect and resync (the client still holds its edit). */
  storageFailed: 4500,
  /**
   * The server failed while acting on a well-formed message (its own fault, e.g. under
   * overload); reconnect and resync.
   */
  serverError: 4501,
  /** The server is shutting down; reconnect soon (to this or another instance). */
  restarting: 4503,
  /** The client did not read what we sent it fast enough; reconnect and resync. */
  slowReader: 4508,
} as const;
export type SyncCloseCode = (typeof SYNC_CLOSE)[keyof typeof SYNC_CLOSE];

/** Sync limits with their defaults; each can be overridden when the hub is created. */
export interface SyncLimits {
  maxMessageBytes: number;
  /** Document updates per second per connection (sustained) and burst. */
  updatesPerSecond: number;
  updateBurst: number;
  awarenessPerSecond: number;
  awarenessBurst: number;
  maxAwarenessStateBytes: number;
  /** Awareness client ids one connection may speak for (a tab is one). */
  maxAwarenessClientsPerConnection: number;
  maxConnectionsPerUser: number;
  /** Stored bytes (snapshot + log) past which updates to a board are refused. */
  maxDocumentBytes: number;
  /** Outgoing bytes queued on one socket past which it is disconnected as a slow reader. */
  maxBufferedBytes: number;
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  maxMessageBytes: 2 * 1024 * 1024,
  updatesPerSecond: 100,
  updateBurst: 500,
  awarenessPerSecond: 30,
  awarenessBurst: 60,
  maxAwarenessStateBytes: 16 * 1024,
  maxAwarenessClientsPerConnection: 4,
  maxConnectionsPerUser: 32,
  maxDocumentBytes: 64 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
};

/** The prefix of auth-message reasons telling a viewer their edit was refused. */
export const READ_ONLY_NOTICE = 'read-only: viewers cannot edit this board';
/** The refusal of an edit on an archived board (read-only for everyone until an owner restores it). */
export const ARCHIVED_NOTICE = 'read-only: this board is archived; its owner can restore it';

/**
 * The prefix of the auth-message reason telling a commenter an edit was refused because it went
 * past their role (anything but comments and approvals). The rest of the reason names the field.
 */
export const COMMENT_ONLY_NOTICE = 'comment-only: commenters can comment and approve, not edit';

/** Whether a "permission denied" reason says the sender's role does not allow the edit. */
export function isRoleRefusal(reason: string | null | undefined): boolean {
  return !!reason && (reason.startsWith(READ_ONLY_NOTICE) || reason.startsWith(COMMENT_ONLY_NOTICE) || reason.startsWith(ARCHIVED_NOTICE));
}

/** Who made a membership change, as the affected person is told. */
export interface ChangedBy {
  id: string;
  name: string;
}

/**
 * What the server tells the sockets of a board about its membership (SYNC_MESSAGE.board):
 * - `role`: the role this socket acts with, sent on connect and whenever it changes (`by` when a
 *   person changed it); the client's UI follows it;
 * - `removed`: this user was removed (the socket then closes with SYNC_CLOSE.removed);
 * - `members`: the member list changed (someone joined, left, or changed role): ask again;
 * - `archived`: whether the board is archived (read-only for everyone, roles unchanged); sent on
 *   connect and whenever it changes.
 */
export type BoardNotice =
  | { type: 'role'; role: Role; by?: ChangedBy }
  | { type: 'removed'; by?: ChangedBy }
  | { type: 'members' }
  | { type: 'archived'; archived: boolean };

/** Reads a board notice; null for anything that is not one (an older or newer server's). */
export function parseBoardNotice(json: string): BoardNotice | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const by = changedBy(o.by);
  const withBy = by ? { by } : {};
  if (o.type === 'members') return { type: 'members' };
  if (o.type === 'archived' && typeof o.archived === 'boolean') return { type: 'archived', archived: o.archived };
  if (o.type === 'removed') return { type: 'removed', ...withBy };
  if (o.type === 'role' && (ROLES as readonly unknown[]).includes(o.role)) return { type: 'role', role: o.role as Role, ...withBy };
  return null;
}

function changedBy(v: unknown): ChangedBy | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { id, name } = v as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string' ? { id, name } : undefined;
}
