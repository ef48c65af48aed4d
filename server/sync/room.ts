import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { validateTransaction, type ValidateOptions, type ValidationResult } from '../../shared/doc/validate.js';
import type { Actor, Removal } from '../../shared/doc/actor.js';
import { commentsAddedIn, type CommentView } from '../../shared/doc/comments.js';
import type { CompactRequest, StoredDoc } from './storage.js';
import type { HistoryRecorder } from '../history/recorder.js';
import type { ShotChange } from '../history/shot-changes.js';
import { slimDoc } from './slim-doc.js';

/** An update with nothing in it: the state of an empty document. */
const EMPTY_STATE = new Uint8Array([0, 0]);

/**
 * What every room's presence borrows from a document: Awareness reads only its client id (the
 * server's own, whose state stays null) and registers a destroy hook. One stand-in for all rooms,
 * instead of a whole Y.Doc per room (~2-3 kB each, never holding anything).
 */
const PRESENCE_HOST = { clientID: new Y.Doc().clientID, on: () => {} } as unknown as Y.Doc;

/**
 * `removals`: others' records a board owner deleted in the update, for the hub to record.
 * `comments`: the comments it created (whom to notify).
 * `changes`: what a client's update changed on shots, for the shot history.
 */
export type Verdict =
  | { ok: true; update: Uint8Array | null; removals?: Removal[]; comments?: CommentView[]; changes?: ShotChange[] }
  | { ok: false; reason: string };

/** Who writes: the server itself, or a client acting as a session's user (see shared/doc/actor.ts). */
export type Writer = { role: 'server' } | { role: 'client'; actor: Actor };

/**
 * One loaded board, held as one Y.Doc, `doc`: what is stored plus the accepted updates still
 * being written (`inflight`). Every incoming update is tried and validated on it before
 * anything is stored or relayed. What is stored (the snapshot at `snapshotSeq` plus the
 * `logCount` log entries after it, the last being `lastSeq`) is kept encoded beside it: a base
 * state and the updates stored since, folded into the base from time to time. Sync answers
 * and compaction snapshots come from that, so nobody is sent what is not yet stored.
 *
 * That encoded copy is only needed while something is in flight or may be refused (to rebuild
 * from): while the room is quiet (an idle-sweep interval without an edit in flight, and on load)
 * the document alone is what is stored, and the copy is dropped (`#base` null) until the next
 * client update encodes it again (one encode per quiet-to-busy change, not per edit).
 *
 * An idle room sleeps: the document goes and only the encoded state stays (a small board's
 * ~9 kB instead of a Y.Doc of ~110 kB). The first use of `doc` wakes it.
 */
export class Room<Conn> {
  #doc: Y.Doc | null = new Y.Doc({ gc: true });
  /**
   * The stored state: `#base` merged with `#stored` (updates stored after it, in order). Null
   * only while awake with nothing in flight: the document then is exactly what is stored.
   */
  #base: Uint8Array | null = EMPTY_STATE;
  /** The stored state's encoded size when `#base` is null (for the size cap). */
  #baseBytes = EMPTY_STATE.byteLength;
  #stored: Uint8Array[] = [];
  #storedBytes = 0;
  #touched = true;
  /** Presence lives apart from the document and never sleeps (Awareness only needs a client id). */
  readonly awareness = new awarenessProtocol.Awareness(PRESENCE_HOST);
  readonly conns = new Set<Conn>();
  /** Turns accepted client transactions into shot history entries (set by the hub). */
  history: HistoryRecorder | null = null;
  /** The board's asset ids, when the hub checks them (null: no check). */
  assetIds: Set<string> | null = null;
  /** Awareness client ids some connection speaks for. */
  readonly awarenessOwners = new Set<number>();
  /** Effective updates accepted into `doc` but not yet stored (or failed), in order. */
  readonly inflight: Uint8Array[] = [];
  snapshotSeq = 0;
  snapshotBytes = 0;
  lastSeq = 0;
  logCount = 0;
  logBytes = 0;
  /** The compaction being written, if any. */
  compaction: Promise<void> | null = null;
  /** No compaction is tried before this time (after one was refused or failed). */
  compactNotBefore = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  deleted = false;
  /** Out of step with storage after a failed write: no longer served, reloaded afresh. */
  retired = false;
  #settledWaiters: (() => void)[] = [];

  constructor(readonly boardId: string) {
    // The server speaks for nobody: only clients' states live in this awareness.
    this.awareness.setLocalState(null);
  }

  /**
   * The document's size, for its cap: the encoded stored state (base plus the updates since) and
   * what is being written. Kept as bytes, so it costs nothing per update; unlike `storedBytes`
   * it does not count log entries a compaction would fold away.
   */
  get documentBytes() {
    let bytes = (this.#base?.byteLength ?? this.#baseBytes) + this.#storedBytes;
    for (const u of this.inflight) bytes += u.byteLength;
    return bytes;
  }

  /** Set on every use of the document; the hub's idle sweep clears it once per interval. */
  get touched(): boolean {
    return this.#touched;
  }

  /** A sweep clearing it marks a quiet interval: the encoded copy goes if nothing needs it. */
  set touched(value: boolean) {
    this.#touched = value;
    if (!value) this.#dropCopy();
  }

  /** The board: stored state plus accepted updates being written (woken if asleep). */
  get doc(): Y.Doc {
    this.#touched = true;
    if (!this.#doc) {
      this.#doc = new Y.Doc({ gc: true });
      Y.applyUpdate(this.#doc, this.#base ?? EMPTY_STATE);
      slimDoc(this.#doc);
    }
    return this.#doc;
  }

  /** Whether the stored state is also held encoded now (for tests). */
  get hasEncodedCopy(): boolean {
    return this.#base !== null;
  }

  /** Stored updates kept apart from the encoded base until the next fold (for tests). */
  get storedApart(): number {
    return this.#stored.length;
  }

  get asleep(): boolean {
    return this.#doc === null;
  }

  /**
   * Drops the document, keeping the stored state encoded. Only with nothing in flight and no
   * compaction running: the document then is exactly what is stored.
   */
  sleep(): boolean {
    if (!this.#doc || this.inflight.length > 0 || this.compaction) return false;
    this.#fold();
    this.#doc.destroy();
    this.#doc = null;
    return true;
  }

  /**
   * Re-encodes the stored state now (when anything was stored since the last fold), so that
   * `documentBytes` stops counting what was deleted since. Costs one encode of the board: for
   * the rare edit that looks over the size cap, not for every update.
   */
  refold() {
    if (this.#base === null) {
      // Measured only: the copy stays dropped.
      this.#baseBytes = Y.encodeStateAsUpdate(this.#doc!).byteLength;
      this.#storedBytes = 0;
    } else if (this.#stored.length > 0) {
      this.#fold();
    }
  }

  /** What is stored, as one update. */
  storedState(): Uint8Array {
    if (this.#base === null || this.#stored.length > 0) this.#fold();
    return this.#base!;
  }

  /**
   * Folds the stored updates into the base: re-encoded from the document when it holds nothing
   * unstored (deleted content then collected), else merged as updates.
   */
  #fold() {
    this.#base = this.#doc && this.inflight.length === 0 ? Y.encodeStateAsUpdate(this.#doc) : Y.mergeUpdates([this.#base!, ...this.#stored]);
    this.#stored = [];
    this.#storedBytes = 0;
  }

  /**
   * Drops the encoded copy while the document alone is what is stored: awake, nothing in flight,
   * no compaction reading it. Its size is kept for the cap.
   */
  #dropCopy() {
    if (!this.#doc || this.#base === null || this.inflight.length > 0 || this.compaction) return;
    this.#baseBytes = this.documentBytes;
    this.#base = null;
    this.#stored = [];
    this.#storedBytes = 0;
  }

  /**
   * Keeps the stored updates few: folded once they are 256 and weigh half the base (or 1,024).
   * The fold re-encodes the whole board (2-4 ms for a busy one), so it runs on the next turn of
   * the event loop, after the update just stored has been relayed: folding here held that relay
   * up. Every 64 updates it was a tenth of the CPU of relaying edits at 50 clients' typing pace
   * (the sync bench's profile); kept apart, 256 small updates weigh a few tens of kB while a
   * board is busy, and a quiet board drops them with its copy. Only past 4,096 stored updates
   * (a loop that never gets a turn) does it fold at once.
   */
  #keepStored(update: Uint8Array) {
    this.#storedBytes += update.byteLength;
    // Without a copy the document already holds it (nothing is in flight then).
    if (this.#base === null) return;
    this.#stored.push(update);
    const n = this.#stored.length;
    if (n >= 4096) this.#fold();
    else if (n >= 256 && (n >= 1024 || this.#storedBytes * 2 >= this.#base.byteLength)) this.#foldSoon();
  }

  #foldScheduled = false;
  #destroyed = false;

  #foldSoon() {
    if (this.#foldScheduled) return;
    this.#foldScheduled = true;
    setImmediate(() => {
      this.#foldScheduled = false;
      // A sleep, a sync answer or a compaction may have folded meanwhile; a destroyed room is done.
      // With updates in flight the fold would merge updates instead of one encode: the next
      // stored update asks again.
      if (this.#base !== null && this.#stored.length > 0 && this.inflight.length === 0 && !this.#destroyed) this.#fold();
    });
  }

  /** The stored state vector (sync step 1), without waking the room. */
  stateVector(): Uint8Array {
    if (this.#doc && this.inflight.length === 0) return Y.encodeStateVector(this.#doc);
    return Y.encodeStateVectorFromUpdate(this.storedState());
  }

  /** What is stored beyond state vector `sv` (sync step 2), without waking the room. */
  diff(sv: Uint8Array): Uint8Array {
    if (this.#doc && this.inflight.length === 0) return Y.encodeStateAsUpdate(this.#doc, sv);
    return Y.diffUpdate(this.storedState(), sv);
  }

  /** Loads what storage holds. */
  load(stored: StoredDoc) {
    const doc = this.doc;
    doc.transact(() => {
      for (const p of stored.parts) Y.applyUpdate(doc, p);
    });
    slimDoc(doc);
    // The document is what is stored: no encoded copy until an update needs one.
    this.#base = null;
    this.#baseBytes = stored.bytes;
    this.#stored = [];
    this.#storedBytes = 0;
    this.snapshotSeq = stored.snapshotSeq;
    this.snapshotBytes = stored.snapshotBytes;
    this.lastSeq = stored.lastSeq;
    this.logCount = stored.logCount;
    this.logBytes = stored.bytes - stored.snapshotBytes;
  }

  /**
   * Tries an update on the document. Returns the *effective* update (only what was new: a
   * re-sent state yields null, so duplicates are neither stored nor relayed) or the reason it
   * was refused; on refusal the document is rebuilt, so nothing of the update remains.
   */
  tryUpdate(apply: (doc: Y.Doc, origin: object) => void, writer: Writer): Verdict {
    const origin = {};
    let verdict: ValidationResult = { ok: true };
    let effective: Uint8Array | null = null;
    let comments: CommentView[] = [];
    const known = this.assetIds;
    const opts: ValidateOptions = writer.role === 'client' && known ? { ...writer, assetKnown: (id: string) => known.has(id) } : writer;
    const doc = this.doc;
    // What is stored now, to rebuild from if this is refused and to serve while it is in flight.
    const hadCopy = this.#base !== null;
    if (!hadCopy) this.#fold();
    const changes: ShotChange[] = [];
    const onAfter = (tr: Y.Transaction) => {
      if (tr.origin !== origin || !verdict.ok) return;
      verdict = validateTransaction(doc, tr, opts);
      if (verdict.ok) comments = commentsAddedIn(doc, tr);
      // Read now: deleted text is still in the document until this transaction's cleanup.
      if (verdict.ok && writer.role === 'client' && this.history) changes.push(...this.history.record(tr, writer.actor.userId));
    };
    const onUpdate = (u: Uint8Array, o: unknown) => {
      if (o === origin) effective = effective ? Y.mergeUpdates([effective, u]) : u;
    };
    doc.on('afterTransaction', onAfter);
    doc.on('update', onUpdate);
    try {
      apply(doc, origin);
    } catch (err) {
      verdict = { ok: false, reason: `the update could not be decoded (${err instanceof Error ? err.message : 'error'})` };
    } finally {
      doc.off('afterTransaction', onAfter);
      doc.off('update', onUpdate);
    }
    if (!verdict.ok) {
      this.#rebuild();
      return verdict;
    }
    if (effective) this.inflight.push(effective);
    // Nothing new (a re-sent state, a load-time conversion with nothing to convert): the
    // document is still exactly what is stored, so the copy need not stay.
    else if (!hadCopy) this.#dropCopy();
    return {
      ok: true,
      update: effective,
      ...(verdict.removals ? { removals: verdict.removals } : {}),
      ...(comments.length > 0 ? { comments } : {}),
      ...(effective && changes.length > 0 ? { changes } : {}),
    };
  }

  /** An accepted update was stored as log entry `seq`. */
  commit(update: Uint8Array, seq: number) {
    this.settle(update);
    this.#keepStored(update);
    this.lastSeq = seq;
    this.logCount += 1;
    this.logBytes += update.byteLength;
  }

  /**
   * An update another instance stored: into the document (or later updates would be judged
   * against a stale board). Counted in the log only when its seq is known.
   */
  applyRemote(update: Uint8Array, seq: number | null) {
    Y.applyUpdate(this.doc, update);
    this.#keepStored(update);
    if (seq !== null) {
      this.lastSeq = Math.max(this.lastSeq, seq);
      this.logCount += 1;
      this.logBytes += update.byteLength;
    }
  }

  /** After missing messages (a bus outage): what storage holds now, merged in; returns what was new. */
  catchUp(stored: StoredDoc): Uint8Array | null {
    const doc = this.doc;
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      for (const p of stored.parts) Y.applyUpdate(doc, p);
    });
    // Only what storage had and this room did not: never the updates still in flight.
    const diff = Y.encodeStateAsUpdate(doc, before);
    for (const p of stored.parts) this.#keepStored(p);
    if (this.inflight.length === 0 && !this.compaction) {
      this.snapshotSeq = stored.snapshotSeq;
      this.snapshotBytes = stored.snapshotBytes;
      this.lastSeq = stored.lastSeq;
      this.logCount = stored.logCount;
      this.logBytes = stored.bytes - stored.snapshotBytes;
    }
    return diff.byteLength > 2 ? diff : null;
  }

  /** An inflight update was stored or failed: it no longer holds the room. */
  settle(update: Uint8Array) {
    const i = this.inflight[0] === update ? 0 : this.inflight.indexOf(update);
    if (i >= 0) this.inflight.splice(i, 1);
    if (this.inflight.length === 0) for (const w of this.#settledWaiters.splice(0)) w();
  }

  /** Resolves once no write of this room is pending. */
  whenSettled(): Promise<void> {
    if (this.inflight.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  /** What to store to fold the whole log into a snapshot, as of now. */
  snapshotRequest(): CompactRequest {
    return { snapshot: this.storedState(), baseSeq: this.snapshotSeq, uptoSeq: this.lastSeq, logCount: this.logCount };
  }

  /** A compaction from `req` committed; `foldedBytes` were the log's bytes when it was taken. */
  compacted(req: CompactRequest, foldedBytes: number) {
    this.snapshotSeq = req.uptoSeq;
    this.snapshotBytes = req.snapshot.byteLength;
    this.logCount -= req.logCount;
    this.logBytes -= foldedBytes;
  }

  /** After a refused update: the stored state plus what is in flight, afresh. */
  #rebuild() {
    const stored = Y.mergeUpdates([this.#base!, ...this.#stored]);
    this.#doc?.destroy();
    const doc = (this.#doc = new Y.Doc({ gc: true }));
    doc.transact(() => {
      Y.applyUpdate(doc, stored);
      for (const u of this.inflight) Y.applyUpdate(doc, u);
    });
    slimDoc(doc);
  }

  destroy() {
    this.#destroyed = true;
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.awareness.destroy();
    this.#doc?.destroy();
  }
}
