/**
 * Board keyboard shortcuts. Single-key shortcuts only fire outside text fields, so typing a
 * prompt never adds a shot; Alt+Arrow moves are handled by the row itself and work everywhere.
 * Undo/redo work everywhere except in plain (unshared) fields, which keep the browser's own undo;
 * in a shared-text field they go to the board's undo too, so the browser's never fights it.
 */
import { onCleanup } from 'solid-js';
import { duplicateShot, moveShot } from '../../../shared/doc';
import type { BoardContextValue } from './board-context';
import { COLLAB_ATTR } from './collab-text';
import { focusShotField } from './shots/shot-list';
import { positionFor } from './shots/reorder';

/** What the help popover lists; keep in step with the handler below. */
export const SHORTCUTS: ReadonlyArray<[keys: string, what: string]> = [
  ['N', 'New shot (after the selected one)'],
  ['J / ↓', 'Select the next shot'],
  ['K / ↑', 'Select the previous shot'],
  ['Enter', 'Edit the selected shot’s title'],
  ['D', 'Duplicate the selected shot'],
  ['Alt + ↑ / ↓', 'Move the selected shot up / down'],
  ['Ctrl/⌘ + Z', 'Undo your last edit (never a teammate’s)'],
  ['Ctrl/⌘ + Shift + Z', 'Redo'],
  ['Ctrl + Y', 'Redo (also)'],
  ['1 – 4', 'Shots, References, Assignments, Sequence'],
  ['?', 'Show or hide this help'],
  ['Esc', 'Close the detail panel or this help'],
];

/** Whether the board's undo handles history keys here: anywhere but a plain text field. */
function boardUndoAt(target: EventTarget | null): boolean {
  return !typing(target) || (target as HTMLElement).hasAttribute(COLLAB_ATTR);
}

/** Undo or redo for a history key combination, or null. */
function historyKey(e: KeyboardEvent): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.isComposing) return null;
  const k = e.key.toLowerCase();
  if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
  return k === 'y' && e.ctrlKey && !e.shiftKey ? 'redo' : null;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function useBoardShortcuts(b: BoardContextValue, toggleHelp: () => void, closeHelp: () => boolean) {
  const step = (dir: 1 | -1) => {
    const shots = b.state.shots;
    if (shots.length === 0) return;
    const i = shots.findIndex((s) => s.id === b.selected());
    const next = shots[i < 0 ? (dir > 0 ? 0 : shots.length - 1) : Math.max(0, Math.min(shots.length - 1, i + dir))]!;
    b.select(next.id);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented) return;
    const history = historyKey(e);
    if (history && boardUndoAt(e.target)) {
      e.preventDefault();
      b.history(history);
      return;
    }
    if (e.ctrlKey || e.metaKey) return;
    const sel = b.selected();
    if (e.key === 'Escape') {
      if (!closeHelp()) b.select(null);
      return;
    }
    if (typing(e.target)) return;
    if (e.altKey && sel && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      const shots = b.state.shots;
      const from = shots.findIndex((s) => s.id === sel);
      const to = from + (e.key === 'ArrowUp' ? -1 : 1);
      if (from >= 0 && to >= 0 && to < shots.length) b.edit((doc) => moveShot(doc, sel, positionFor(shots, from, to)));
      e.preventDefault();
      return;
    }
    if (e.altKey) return;
    const act: Record<string, () => void> = {
      n: () => {
        const id = b.addShot(sel ?? undefined);
        if (id) {
          b.setTab('shots');
          b.select(id);
          focusShotField(id, 'title');
        }
      },
      d: () => sel && b.edit((doc) => b.select(duplicateShot(doc, sel))),
      j: () => step(1),
      ArrowDown: () => step(1),
      k: () => step(-1),
      ArrowUp: () => step(-1),
      Enter: () => sel && focusShotField(sel, 'title'),
      '?': toggleHelp,
      '1': () => b.setTab('shots'),
      '2': () => b.setTab('references'),
      '3': () => b.setTab('matrix'),
      '4': () => b.setTab('sequence'),
    };
    const fn = act[e.key.length === 1 ? e.key.toLowerCase() : e.key] ?? (e.key === '?' ? toggleHelp : undefined);
    if (!fn) return;
    // Buttons and links keep their own Enter.
    if (e.key === 'Enter' && (e.target as HTMLElement | null)?.closest('button, a')) return;
    e.preventDefault();
    fn();
  };
  // The browser's Edit menu and context menu undo arrive as beforeinput, not as keys.
  const onBeforeInput = (e: InputEvent) => {
    if (!(e.target as HTMLElement | null)?.hasAttribute?.(COLLAB_ATTR)) return;
    if (e.inputType !== 'historyUndo' && e.inputType !== 'historyRedo') return;
    e.preventDefault();
    b.history(e.inputType === 'historyUndo' ? 'undo' : 'redo');
  };
  document.addEventListener('keydown', onKey);
  document.addEventListener('beforeinput', onBeforeInput);
  onCleanup(() => {
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('beforeinput', onBeforeInput);
  });
}
