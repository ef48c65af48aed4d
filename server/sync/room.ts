import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { validateTransaction } from '../../shared/doc/validate.js';
import type { CompactRequest, StoredDoc } from './storage.js';

export type Verdict = { ok: true; update: Uint8Array | null } | { ok: false; reason: string };

/**
 * One loaded board. `doc` holds exactly what is stored: the snapshot at `snapshotSeq` plus the
 * `logCount` log entries after it, the last being `lastSeq`; so a snapshot of it taken at any
 * moment is a valid compaction up to `lastSeq`. `shadow` runs ahead of it by the updates still
 * being written, and is where every incoming update is tried and validated before anything is
 * stored or relayed.
 *
 * An idle room sleeps: both documents go and the stored state is kept encoded (a small board's
 * ~10 kB instead of two Y.Docs of ~145 kB each). Sync answers come from the encoded state
 * (`stateVector`, `diff`); the first use of `doc` or `shadow` wakes it.
 */
export class Room<Conn> {
  #doc: Y.Doc | null = new Y.Doc({ gc: true });
  #shadow: Y.Doc | null = new Y.Doc({ gc: true });
  /** While asleep: what `doc` held, encoded. */
  #asleep: Uint8Array | null = null;
  /** Set on every use of the documents; the hub's idle sweep clears it. */
  touched = true;
  /** Presence lives on a document of its own, which never sleeps (Awareness only needs a client id). */
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
  readonly conns = new Set<Conn>();
  /** The board's asset ids, when the hub checks them (null: no check). */
  assetIds: Set<string> | null = null;
  /** Awareness client ids some connection speaks for. */
  readonly awarenessOwners = new Set<number>();
  /** Effective updates accepted into the shadow but not yet stored (or failed), in order. */
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

  /** The stored document (woken if asleep). */
  get doc(): Y.Doc {
    this.#wake();
    return this.#doc!;
  }

  /** The document updates are tried on (woken if asleep). */
  get shadow(): Y.Doc {
    this.#wake();
    return this.#shadow!;
  }

  get asleep(): boolean {
    return this.#asleep !== null;
  }

  #wake() {
    this.touched = true;
    const state = this.#asleep;
    if (!state) return;
    this.#asleep = null;
    this.#doc = new Y.Doc({ gc: true });
    Y.applyUpdate(this.#doc, state);
    this.#shadow = new Y.Doc({ gc: true });
    Y.applyUpdate(this.#shadow, state);
  }

  /**
   * Drops both documents, keeping the stored state encoded. Only with nothing in flight and no
   * compaction running: then the shadow equals the stored document, and nothing is lost.
   */
  sleep(): boolean {
    if (this.#asleep || !this.#doc || this.inflight.length > 0 || this.compaction) return false;
    this.#asleep = Y.encodeStateAsUpdate(this.#doc);
    this.#doc.destroy();
    this.#shadow!.destroy();
    this.#doc = this.#shadow = null;
    return true;
  }

  /** The stored document's state vector (sync step 1), without waking the room. */
  stateVector(): Uint8Array {
    return this.#asleep ? Y.encodeStateVectorFromUpdate(this.#asleep) : Y.encodeStateVector(this.#doc!);
  }

  /** What the stored document holds beyond state vector `sv` (sync step 2), without waking the room. */
  diff(sv: Uint8Array): Uint8Array {
    return this.#asleep ? Y.diffUpdate(this.#asleep, sv) : Y.encodeStateAsUpdate(this.#doc!, sv);
  }

  get storedBytes() {
    return this.snapshotBytes + this.logBytes;
  }

  /** Loads stored parts into both docs. */
  load(stored: StoredDoc) {
    this.doc.transact(() => {
      for (const p of stored.parts) Y.applyUpdate(this.doc, p);
    });
    this.resetShadow();
    this.snapshotSeq = stored.snapshotSeq;
    this.snapshotBytes = stored.snapshotBytes;
    this.lastSeq = stored.lastSeq;
    this.logCount = stored.logCount;
    this.logBytes = stored.bytes - stored.snapshotBytes;
  }

  /**
   * Tries an update on the shadow. Returns the *effective* update (only what was new: a
   * re-sent state yields null, so duplicates are neither stored nor relayed) or the reason it
   * was refused; on refusal the shadow is rebuilt, so nothing of the update remains.
   */
  tryUpdate(apply: (shadow: Y.Doc, origin: object) => void, role: 'client' | 'server'): Verdict {
    const origin = {};
    let verdict: { ok: true } | { ok: false; reason: string } = { ok: true };
    let effective: Uint8Array | null = null;
    const known = this.assetIds;
    const opts = role === 'client' && known ? { role, assetKnown: (id: string) => known.has(id) } : { role };
    const onAfter = (tr: Y.Transaction) => {
      if (tr.origin !== origin || !verdict.ok) return;
      verdict = validateTransaction(shadow, tr, opts);
    };
    const onUpdate = (u: Uint8Array, o: unknown) => {
      if (o === origin) effective = effective ? Y.mergeUpdates([effective, u]) : u;
    };
    const shadow = this.shadow;
    shadow.on('afterTransaction', onAfter);
    shadow.on('update', onUpdate);
    try {
      apply(shadow, origin);
    } catch (err) {
      verdict = { ok: false, reason: `the update could not be decoded (${err instanceof Error ? err.message : 'error'})` };
    } finally {
      shadow.off('afterTransaction', onAfter);
      shadow.off('update', onUpdate);
    }
    if (!verdict.ok) {
      this.resetShadow();
      return verdict;
    }
    if (effective) this.inflight.push(effective);
    return { ok: true, update: effective };
  }

  /** Applies a stored update (log entry `seq`) to the real document. */
  commit(update: Uint8Array, seq: number) {
    this.settle(update);
    // No 'update' listener on `doc`: Yjs then skips re-encoding what we already hold as bytes.
    Y.applyUpdate(this.doc, update);
    this.lastSeq = seq;
    this.logCount += 1;
    this.logBytes += update.byteLength;
  }

  /**
   * An update another instance stored: into both documents (the shadow too, or it would judge
   * later updates against a stale board). Counted in the log only when its seq is known.
   */
  applyRemote(update: Uint8Array, seq: number | null) {
    Y.applyUpdate(this.doc, update);
    Y.applyUpdate(this.shadow, update);
    if (seq !== null) {
      this.lastSeq = Math.max(this.lastSeq, seq);
      this.logCount += 1;
      this.logBytes += update.byteLength;
    }
  }

  /** After missing messages (a bus outage): what storage holds now, merged in; returns what was new. */
  catchUp(stored: StoredDoc): Uint8Array | null {
    const before = Y.encodeStateVector(this.doc);
    this.doc.transact(() => {
      for (const p of stored.parts) Y.applyUpdate(this.doc, p);
    });
    const diff = Y.encodeStateAsUpdate(this.doc, before);
    for (const p of stored.parts) Y.applyUpdate(this.shadow, p);
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
    return { snapshot: this.#asleep ?? Y.encodeStateAsUpdate(this.#doc!), baseSeq: this.snapshotSeq, uptoSeq: this.lastSeq, logCount: this.logCount };
  }

  /** A compaction from `req` committed; `foldedBytes` were the log's bytes when it was taken. */
  compacted(req: CompactRequest, foldedBytes: number) {
    this.snapshotSeq = req.uptoSeq;
    this.snapshotBytes = req.snapshot.byteLength;
    this.logCount -= req.logCount;
    this.logBytes -= foldedBytes;
  }

  resetShadow() {
    const doc = this.doc;
    this.#shadow!.destroy();
    const shadow = (this.#shadow = new Y.Doc({ gc: true }));
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(doc));
    for (const u of this.inflight) Y.applyUpdate(shadow, u);
  }

  destroy() {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.awareness.destroy();
    this.awareness.doc.destroy();
    this.#doc?.destroy();
    this.#shadow?.destroy();
  }
}
