/**
 * Undo and redo of this user's own edits on shots, references, assignments and board settings:
 * one Y.UndoManager per open board, tracking only LocalEdit origins (see local-edit.ts), so a
 * teammate's edits are never undone and an undo reaches everyone like any other edit.
 *
 * Takes (and the server's "keep anyway" record) are written by the server only. Undoing the
 * deletion of a shot that had takes would have this client write them back, which the server
 * refuses, leaving this browser out of step with everyone. Such steps are marked when they are
 * recorded and skipped (with a message) instead of undone. So are steps that would write back
 * a teammate's signature (a shot's `approvedBy`): the server lets nobody sign for another.
 */
import { createSignal, type Accessor } from 'solid-js';
import * as Y from 'yjs';
import { roots, SHOT, SHOT_SIGNATURES, shotKeyFamily } from '../../../shared/doc';
import { LocalEdit } from './local-edit';

const SKIPPED = 'skipped';
/** What the user is told when a step cannot be undone. */
export const SERVER_OWNED_MESSAGE = 'Skipped: that step would bring back a shot with takes, and only the server can write takes.';
export const SIGNED_BY_OTHER_MESSAGE = "Skipped: that step would bring back a teammate's approval, and only they can approve as themselves.";
const SIGNATURES = new Set(SHOT_SIGNATURES);

/** Keys of a shot whose content only the server writes: its takes and the keep-anyway record. */
const isServerKey = (key: string) => key === SHOT.staleAccepted || shotKeyFamily(key)?.family === 'take';

export interface Undo {
  canUndo: Accessor<boolean>;
  canRedo: Accessor<boolean>;
  /** Undoes the last step; returns a message when a step had to be skipped instead. */
  undo(): string | null;
  redo(): string | null;
  /** Ends the current step, so the next edit is undone on its own (discrete actions). */
  stopCapturing(): void;
  dispose(): void;
}

/** `userId`: this browser's user, whose own signatures an undo may bring back. */
export function createUndo(doc: Y.Doc, userId: string): Undo {
  const { shots, references, meta } = roots(doc);
  const manager = new Y.UndoManager([shots, references, meta], { trackedOrigins: new Set([LocalEdit]), captureTimeout: 600 });
  const [canUndo, setCanUndo] = createSignal(false);
  const [canRedo, setCanRedo] = createSignal(false);
  const refresh = () => {
    setCanUndo(manager.undoStack.length > 0);
    setCanRedo(manager.redoStack.length > 0);
  };
  manager.on('stack-item-added', refresh);
  manager.on('stack-item-popped', refresh);
  manager.on('stack-cleared', refresh);

  // Registered after the manager's own handler, so the step this transaction made or extended exists.
  const mark = (tr: Y.Transaction) => {
    const tracked = tr.origin === manager || tr.origin instanceof LocalEdit;
    if (!tracked || tr.deleteSet.clients.size === 0) return;
    let message: string | null = null;
    Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
      if (message !== null || !(s instanceof Y.Item)) return;
      if (insideServerOwned(s)) message = SERVER_OWNED_MESSAGE;
      else if (s.parentSub !== null && SIGNATURES.has(s.parentSub) && s.content.getContent()[0] !== userId) message = SIGNED_BY_OTHER_MESSAGE;
    });
    if (message === null) return;
    const stack = manager.undoing ? manager.redoStack : manager.undoStack;
    stack[stack.length - 1]?.meta.set(SKIPPED, message);
  };
  doc.on('afterTransaction', mark);

  const step = (stack: Y.UndoManager['undoStack'], run: () => unknown): string | null => {
    let skipped: string | null = null;
    while (stack.length > 0 && stack[stack.length - 1]!.meta.has(SKIPPED)) {
      skipped = stack.pop()!.meta.get(SKIPPED) as string;
    }
    if (skipped !== null) {
      refresh();
      return skipped;
    }
    run();
    return null;
  };

  return {
    canUndo,
    canRedo,
    undo: () => step(manager.undoStack, () => manager.undo()),
    redo: () => step(manager.redoStack, () => manager.redo()),
    stopCapturing: () => manager.stopCapturing(),
    dispose() {
      doc.off('afterTransaction', mark);
      manager.destroy();
    },
  };
}

/** Whether an item is a take or a server-only record (or lies inside one). */
function insideServerOwned(item: Y.Item): boolean {
  for (let at: Y.Item | null = item; at; ) {
    if (at.parentSub !== null && isServerKey(at.parentSub)) return true;
    const parent: unknown = at.parent;
    at = parent instanceof Y.AbstractType ? parent._item : null;
  }
  return false;
}
