import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Role } from '../../shared/api.js';
import { DEFAULT_SYNC_LIMITS, isRoleRefusal, SYNC_CLOSE, type BoardNotice, type ChangedBy, type SyncLimits } from '../../shared/sync.js';
import { asConverter, convertLegacyTexts, rankLegacyReferences, recordRemoval, UNKNOWN_ASSET, type CommentView, type Removal } from '../../shared/doc/index.js';
import { formatBytes } from '../lib/bytes.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { createHistoryRecorder } from '../history/recorder.js';
import { encodeAwarenessUpdate, readAwarenessUpdate, type AwarenessEntry } from './awareness-codec.js';
import { createCompactor } from './compactor.js';
import { initialState, isSynced, readOnlyReason, transition, type ConnectionEvent, type ConnectionState } from './connection-state.js';
import { decodeEnvelope, encodeEnvelope } from './envelope.js';
import type { FanoutMessage } from './fanout.js';
import { createOutbox, presenceMessage } from './outbox.js';
import { presenceOf, sanitizeAwarenessState, type PresenceUser, type SyncUser } from './presence.js';
import { tokenBucket } from './rate-limit.js';
import { Room } from './room.js';
import type { AppendItem, DocStorage } from './storage.js';
import type { ShotChange } from '../history/shot-changes.js';
import { createWriteBuffer } from './write-buffer.js';

/** What the core needs from a transport: a peer it can write to and close. */
export interface SyncPeer {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued for this peer and not yet written to the network. */
  bufferedAmount(): number;
}

export interface HubConnection {
  /** Feed one received message. Safe to call before the board has loaded: messages wait. */
  receive(data: Uint8Array | string): void;
  /** The transport closed. */
  closed(): void;
}

/**
 * Other instances serving the same boards (the Redis adapter in hub.ts). The core tells them
 * what it stored and what its clients' presence is, and takes a lease before compacting; what
 * they tell it arrives through the core's `remote` and `resync`.
 */
export interface Cluster {
  publish(m: FanoutMessage): void;
  tryLease(key: string, ms: number): Promise<boolean>;
  /** Whether other instances may write these boards (a change refused here may build on theirs). */
  shared(): boolean;
}

/** A single instance: nobody to tell, every lease granted. */
export const ALONE: Cluster = { publish() {}, tryLease: async () => true, shared: () => false };

export interface SyncCoreOptions {
  storage: DocStorage;
  log: Logger;
  clock?: Clock;
  limits?: Partial<SyncLimits>;
  /** How long a board stays loaded after its last client leaves. */
  unloadGraceMs?: number;
  /**
   * A loaded board with no document activity for between one and two of these (ms) sleeps:
   * it keeps only its stored state, encoded, instead of a Y.Doc, and wakes on the next update.
   * Default 30 s; 0 never sleeps.
   */
  idleMs?: number;
  /**
   * Compaction starts when the log passes max(compactAfterBytes, snapshot size / 2) bytes (so
   * its cost stays proportional to what was written), or compactAfterUpdates entries (each is
   * a row to store and an update to apply on load). Defaults: 64 KB, 1,000.
   */
  compactAfterBytes?: number;
  compactAfterUpdates?: number;
  cluster?: Cluster;
  /**
   * The asset ids of a board. When given, a client may only point frames and reference versions
   * at its own board's assets; an unknown id triggers one fresh lookup (a teammate may have just
   * uploaded it, perhaps through another instance) before the update is refused.
   */
  assetIndex?: (boardId: string) => Promise<string[]>;
  /**
   * A client's accepted update created comments; called once it is stored (the notifications
   * capability tells the people mentioned and the thread's earlier commenters).
   */
  onComments?: (boardId: string, authorId: string, comments: CommentView[]) => void;
  /** A client's accepted update changed shot fields (the history's reading); called once it is stored (outgoing webhooks). */
  onShotChanges?: (boardId: string, userId: string, changes: readonly ShotChange[]) => void;
}

interface Conn {
  boardId: string;
  user: PresenceUser;
  peer: SyncPeer;
  /** The connection's phase and access; changed only through `move` (connection-state.ts). */
  state: ConnectionState;
  room: Room<Conn> | null;
  /** Messages received while loading or waiting, in order. */
  queue: Uint8Array[];
  queuedBytes: number;
  awarenessIds: Set<number>;
  updates: ReturnType<typeof tokenBucket>;
  awarenessRate: ReturnType<typeof tokenBucket>;
  /** Presence messages sent to this connection that it may echo back without being rate limited. */
  echoCredit: number;
}

/** A message as read off the wire (`parse`), before anything is done with it. */
type Incoming =
  | { kind: 'step1'; sv: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  /** `own`: the states this connection speaks for (null: more than it may); `echoed`: it also carried others'. */
  | { kind: 'awareness'; own: AwarenessEntry[] | null; echoed: boolean }
  | { kind: 'unknown'; reason: string };

const SERVER_ORIGIN = { server: true };
const SERVER = { role: 'server' } as const;
/** Origin of presence that came from another instance: relayed here, never sent back out. */
const REMOTE = 'remote';
/** At most this many unanswered presence messages are remembered as echo credit per connection. */
const MAX_ECHO_CREDIT = 1000;
/** How often text typed since it was last stored goes into the shot history (ms): by this timer only, never in an edit's relay path. */
const TYPING_STORE_MS = 1000;

/** When a board's update log is folded into its snapshot, unless the core is told otherwise. */
export const DEFAULT_COMPACTION = { afterBytes: 64 * 1024, afterUpdates: 1000 } as const;

/**
 * The board room core, transport-free: one Y.Doc per loaded board, y-protocols sync and
 * awareness, every update validated on the board's document, stored (group commit) before it
 * is relayed, and compacted in the background; idle boards sleep (see Room). It takes messages
 * from peers (`connect`) and other instances (`remote`), and sends to peers (SyncPeer), storage
 * (DocStorage) and other instances (Cluster): WebSocket and Redis are adapters around it.
 */
export function createSyncCore(opts: SyncCoreOptions) {
  const { storage, log } = opts;
  const clock = opts.clock ?? systemClock;
  const limits: SyncLimits = { ...DEFAULT_SYNC_LIMITS, ...opts.limits };
  const unloadGraceMs = opts.unloadGraceMs ?? 5000;
  const idleMs = opts.idleMs ?? 30_000;
  const cluster = opts.cluster ?? ALONE;

  const rooms = new Map<string, Promise<Room<Conn>>>();
  const loaded = new Map<string, Room<Conn>>();
  /** Boards whose previous room is still finishing (writes, a last compaction) before a reload. */
  const leaving = new Map<string, Promise<void>>();
  const connsPerUser = new Map<string, number>();
  /** Open connections per board, those still waiting for their board to load included. */
  const connsPerBoard = new Map<string, Set<Conn>>();
  /** Boards archived (read-only for all) among those with sockets open; set at admission and by setArchived. */
  const archivedBoards = new Set<string>();
  const writes = createWriteBuffer(storage);
  const compactor = createCompactor({
    storage,
    clock,
    log,
    lease: (key, ms) => cluster.tryLease(key, ms),
    afterBytes: opts.compactAfterBytes ?? DEFAULT_COMPACTION.afterBytes,
    afterUpdates: opts.compactAfterUpdates ?? DEFAULT_COMPACTION.afterUpdates,
  });
  /** Messages from other instances for boards being loaded: applied once the load is done (they are idempotent). */
  const early = new Map<string, FanoutMessage[]>();
  let closing = false;
  const idleSweep = idleMs > 0 ? setInterval(sleepIdleRooms, idleMs) : null;
  idleSweep?.unref?.();
  // Typing since its text was last stored: stored now (see history/recorder.ts).
  const typingSweep = setInterval(() => loaded.forEach(storeTyping), TYPING_STORE_MS);
  typingSweep.unref?.();

  /** The one place a connection changes phase or access. */
  function move(conn: Conn, e: ConnectionEvent) {
    conn.state = transition(conn.state, e);
  }

  /** Stores the text of history entries typed into since it was last stored (no document update). */
  function storeTyping(room: Room<Conn>) {
    if (!room.history || room.retired || room.deleted) return;
    for (const attributed of room.history.takeDirty()) {
      writes.push({
        boardId: room.boardId,
        update: null,
        attributed,
        stored: () => undefined,
        failed: (err) => log.warn('could not store shot history', { boardId: room.boardId, err }),
      });
    }
  }

  /** Rooms used since the previous sweep are spared; the others go to sleep. */
  function sleepIdleRooms() {
    for (const room of loaded.values()) {
      if (room.touched) room.touched = false;
      else room.sleep();
    }
  }

  /** What another instance told: applied to a loaded board, kept for one being loaded. */
  function remote(m: FanoutMessage) {
    const room = loaded.get(m.boardId);
    if (room) return applyRemote(room, m);
    if (rooms.has(m.boardId)) (early.get(m.boardId) ?? early.set(m.boardId, []).get(m.boardId)!).push(m);
  }

  /** Messages may have been missed (the bus was away): every loaded board takes what storage holds now. */
  function resync() {
    for (const room of loaded.values()) {
      storage.load(room.boardId).then(
        (stored) => {
          if (room.retired) return;
          const diff = room.catchUp(stored);
          if (diff) relay(room, diff, null);
        },
        (err) => log.warn('could not resync a board after a bus outage', { boardId: room.boardId, err }),
      );
    }
  }

  function applyRemote(room: Room<Conn>, m: FanoutMessage) {
    if (room.retired) return;
    try {
      if (m.kind === 'update') {
        room.applyRemote(m.update, m.seq);
        relay(room, m.update, null);
        compactor.maybe(room);
      } else {
        awarenessProtocol.applyAwarenessUpdate(room.awareness, m.update, REMOTE);
      }
    } catch (err) {
      log.warn('could not apply a fan-out message', { boardId: room.boardId, err: String(err) });
    }
  }

  function getRoom(boardId: string): Promise<Room<Conn>> {
    let p = rooms.get(boardId);
    if (!p) {
      p = (async () => {
        // A room that just left must be done with storage, or this one would load a state that
        // is about to change under it (and compare-and-set against a stale snapshot).
        await leaving.get(boardId);
        const room = new Room<Conn>(boardId);
        room.history = createHistoryRecorder(() => clock.now());
        if (opts.assetIndex) room.assetIds = new Set(await opts.assetIndex(boardId));
        room.load(await storage.load(boardId));
        wireRoom(room);
        loaded.set(boardId, room);
        for (const m of early.get(boardId) ?? []) applyRemote(room, m);
        early.delete(boardId);
        await convertOnLoad(room);
        return room;
      })();
      rooms.set(boardId, p);
      p.catch(() => rooms.delete(boardId));
    }
    return p;
  }

  /**
   * A board stored before titles, names, beats and camera were shared text gets them converted
   * (shared/doc/texts.ts), and reference cards without an order get one (reference-order.ts),
   * before anyone is served: validated, stored and relayed like any server
   * write, so clients sync the converted board and an outdated client's string is refused.
   * Nothing is written when there is nothing to convert; the conversion is deterministic, so
   * another instance converting the same board at once writes the very same update.
   */
  async function convertOnLoad(room: Room<Conn>) {
    const verdict = room.tryUpdate(
      (doc, origin) =>
        doc.transact(() => {
          convertLegacyTexts(doc);
          // Reference cards from before they had an order keep the order they showed in (by name).
          asConverter(doc, () => rankLegacyReferences(doc));
        }, origin),
      SERVER,
    );
    if (!verdict.ok) return log.warn('could not convert the text fields of a stored board', { boardId: room.boardId, reason: verdict.reason });
    if (!verdict.update) return;
    await persistNow(room, verdict.update);
    log.info('converted the text fields of a stored board', { boardId: room.boardId });
  }

  /** Takes a room out of service; `finish` runs before the board can load again. */
  function retire(room: Room<Conn>, finish: () => Promise<void>) {
    room.retired = true;
    if (loaded.get(room.boardId) === room) {
      rooms.delete(room.boardId);
      loaded.delete(room.boardId);
    }
    const done = finish()
      .catch((err) => log.warn('a board did not unload cleanly', { boardId: room.boardId, err }))
      .finally(() => {
        room.destroy();
        if (leaving.get(room.boardId) === done) leaving.delete(room.boardId);
      });
    leaving.set(room.boardId, done);
  }

  const outbox = createOutbox<Conn>({
    send,
    sendPresence,
    publishPresence: (boardId, update) => cluster.publish({ kind: 'awareness', boardId, update }),
  });
  const relay = outbox.relay;

  function wireRoom(room: Room<Conn>) {
    room.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      outbox.presenceChanged(room, [...added, ...updated, ...removed], origin !== REMOTE);
    });
  }

  /**
   * The stock client re-sends every presence change it receives, teammates' included: each
   * presence message sent earns the connection one echo that does not count as its own.
   */
  function sendPresence(conn: Conn, msg: Uint8Array) {
    conn.echoCredit = Math.min(MAX_ECHO_CREDIT, conn.echoCredit + 1);
    send(conn, msg);
  }

  function send(conn: Conn, msg: Uint8Array) {
    if (conn.state.phase === 'closed') return;
    if (conn.peer.bufferedAmount() > limits.maxBufferedBytes) {
      return drop(conn, SYNC_CLOSE.slowReader, 'too slow to read updates; reconnect to resync');
    }
    try {
      conn.peer.send(msg);
    } catch (err) {
      log.debug('send failed', { err });
      drop(conn, SYNC_CLOSE.slowReader, 'send failed');
    }
  }

  /** Closes a connection from this side: detached, then its transport told why. */
  function drop(conn: Conn, code: number, reason: string) {
    if (conn.state.phase === 'closed') return;
    detach(conn, code, reason);
    try {
      conn.peer.close(code, reason);
    } catch {
      // the transport is already gone
    }
  }

  function detach(conn: Conn, code = 0, reason = 'the transport closed') {
    if (conn.state.phase === 'closed') return;
    move(conn, { type: 'close', code, reason });
    connsPerUser.set(conn.user.id, (connsPerUser.get(conn.user.id) ?? 1) - 1);
    const onBoard = connsPerBoard.get(conn.boardId);
    onBoard?.delete(conn);
    if (onBoard?.size === 0) {
      connsPerBoard.delete(conn.boardId);
      archivedBoards.delete(conn.boardId);
    }
    const room = conn.room;
    if (!room) return;
    room.conns.delete(conn);
    if (conn.awarenessIds.size > 0) {
      for (const id of conn.awarenessIds) room.awarenessOwners.delete(id);
      awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.awarenessIds], 'disconnect');
    }
    if (room.conns.size === 0) scheduleUnload(room);
  }

  function scheduleUnload(room: Room<Conn>) {
    if (closing) return;
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    room.unloadTimer = setTimeout(() => void unload(room), unloadGraceMs);
    room.unloadTimer.unref?.();
  }

  function unload(room: Room<Conn>) {
    room.unloadTimer = null;
    if (room.conns.size > 0 || loaded.get(room.boardId) !== room) return;
    // Never while a write is in flight: its commit would land in a destroyed document.
    if (room.inflight.length > 0) return scheduleUnload(room);
    storeTyping(room);
    // Fold the log in on the way out, so the next load is one snapshot.
    retire(room, async () => {
      await room.compaction;
      if (room.logCount > 0 && !room.deleted) await compactor.compact(room, true);
    });
  }

  /**
   * Stores an accepted update (with what it changed on shots, by whom), then relays it: nothing
   * reaches another peer or instance before storage said it is durable.
   */
  function persist(room: Room<Conn>, update: Uint8Array, origin: unknown, done?: (err?: unknown) => void, attributed?: AppendItem['attributed']) {
    writes.push({
      boardId: room.boardId,
      update,
      ...(attributed ? { attributed } : {}),
      stored: (seq) => {
        if (room.deleted || room.retired) {
          room.settle(update);
          return done?.();
        }
        relay(room, update, origin);
        room.commit(update, seq);
        cluster.publish({ kind: 'update', boardId: room.boardId, seq, update });
        compactor.maybe(room);
        done?.();
      },
      failed: (err) => {
        room.settle(update);
        if (!room.retired && !room.deleted) {
          log.error('could not store a board update; its clients resync', { boardId: room.boardId, err });
          // The batch may have committed before the failure was seen (a writer that died after
          // COMMIT): the room no longer knows what storage holds, so it reloads from storage
          // once its other writes settle. The senders still hold their edits and re-send them
          // when they reconnect: nothing acknowledged is lost.
          for (const c of [...room.conns]) drop(c, SYNC_CLOSE.storageFailed, 'the server could not save; reconnecting');
          retire(room, async () => {
            await room.whenSettled();
            await room.compaction;
          });
        }
        done?.(err);
      },
      // After a failed write the room is retired: what its document accepted after that write
      // builds on it, and its senders re-send all of it when they reconnect.
      abandoned: () => room.retired,
    });
  }

  /** A server write, stored then relayed; resolves once stored. */
  function persistNow(room: Room<Conn>, update: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => persist(room, update, SERVER_ORIGIN, (err) => (err ? reject(err) : resolve())));
  }

  function handleUpdate(conn: Conn, room: Room<Conn>, update: Uint8Array, retried = false) {
    if (conn.state.phase === 'closed') return;
    const readOnly = readOnlyReason(conn.state);
    if (readOnly !== null) {
      if (!isEmptyUpdate(update)) refuseForRole(conn, readOnly);
      return;
    }
    if (!conn.updates.take()) return drop(conn, SYNC_CLOSE.rateLimited, 'too many updates per second');
    // What a client with nothing new sends (its sync step 2 after every reconnect): no work.
    if (isEmptyUpdate(update)) return;
    // Only this edit is refused: the board, its other editors and smaller edits carry on. What
    // was deleted since the last fold is not counted against it.
    const fits = () => room.documentBytes + update.byteLength <= limits.maxDocumentBytes;
    if (!fits() && (room.refold(), !fits())) {
      log.warn('refused an update past the board size cap', { boardId: room.boardId, userId: conn.user.id, documentBytes: room.documentBytes, updateBytes: update.byteLength });
      return drop(conn, SYNC_CLOSE.documentTooLarge, `this edit would take the board past its ${formatBytes(limits.maxDocumentBytes)} size limit`);
    }
    // Judged as the session's user with the role this socket acts with now (shared/doc/actor.ts).
    const writer = { role: 'client', actor: { userId: conn.user.id, role: conn.state.role } } as const;
    const verdict = room.tryUpdate((doc, origin) => Y.applyUpdate(doc, update, origin), writer);
    if (!verdict.ok && !retried && opts.assetIndex && verdict.reason.includes(UNKNOWN_ASSET)) {
      move(conn, { type: 'wait' });
      opts
        .assetIndex(room.boardId)
        .then((ids) => {
          room.assetIds = new Set(ids);
        })
        .catch((err) => log.warn('could not look up board assets', { boardId: room.boardId, err }))
        .finally(() => {
          move(conn, { type: 'resume' });
          if (conn.state.phase === 'closed' || room.retired) return;
          handleUpdate(conn, room, update, true);
          drain(conn);
        });
      return;
    }
    if (!verdict.ok && isRoleRefusal(verdict.reason)) return refuseForRole(conn, verdict.reason);
    if (!verdict.ok) {
      log.info('refused a board update', { boardId: room.boardId, userId: conn.user.id, reason: verdict.reason });
      return drop(conn, SYNC_CLOSE.schemaViolation, truncate(verdict.reason));
    }
    const { comments, changes } = verdict;
    const stored = (err?: unknown) => {
      if (err !== undefined) return;
      if (comments) opts.onComments?.(room.boardId, conn.user.id, comments);
      if (changes) opts.onShotChanges?.(room.boardId, conn.user.id, changes);
    };
    if (verdict.update) persist(room, verdict.update, conn, stored, verdict.changes && { userId: conn.user.id, changes: verdict.changes });
    if (verdict.removals) recordOwnerRemovals(room.boardId, verdict.removals);
  }

  /**
   * An owner deleted teammates' comments: the board keeps a record of each (who, when, whose),
   * written by the server after the deletion in one change, through the same validate → store →
   * relay path.
   */
  function recordOwnerRemovals(boardId: string, removals: readonly Removal[]) {
    const keys = removals.map((r) => r.key);
    change(boardId, (doc) => removals.forEach((r) => recordRemoval(doc, r)))
      .then(() => log.info('recorded removals by a board owner', { boardId, keys, by: removals[0]?.by }))
      .catch((err) => log.warn('could not record removals by a board owner', { boardId, keys, err }));
  }

  /** Applies a server-side change (takes, stale marks) through the same store-then-relay path. */
  async function change(boardId: string, fn: (doc: Y.Doc) => void): Promise<void> {
    const room = await getRoom(boardId);
    let verdict = room.tryUpdate((doc, origin) => doc.transact(() => fn(doc), origin), SERVER);
    if (!verdict.ok && cluster.shared()) {
      // Another instance may have stored what this change builds on (a shot, a queued take)
      // and its fan-out has not arrived yet: take what storage holds and try once more.
      const diff = room.catchUp(await storage.load(boardId));
      if (diff) relay(room, diff, null);
      verdict = room.tryUpdate((doc, origin) => doc.transact(() => fn(doc), origin), SERVER);
    }
    if (!verdict.ok) throw new Error(`server change refused: ${verdict.reason}`);
    if (!verdict.update) return;
    await persistNow(room, verdict.update);
    if (room.conns.size === 0) scheduleUnload(room);
  }

  /**
   * Presence from a connection: only the states it speaks for are applied. A connection speaks
   * for the client ids of its first presence message (its own tab); the stock client also
   * echoes teammates' states back, which `parse` passed over (`echoed`).
   */
  function handleAwareness(conn: Conn, room: Room<Conn>, own: AwarenessEntry[] | null, echoed: boolean) {
    if (own === null) return drop(conn, SYNC_CLOSE.rateLimited, 'too many presence ids');
    if (conn.awarenessIds.size === 0) {
      for (const e of own) {
        conn.awarenessIds.add(e.clientId);
        room.awarenessOwners.add(e.clientId);
      }
    }
    // An echo of teammates' presence is ignored and, up to what this connection was sent, not
    // counted: otherwise one busy (or hostile) teammate would get everyone else rate limited.
    if (own.length === 0 && echoed && conn.echoCredit > 0) {
      conn.echoCredit--;
      return;
    }
    if (!conn.awarenessRate.take()) return drop(conn, SYNC_CLOSE.rateLimited, 'too many presence messages per second');
    for (const e of own) {
      if (e.json.length > limits.maxAwarenessStateBytes) return drop(conn, SYNC_CLOSE.messageTooLarge, 'presence state too large');
      const json = sanitizeAwarenessState(e.json, conn.user);
      if (json === null) return drop(conn, SYNC_CLOSE.malformed, 'presence state is not a JSON object');
      e.json = json;
    }
    if (own.length > 0) awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwarenessUpdate(own), conn);
  }

  /**
   * Reads a message off the wire, doing nothing else: whatever throws here is the sender's
   * fault (bytes that are not the protocol). Presence keeps only the states the connection may
   * speak for: on its first message, ids nobody owns yet (its own tab); later, the ids it claimed.
   */
  function parse(conn: Conn, room: Room<Conn>, data: Uint8Array): Incoming {
    const m = decodeEnvelope(data);
    switch (m.kind) {
      case 'step1':
        return { kind: 'step1', sv: m.stateVector };
      case 'step2':
      case 'update':
        return { kind: 'update', update: m.update };
      case 'awareness': {
        const claiming = conn.awarenessIds.size === 0;
        let echoed = false;
        const keep = (id: number) => {
          const mine = claiming ? !room.awarenessOwners.has(id) : conn.awarenessIds.has(id);
          if (!mine) echoed = true;
          return mine;
        };
        const own = readAwarenessUpdate(m.update, keep, limits.maxAwarenessClientsPerConnection);
        return { kind: 'awareness', own, echoed };
      }
      case 'unknown':
        return m;
      default:
        return { kind: 'unknown', reason: `a client does not send ${m.kind} messages` };
    }
  }

  /** Acts on a well-formed message: what throws here is the server's fault, not the sender's. */
  function handleMessage(conn: Conn, room: Room<Conn>, m: Incoming) {
    if (m.kind === 'step1') send(conn, encodeEnvelope({ kind: 'step2', update: room.diff(m.sv) }));
    else if (m.kind === 'update') handleUpdate(conn, room, m.update);
    else if (m.kind === 'awareness') handleAwareness(conn, room, m.own, m.echoed);
    else drop(conn, SYNC_CLOSE.malformed, m.reason);
  }

  /**
   * A message that cannot be read closes the socket as malformed (4400: the stock client does
   * not retry, and the session earns an offence). A failure while acting on a readable one is
   * the server's own: logged as an error and closed with a code the client retries after (4501),
   * so a server in trouble costs its clients a resync, never their connection for good.
   */
  function process(conn: Conn, data: Uint8Array) {
    const room = conn.room!;
    let m: Incoming;
    try {
      m = parse(conn, room, data);
    } catch (err) {
      log.info('malformed sync message', { boardId: room.boardId, userId: conn.user.id, err: String(err) });
      return drop(conn, SYNC_CLOSE.malformed, 'malformed message');
    }
    try {
      handleMessage(conn, room, m);
    } catch (err) {
      log.error('failed to handle a sync message; its client resyncs', { boardId: room.boardId, userId: conn.user.id, kind: m.kind, err });
      drop(conn, SYNC_CLOSE.serverError, 'the server failed on this message; reconnecting');
    }
  }

  /** Processes queued messages in order until the queue is empty or the connection waits again. */
  function drain(conn: Conn) {
    while (isSynced(conn.state) && conn.queue.length > 0) {
      const m = conn.queue.shift()!;
      conn.queuedBytes -= m.byteLength;
      process(conn, m);
    }
  }

  /**
   * An edit past the sender's role: nothing of it is applied or relayed; the sender is told once
   * (y-protocols "permission denied") and keeps reading the board.
   */
  function refuseForRole(conn: Conn, reason: string) {
    if (conn.state.phase === 'closed' || conn.state.refused !== null) return;
    move(conn, { type: 'refused', reason });
    log.info('refused an update past the sender’s role', { boardId: conn.boardId, userId: conn.user.id, role: conn.state.role, reason });
    send(conn, encodeEnvelope({ kind: 'denied', reason }));
  }

  /** A membership notice (shared/sync.ts BoardNotice) on the board's live channel. */
  function notify(conn: Conn, notice: BoardNotice) {
    send(conn, encodeEnvelope({ kind: 'notice', notice }));
  }

  /** Records whether a board is archived, for every connection of it; true when that changed. */
  function markArchived(boardId: string, archived: boolean): boolean {
    if (archivedBoards.has(boardId) === archived) return false;
    if (archived) archivedBoards.add(boardId);
    else archivedBoards.delete(boardId);
    for (const c of connsPerBoard.get(boardId) ?? []) move(c, { type: 'archived', archived });
    return true;
  }

  /** Every socket of a board is told its member list changed (someone joined, left, changed role). */
  function membersChanged(boardId: string) {
    for (const c of connsPerBoard.get(boardId) ?? []) if (c.room) notify(c, { type: 'members' });
  }

  function greet(conn: Conn, room: Room<Conn>) {
    if (conn.state.phase === 'closed') return;
    notify(conn, { type: 'role', role: conn.state.role });
    notify(conn, { type: 'archived', archived: archivedBoards.has(conn.boardId) });
    send(conn, encodeEnvelope({ kind: 'step1', stateVector: room.stateVector() }));
    const states = [...room.awareness.getStates().keys()];
    if (states.length > 0) sendPresence(conn, presenceMessage(room.awareness, states));
  }

  return {
    /**
     * Attaches an authenticated peer to a board. Returns at once so the transport can feed
     * messages immediately; they are processed in order once the board is loaded.
     */
    connect(boardId: string, user: SyncUser, role: Role, peer: SyncPeer, access: { archived?: boolean } = {}): HubConnection {
      // What storage said at admission; greeted sockets learn it then, the others through setArchived.
      if (access.archived !== undefined) markArchived(boardId, access.archived);
      const conn: Conn = {
        boardId,
        user: presenceOf(user),
        peer,
        state: initialState(role, archivedBoards.has(boardId)),
        room: null,
        queue: [],
        queuedBytes: 0,
        awarenessIds: new Set(),
        updates: tokenBucket(clock, limits.updatesPerSecond, limits.updateBurst),
        awarenessRate: tokenBucket(clock, limits.awarenessPerSecond, limits.awarenessBurst),
        echoCredit: 0,
      };
      const count = (connsPerUser.get(user.id) ?? 0) + 1;
      connsPerUser.set(user.id, count);
      if (!connsPerBoard.has(boardId)) connsPerBoard.set(boardId, new Set());
      connsPerBoard.get(boardId)!.add(conn);
      if (closing) drop(conn, SYNC_CLOSE.restarting, 'server restarting');
      else if (count > limits.maxConnectionsPerUser) {
        drop(conn, SYNC_CLOSE.tooManyConnections, `you already have ${limits.maxConnectionsPerUser} live board connections open, the most one account may hold; close other board tabs and reload this one`);
      } else {
        getRoom(boardId).then(
          (room) => {
            if (conn.state.phase === 'closed') return;
            if (room.unloadTimer) clearTimeout(room.unloadTimer);
            room.unloadTimer = null;
            conn.room = room;
            room.conns.add(conn);
            move(conn, { type: 'loaded' });
            greet(conn, room);
            drain(conn);
          },
          (err) => {
            log.error('could not load board document', { boardId, err });
            drop(conn, SYNC_CLOSE.storageFailed, 'the board could not be loaded');
          },
        );
      }
      return {
        receive(data) {
          if (conn.state.phase === 'closed') return;
          if (typeof data === 'string') return drop(conn, SYNC_CLOSE.malformed, 'text frames are not part of the protocol');
          if (data.byteLength > limits.maxMessageBytes) return drop(conn, SYNC_CLOSE.messageTooLarge, 'message too large');
          if (!isSynced(conn.state)) {
            conn.queuedBytes += data.byteLength;
            if (conn.queuedBytes > limits.maxMessageBytes * 2) return drop(conn, SYNC_CLOSE.rateLimited, 'too much sent while the board was loading');
            conn.queue.push(data);
            return;
          }
          process(conn, data);
        },
        closed() {
          detach(conn);
        },
      };
    },

    /** Applies a server-side change (takes, stale marks) through the same store-then-relay path. */
    change,

    /**
     * Reads a board (loading it if needed): what is stored plus accepted updates a few ms from
     * being stored (a failed write retires the room and its senders re-send them).
     */
    async read<T>(boardId: string, fn: (doc: Y.Doc) => T): Promise<T> {
      const room = await getRoom(boardId);
      if (room.conns.size === 0) scheduleUnload(room);
      return fn(room.doc);
    },

    /** Each member with a socket open on a board, and the role that socket acts with. */
    openMemberships(): { boardId: string; userId: string; role: Role }[] {
      const out = new Map<string, { boardId: string; userId: string; role: Role }>();
      for (const [boardId, conns] of connsPerBoard) {
        for (const c of conns) if (c.state.phase !== 'closed') out.set(`${boardId} ${c.user.id}`, { boardId, userId: c.user.id, role: c.state.role });
      }
      return [...out.values()];
    },

    /**
     * A member's role changed: their sockets act with it from the next message on (a viewer's
     * edits are refused, not relayed), are told (`by`: who changed it), and everyone's member
     * list refreshes.
     */
    setRole(boardId: string, userId: string, role: Role, by?: ChangedBy) {
      for (const c of connsPerBoard.get(boardId) ?? []) {
        if (c.user.id !== userId || c.state.phase === 'closed') continue;
        const changed = c.state.role !== role;
        move(c, { type: 'role', role });
        // Loaded sockets are told now; loading ones learn their role when greeted.
        if (changed && c.room) notify(c, { type: 'role', role, ...(by ? { by } : {}) });
      }
      membersChanged(boardId);
    },

    /**
     * The board was archived (or restored): read-only for every socket, whatever its role, and
     * every socket is told (roles are unchanged: an owner still sees how to restore it).
     */
    setArchived(boardId: string, archived: boolean) {
      if (!markArchived(boardId, archived)) return;
      for (const c of connsPerBoard.get(boardId) ?? []) if (c.room) notify(c, { type: 'archived', archived });
    },

    /** A member was removed (or left): their sockets are told by whom and closed; the rest refresh their list. */
    removeMember(boardId: string, userId: string, by?: ChangedBy) {
      for (const c of [...(connsPerBoard.get(boardId) ?? [])]) {
        if (c.user.id !== userId) continue;
        notify(c, { type: 'removed', ...(by ? { by } : {}) });
        drop(c, SYNC_CLOSE.removed, 'you were removed from this board');
      }
      membersChanged(boardId);
    },

    /** Someone joined: open boards show them. */
    memberAdded: membersChanged,

    async deleteBoard(boardId: string) {
      for (const c of [...(connsPerBoard.get(boardId) ?? [])]) drop(c, SYNC_CLOSE.boardDeleted, 'this board was deleted');
      const room = loaded.get(boardId);
      if (room) {
        room.deleted = true;
        retire(room, async () => {
          await room.whenSettled();
          await room.compaction;
        });
      }
      await writes.idle();
      await leaving.get(boardId);
      await storage.delete(boardId);
    },

    /** What another instance stored or its clients' presence (the cluster adapter calls it). */
    remote,
    /** After the cluster link was down: every loaded board catches up with storage. */
    resync,

    /** Waits until every accepted update is stored, and readable by others (a journal folded). */
    flush: async () => {
      await writes.idle();
      await storage.flush?.();
    },

    /**
     * Closes every socket with a reconnect-soon code after storing what was accepted, and waits
     * for running compactions. The storage itself is closed by whoever created it.
     */
    async close() {
      closing = true;
      if (idleSweep) clearInterval(idleSweep);
      clearInterval(typingSweep);
      loaded.forEach(storeTyping);
      await writes.idle();
      for (const room of loaded.values()) {
        for (const c of [...room.conns]) drop(c, SYNC_CLOSE.restarting, 'server restarting');
        if (room.unloadTimer) clearTimeout(room.unloadTimer);
      }
      // Other instances learn now that these people left, before the cluster link goes.
      outbox.flushPresence();
      await Promise.all([compactor.idle(), ...leaving.values()]);
      for (const room of loaded.values()) room.destroy();
      rooms.clear();
      loaded.clear();
    },

    stats() {
      let connections = 0;
      let asleep = 0;
      for (const r of loaded.values()) {
        connections += r.conns.size;
        if (r.asleep) asleep++;
      }
      return { boards: loaded.size, asleep, connections, pendingWrites: writes.pending, compactions: compactor.running };
    },

    /** For benchmarks: puts these loaded boards to sleep now, as the idle sweep would. */
    sleepNow(boardIds: string[]): number {
      let n = 0;
      for (const id of boardIds) if (loaded.get(id)?.sleep()) n++;
      return n;
    },

    /** For tests and benchmarks: compacts a loaded board now. */
    async compactNow(boardId: string) {
      const room = loaded.get(boardId);
      if (room) await compactor.compact(room, true);
    },
  };
}

export type SyncCore = ReturnType<typeof createSyncCore>;

/** An update with no structs and no deletions: what a client with nothing new sends. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}

function truncate(s: string): string {
  // WebSocket close reasons are capped at 123 bytes.
  return Buffer.byteLength(s) <= 120 ? s : Buffer.from(s).subarray(0, 117).toString() + '...';
}
