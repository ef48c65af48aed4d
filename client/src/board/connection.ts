/**
 * One live board: the Y.Doc, its offline copy (y-indexeddb), the y-websocket provider and the
 * connection state the UI shows. The only module that talks to y-websocket; everything above it
 * sees signals.
 */
import { createSignal, type Accessor } from 'solid-js';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as decoding from 'lib0/decoding';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import type { Awareness } from 'y-protocols/awareness';
import { BOARD_UPDATED } from '../../../shared/doc';
import type { Role } from '../../../shared/api';
import { parseBoardNotice, SYNC_CLOSE, SYNC_MESSAGE, type ChangedBy } from '../../../shared/sync';
import { deleteDb, offlineDbName } from './offline-store';

/** What the connection badge shows. */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'closed';

/** Why the server closed the socket for good (a 4400-4499 code), in words for the user. */
export interface TerminalClose {
  code: number;
  reason: string;
  /** True when logging in again is the fix. */
  needsLogin: boolean;
  /**
   * True when the server refused an edit because this page predates the board's current shape
   * (a plain string where shared text is kept now): reloading the page is the fix.
   */
  outdated: boolean;
}

export interface BoardConnectionOptions {
  boardId: string;
  userId: string;
  /** http(s) origin of the server; the socket goes to ws(s)://…/sync/:boardId. */
  origin: string;
  /** Keep an offline copy in IndexedDB (default true). */
  persist?: boolean;
  WebSocketImpl?: typeof WebSocket;
}

/** Close codes after which reconnecting might help even though they are in the 44xx range. */
const RETRYABLE = new Set<number>([SYNC_CLOSE.rateLimited]);

/** Opens a board: local copy first, then the server. */
export function createBoardConnection(opts: BoardConnectionOptions) {
  const doc = new Y.Doc();
  const dbName = offlineDbName(opts.userId, opts.boardId);
  const persistence = opts.persist === false ? null : new IndexeddbPersistence(dbName, doc);
  const provider = new WebsocketProvider(opts.origin.replace(/^http/, 'ws') + '/sync', opts.boardId, doc, {
    disableBc: true,
    maxBackoffTime: 5000,
    connect: navigator.onLine,
    shouldReconnect: (e) => RETRYABLE.has(e.code) || !(e.code >= 4400 && e.code < 4500),
    ...(opts.WebSocketImpl ? { WebSocketPolyfill: opts.WebSocketImpl } : {}),
  });

  const [status, setStatus] = createSignal<ConnectionStatus>(navigator.onLine ? 'connecting' : 'offline');
  const [pending, setPending] = createSignal(0);
  const [loaded, setLoaded] = createSignal(false);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [terminal, setTerminal] = createSignal<TerminalClose | null>(null);
  const [role, setRole] = createSignal<{ role: Role; by?: ChangedBy } | null>(null);
  const [removedBy, setRemovedBy] = createSignal<ChangedBy | null>(null);
  const [membersChanged, setMembersChanged] = createSignal(0);
  const [archived, setArchived] = createSignal<boolean | null>(null);
  let everSynced = false;

  const refresh = () => {
    if (terminal()) return setStatus('closed');
    if (!navigator.onLine || !provider.shouldConnect) return setStatus('offline');
    if (provider.wsconnected && provider.synced) return setStatus('online');
    setStatus(everSynced ? 'reconnecting' : 'connecting');
  };

  // Local edits made while the socket is down are "pending" until the server has asked for them:
  // its sync step 1 (state vector) makes the provider answer with everything the server lacks.
  const onUpdate = (_u: Uint8Array, origin: unknown) => {
    if (origin !== provider && origin !== persistence && !provider.wsconnected) setPending((n) => n + 1);
  };
  doc.on('update', onUpdate);
  const stockSync = provider.messageHandlers[SYNC_MESSAGE.sync]!;
  provider.messageHandlers[SYNC_MESSAGE.sync] = (encoder, decoder, p, emitSynced, type) => {
    const kind = decoding.readVarUint(decoding.clone(decoder));
    stockSync(encoder, decoder, p, emitSynced, type);
    if (kind === syncProtocol.messageYjsSyncStep1) queueMicrotask(() => setPending(0));
  };
  // The stock handler only logs "permission denied"; a viewer's UI should say it instead.
  provider.messageHandlers[SYNC_MESSAGE.auth] = (_enc, decoder, p) => {
    authProtocol.readAuthMessage(decoder, p.doc, (_d, reason) => setNotice(reason));
  };

  // Board notices: the board's live membership channel (shared/sync.ts BoardNotice).
  provider.messageHandlers[SYNC_MESSAGE.board] = (_enc, decoder) => {
    const notice = parseBoardNotice(decoding.readVarString(decoder));
    if (notice?.type === 'role') setRole({ role: notice.role, ...(notice.by ? { by: notice.by } : {}) });
    else if (notice?.type === 'removed') setRemovedBy(notice.by ?? null);
    else if (notice?.type === 'members') setMembersChanged((n) => n + 1);
    else if (notice?.type === 'archived') setArchived(notice.archived);
  };

  provider.on('status', refresh);
  provider.on('sync', (synced: boolean) => {
    if (synced) everSynced = true;
    refresh();
  });
  provider.on('closed', (e: { code: number; reason: string }) => {
    setTerminal({
      code: e.code,
      reason: e.reason,
      needsLogin: e.code === SYNC_CLOSE.unauthorized,
      outdated: e.code === SYNC_CLOSE.schemaViolation && e.reason.startsWith(BOARD_UPDATED),
    });
    refresh();
  });
  persistence?.whenSynced.then(() => setLoaded(true));
  provider.on('sync', (s: boolean) => s && setLoaded(true));

  // Chromium keeps a socket "open" for a while after the network drops; follow the browser's
  // own online/offline signal so the badge and pending count are honest at once.
  const goOffline = () => {
    provider.disconnect();
    refresh();
  };
  const goOnline = () => {
    if (!terminal()) provider.connect();
    refresh();
  };
  window.addEventListener('offline', goOffline);
  window.addEventListener('online', goOnline);

  return {
    boardId: opts.boardId,
    doc,
    awareness: provider.awareness as Awareness,
    status: status as Accessor<ConnectionStatus>,
    /** Local edits the server has not asked for yet. */
    pending: pending as Accessor<number>,
    /** True once the offline copy or the server has filled the document. */
    loaded: loaded as Accessor<boolean>,
    /** The last "permission denied" reason the server sent (e.g. READ_ONLY_NOTICE). */
    notice: notice as Accessor<string | null>,
    terminal: terminal as Accessor<TerminalClose | null>,
    /**
     * The role this connection acts with, as the server said (on connect and whenever it
     * changes; `by` names who changed it). Null until the server has said.
     */
    role: role as Accessor<{ role: Role; by?: ChangedBy } | null>,
    /** Who removed this user from the board (the socket then closes with SYNC_CLOSE.removed). */
    removedBy: removedBy as Accessor<ChangedBy | null>,
    /** Counts the server's "the member list changed" notices: read it to refetch on each. */
    membersChanged: membersChanged as Accessor<number>,
    /** Whether the server said the board is archived (null until it says: on connect and on every change). */
    archived: archived as Accessor<boolean | null>,
    /** Drops the offline copy (e.g. after the server refused an edit it holds) and disconnects. */
    async discardOfflineCopy() {
      provider.disconnect();
      await persistence?.destroy();
      await deleteDb(dbName);
    },
    dispose() {
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      doc.off('update', onUpdate);
      provider.destroy();
      void persistence?.destroy();
      doc.destroy();
    },
  };
}

export type BoardConnection = ReturnType<typeof createBoardConnection>;
