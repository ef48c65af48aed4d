import { useBoard } from './board-context';

/** Undo and redo in the top bar, for touch users and anyone who prefers a button to Ctrl+Z. */
export function HistoryButtons() {
  const b = useBoard();
  return (
    <div class="history" role="group" aria-label="Undo and redo">
      <button type="button" class="ghost icon" aria-label="Undo" title="Undo your last edit (Ctrl/⌘+Z)" disabled={!b.canEdit() || !b.undo.canUndo()} onClick={() => b.history('undo')}>
        ↶
      </button>
      <button type="button" class="ghost icon" aria-label="Redo" title="Redo (Ctrl/⌘+Shift+Z)" disabled={!b.canEdit() || !b.undo.canRedo()} onClick={() => b.history('redo')}>
        ↷
      </button>
    </div>
  );
}
