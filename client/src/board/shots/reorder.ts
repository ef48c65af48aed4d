/**
 * Reordering shots: by keyboard (one step up or down) and by pointer drag on a row's handle.
 * Both end in one moveShot, so a move is one update that converges with teammates' moves.
 */
import { createSignal } from 'solid-js';
import { moveShot, type ShotView } from '../../../../shared/doc';
import type { BoardContextValue } from '../board-context';

/** The position that moves the shot at `from` to index `to` (indices in the current order). */
export function positionFor(shots: readonly ShotView[], from: number, to: number) {
  if (to < from) return { before: shots[to]!.id };
  return { after: shots[to]!.id };
}

export function createReorder(opts: {
  board: BoardContextValue;
  rowHeight: number;
  scroller: () => HTMLElement | undefined;
  /** Called after a move so the moved row can be scrolled to and refocused. */
  afterMove: (shotId: string, field: string | null) => void;
}) {
  const b = opts.board;
  const [drag, setDrag] = createSignal<{ id: string; target: number } | null>(null);

  const move = (id: string, to: number, field: string | null) => {
    const shots = b.state.shots;
    const from = shots.findIndex((s) => s.id === id);
    const dest = Math.max(0, Math.min(shots.length - 1, to));
    if (from < 0 || dest === from) return;
    b.edit((doc) => moveShot(doc, id, positionFor(shots, from, dest)));
    opts.afterMove(id, field);
  };

  const moveBy = (id: string, dir: -1 | 1, field: string | null) => {
    const from = b.state.shots.findIndex((s) => s.id === id);
    move(id, from + dir, field);
  };

  /** Index the pointer is over, as the row the dragged shot would take. */
  const indexAt = (clientY: number) => {
    const el = opts.scroller()!;
    const y = clientY - el.getBoundingClientRect().top + el.scrollTop;
    return Math.max(0, Math.min(b.state.shots.length - 1, Math.floor(y / opts.rowHeight)));
  };

  const onHandlePointerDown = (e: PointerEvent, id: string) => {
    if (!b.canEdit() || e.button !== 0) return;
    e.preventDefault();
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    setDrag({ id, target: indexAt(e.clientY) });
    const el = opts.scroller()!;
    const onMove = (ev: PointerEvent) => {
      const r = el.getBoundingClientRect();
      // Near the edges the list scrolls, so a shot can be dragged past what is on screen.
      if (ev.clientY < r.top + 24) el.scrollTop -= opts.rowHeight / 2;
      else if (ev.clientY > r.bottom - 24) el.scrollTop += opts.rowHeight / 2;
      setDrag({ id, target: indexAt(ev.clientY) });
    };
    const onUp = (ev: PointerEvent) => {
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onUp);
      handle.removeEventListener('pointercancel', onUp);
      const d = drag();
      setDrag(null);
      if (d && ev.type === 'pointerup') move(d.id, indexAt(ev.clientY), 'order');
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', onUp);
    handle.addEventListener('pointercancel', onUp);
  };

  return { drag, moveBy, onHandlePointerDown };
}
