/**
 * Drives the transport-free sync core (server/sync/core.ts) with fake peers and a fake store:
 * no sockets, no database. The store keeps what it holds as a Y.Doc so that every peer can
 * check, at the moment it is sent an update, that the update is already stored (durable before
 * relay), and it can be told to fail at each of its crash points.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Role } from '../../shared/api.js';
import type { BoardNotice, SyncLimits } from '../../shared/sync.js';
import { createLogger } from '../../server/lib/log.js';
import { manualClock } from '../../server/lib/clock.js';
import { createSyncCore, type Cluster, type HubConnection, type SyncCoreOptions } from '../../server/sync/core.js';
import { decodeEnvelope, encodeEnvelope, type Envelope } from '../../server/sync/envelope.js';
import { createMemoryStorage } from '../../server/sync/memory-storage.js';
import type { AppendItem, CompactRequest, DocStorage } from '../../server/sync/storage.js';

/**
 * Where the fake store can fail: before anything commits (a crash before COMMIT), or after the
 * batch committed (a writer that died after COMMIT: stored, but reported failed). A write that
 * takes long is `holdAppends`.
 */
export type AppendFault = 'before-commit' | 'after-commit';
export type CompactFault = 'reject' | 'refuse' | 'after-commit';

export function fakeStore() {
  const inner = createMemoryStorage();
  /** Per board: everything durably stored, as one document. */
  const durable = new Map<string, Y.Doc>();
  const appendFaults: AppendFault[] = [];
  const compactFaults: CompactFault[] = [];
  let loadFault: Error | null = null;
  let loadGate: Promise<void> | null = null;
  let appendGate: { promise: Promise<void>; open(): void } | null = null;
  const calls = { append: 0, compact: 0, load: 0 };

  const docOf = (boardId: string) => durable.get(boardId) ?? durable.set(boardId, new Y.Doc()).get(boardId)!;
  const commit = async (items: AppendItem[]) => {
    const seqs = await inner.append(items);
    for (const it of items) if (it.update) Y.applyUpdate(docOf(it.boardId), it.update);
    return seqs;
  };

  const storage: DocStorage = {
    async load(boardId) {
      calls.load++;
      await loadGate;
      if (loadFault) {
        const err = loadFault;
        loadFault = null;
        throw err;
      }
      return inner.load(boardId);
    },
    async append(items) {
      calls.append++;
      await appendGate?.promise;
      const fault = appendFaults.shift();
      if (fault === 'before-commit') throw new Error('disk I/O error before COMMIT');
      const seqs = await commit(items);
      if (fault === 'after-commit') throw new Error('the writer died after COMMIT');
      return seqs;
    },
    async compact(boardId, req: CompactRequest) {
      calls.compact++;
      const fault = compactFaults.shift();
      if (fault === 'reject') throw new Error('disk full while compacting');
      if (fault === 'refuse') return { compacted: false, bytesAfter: 0 };
      const res = await inner.compact(boardId, req);
      if (fault === 'after-commit') throw new Error('the writer died after compacting');
      return res;
    },
    async delete(boardId) {
      durable.delete(boardId);
      await inner.delete(boardId);
    },
  };

  return {
    storage,
    calls,
    failAppend: (...f: AppendFault[]) => void appendFaults.push(...f),
    failCompact: (...f: CompactFault[]) => void compactFaults.push(...f),
    failLoad: (err = new Error('cannot read the database')) => void (loadFault = err),
    /** Appends wait until the returned function is called. */
    holdAppends() {
      let open!: () => void;
      const promise = new Promise<void>((r) => (open = r));
      appendGate = { promise, open };
      return () => {
        appendGate = null;
        open();
      };
    },
    holdLoads() {
      let open!: () => void;
      loadGate = new Promise<void>((r) => (open = r));
      return () => {
        loadGate = null;
        open();
      };
    },
    /** The document as stored now (snapshot plus log), read through the storage interface. */
    async stored(boardId: string) {
      const doc = new Y.Doc();
      for (const p of (await inner.load(boardId)).parts) Y.applyUpdate(doc, p);
      return doc;
    },
    raw: inner,
    /** True when every struct of `update` is already stored for `boardId`. */
    holds(boardId: string, update: Uint8Array): boolean {
      const have = Y.decodeStateVector(Y.encodeStateVector(docOf(boardId)));
      for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) if ((have.get(client) ?? 0) < clock) return false;
      return true;
    },
  };
}

export type FakeStore = ReturnType<typeof fakeStore>;

export function makeCore(opts: Partial<SyncCoreOptions> & { store?: FakeStore; limits?: Partial<SyncLimits>; cluster?: Cluster } = {}) {
  const store = opts.store ?? fakeStore();
  const clock = manualClock();
  const core = createSyncCore({ log: createLogger('silent'), clock, idleMs: 0, unloadGraceMs: 5, ...opts, storage: store.storage });
  return { core, store, clock };
}

export type Core = ReturnType<typeof makeCore>['core'];

/** One teammate's tab: a Y.Doc synced through the core, and everything the core sent it. */
export function tab(core: Core, store: FakeStore, boardId: string, userId: string, role: Role, access: { archived?: boolean } = {}) {
  const doc = new Y.Doc();
  const presence = new awarenessProtocol.Awareness(new Y.Doc());
  const received: Envelope[] = [];
  /** Updates this tab was sent that storage did not hold yet: must stay empty. */
  const unstoredRelays: Uint8Array[] = [];
  let buffered = 0;
  const peer = {
    closed: null as { code: number; reason: string } | null,
    send(data: Uint8Array) {
      const m = decodeEnvelope(data);
      if (m.kind === 'unknown') throw new Error(`the core sent an unreadable message: ${m.reason}`);
      received.push(m);
      if (m.kind === 'update' || m.kind === 'step2') {
        if (!store.holds(boardId, m.update)) unstoredRelays.push(m.update);
        Y.applyUpdate(doc, m.update, 'core');
      }
      if (m.kind === 'awareness') awarenessProtocol.applyAwarenessUpdate(presence, m.update, 'core');
    },
    close(code: number, reason: string) {
      peer.closed ??= { code, reason };
    },
    bufferedAmount: () => buffered,
  };
  const conn: HubConnection = core.connect(boardId, { id: userId, name: `Name ${userId}`, city: null }, role, peer, access);
  doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'core') conn.receive(encodeEnvelope({ kind: 'update', update: u }));
  });
  return {
    doc,
    peer,
    conn,
    received,
    unstoredRelays,
    presence,
    setBuffered: (n: number) => void (buffered = n),
    send: (e: Envelope) => conn.receive(encodeEnvelope(e)),
    /** Asks for what the board holds (sync step 1), as the stock client does on open. */
    sync: () => conn.receive(encodeEnvelope({ kind: 'step1', stateVector: Y.encodeStateVector(doc) })),
    sayPresence(state: Record<string, unknown>) {
      presence.setLocalState(state);
      conn.receive(encodeEnvelope({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID]) }));
    },
    notices: () => received.flatMap((m) => (m.kind === 'notice' ? [m.notice] : [])) as BoardNotice[],
    denials: () => received.flatMap((m) => (m.kind === 'denied' ? [m.reason] : [])),
    updates: () => received.filter((m) => m.kind === 'update').length,
  };
}

/** Lets queued microtasks, immediates and the group commit run (no wall-clock wait). */
export async function settle(core: Core, rounds = 3) {
  for (let i = 0; i < rounds; i++) {
    await core.flush();
    await new Promise((r) => setImmediate(r));
  }
}
