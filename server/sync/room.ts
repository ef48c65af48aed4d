import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { validateTransaction } from '../../shared/doc/validate.js';

export type Verdict = { ok: true; update: Uint8Array | null } | { ok: false; reason: string };

/**
 * One loaded board. `doc` holds exactly what is stored; `shadow` runs ahead of it by the
 * updates still being written, and is where every incoming update is tried and validated
 * before anything is stored or relayed.
 */
export class Room<Conn> {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Set<Conn>();
  /** Awareness client ids some connection speaks for. */
  readonly awarenessOwners = new Set<number>();
  shadow: Y.Doc;
  /** Effective updates accepted into the shadow but not yet stored, in order. */
  readonly inflight: Uint8Array[] = [];
  storedBytes = 0;
  logCount = 0;
  compacting = false;
  unloadTimer: NodeJS.Timeout | null = null;
  deleted = false;

  constructor(readonly boardId: string) {
    // The server speaks for nobody: only clients' states live in this awareness.
    this.awareness.setLocalState(null);
    this.shadow = new Y.Doc({ gc: true });
  }

  /** Loads stored parts into both docs. */
  load(parts: Uint8Array[], bytes: number, logCount: number) {
    this.doc.transact(() => {
      for (const p of parts) Y.applyUpdate(this.doc, p);
    });
    this.resetShadow();
    this.storedBytes = bytes;
    this.logCount = logCount;
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
    const onAfter = (tr: Y.Transaction) => {
      if (tr.origin !== origin || !verdict.ok) return;
      verdict = validateTransaction(this.shadow, tr, { role });
    };
    const onUpdate = (u: Uint8Array, o: unknown) => {
      if (o === origin) effective = effective ? Y.mergeUpdates([effective, u]) : u;
    };
    this.shadow.on('afterTransaction', onAfter);
    this.shadow.on('update', onUpdate);
    try {
      apply(this.shadow, origin);
    } catch (err) {
      verdict = { ok: false, reason: `the update could not be decoded (${err instanceof Error ? err.message : 'error'})` };
    } finally {
      this.shadow.off('afterTransaction', onAfter);
      this.shadow.off('update', onUpdate);
    }
    if (!verdict.ok) {
      this.resetShadow();
      return verdict;
    }
    if (effective) this.inflight.push(effective);
    return { ok: true, update: effective };
  }

  /** Applies a stored update to the real document; its 'update' event relays it. */
  commit(update: Uint8Array, origin: unknown) {
    const i = this.inflight.indexOf(update);
    if (i >= 0) this.inflight.splice(i, 1);
    Y.applyUpdate(this.doc, update, origin);
    this.storedBytes += update.byteLength;
    this.logCount += 1;
  }

  /** Drops an update that could not be stored, and everything the shadow built on it. */
  abandon(update: Uint8Array) {
    const i = this.inflight.indexOf(update);
    if (i >= 0) this.inflight.splice(i, 1);
    this.resetShadow();
  }

  resetShadow() {
    this.shadow.destroy();
    this.shadow = new Y.Doc({ gc: true });
    Y.applyUpdate(this.shadow, Y.encodeStateAsUpdate(this.doc));
    for (const u of this.inflight) Y.applyUpdate(this.shadow, u);
  }

  destroy() {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.awareness.destroy();
    this.doc.destroy();
    this.shadow.destroy();
  }
}

/** Folds stored parts into one compact update (deleted content garbage-collected). */
export function mergeParts(parts: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    for (const p of parts) Y.applyUpdate(doc, p);
  });
  const out = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return out;
}
