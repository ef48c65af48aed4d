import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeEnvelope } from './envelope.js';

/** What the outbox needs of a room (server/sync/room.ts). */
export interface OutboxRoom<P> {
  readonly boardId: string;
  readonly conns: ReadonlySet<P>;
  readonly awareness: awarenessProtocol.Awareness;
  readonly retired: boolean;
}

export interface OutboxOptions<P> {
  send(peer: P, msg: Uint8Array): void;
  /** A presence message to a peer (the core counts it as echo credit). */
  sendPresence(peer: P, msg: Uint8Array): void;
  /** Presence of this instance's clients, for other instances. */
  publishPresence(boardId: string, update: Uint8Array): void;
}

/**
 * What goes out to a board's peers, batched. Stored updates leave at the end of the current
 * tick: a group commit stores many updates at once, and they go to each peer as one message,
 * not one per update (with many peers the sends, not the storing, are what costs). Presence
 * leaves once per turn of the event loop: every change of the turn in one message per peer.
 * Each presence message costs a send to everyone on the board and, since the stock client
 * echoes what it is sent, a message back from each: with one message per change, 500 people
 * reconnecting at once cost 250,000 of each, and a loaded server fell minutes behind. Batched,
 * the more changes arrive per turn (the busier the server), the fewer messages each.
 */
export function createOutbox<P>(opts: OutboxOptions<P>) {
  /** Updates stored (or received from other instances) in the current tick, per room, in order. */
  const updates = new Map<OutboxRoom<P>, { updates: Uint8Array[]; origins: unknown[] }>();
  /** Presence changes of the current turn, per room; `publish`: those to fan out (not from other instances). */
  const presence = new Map<OutboxRoom<P>, { changed: Set<number>; publish: Set<number> }>();

  function flushUpdates() {
    const boxes = [...updates];
    updates.clear();
    for (const [room, box] of boxes) {
      // One update skips its sender. A merged batch goes to everyone: a sender finds its own
      // edits in it, which Yjs recognises and ignores; cheaper than a merge per peer.
      const except = box.updates.length === 1 ? box.origins[0] : null;
      if (room.conns.size === 0 || (room.conns.size === 1 && room.conns.has(except as P))) continue;
      const msg = encodeEnvelope({ kind: 'update', update: box.updates.length === 1 ? box.updates[0]! : Y.mergeUpdates(box.updates) });
      for (const c of room.conns) if (c !== except) opts.send(c, msg);
    }
  }

  function flushPresence() {
    const boxes = [...presence];
    presence.clear();
    for (const [room, { changed, publish }] of boxes) {
      if (room.retired) continue;
      const msg = presenceMessage(room.awareness, [...changed]);
      for (const c of room.conns) opts.sendPresence(c, msg);
      if (publish.size > 0) opts.publishPresence(room.boardId, awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...publish]));
    }
  }

  return {
    /** A stored update for every peer of the room but `origin` (its sender), at the end of this tick. */
    relay(room: OutboxRoom<P>, update: Uint8Array, origin: unknown) {
      let box = updates.get(room);
      if (!box) {
        if (updates.size === 0) queueMicrotask(flushUpdates);
        box = { updates: [], origins: [] };
        updates.set(room, box);
      }
      box.updates.push(update);
      box.origins.push(origin);
    },
    /** Presence states `ids` of the room changed; `publish`: tell other instances too. */
    presenceChanged(room: OutboxRoom<P>, ids: number[], publish: boolean) {
      let box = presence.get(room);
      if (!box) {
        if (presence.size === 0) setImmediate(flushPresence);
        box = { changed: new Set(), publish: new Set() };
        presence.set(room, box);
      }
      for (const id of ids) {
        box.changed.add(id);
        if (publish) box.publish.add(id);
      }
    },
    /** Sends the presence of this turn now (on close, before the cluster link goes). */
    flushPresence,
  };
}

/** The presence states `clients` of an awareness, as one message. */
export function presenceMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return encodeEnvelope({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(awareness, clients) });
}
