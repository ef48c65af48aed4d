/**
 * Reordering reference cards: drag a card's handle with a mouse, pen or finger (pointer events,
 * so touch works), or use its move-earlier/later buttons from the keyboard. Both end in one
 * moveReference, one rank written, so teammates' moves converge.
 */
import { createSignal } from 'solid-js';
import { moveReference } from '../../../../shared/doc';
import type { BoardContextValue } from '../board-context';

/** How close to a scrolling edge a dragged card makes it scroll (px). */
const EDGE_PX = 40;

/** The nearest ancestor that scrolls vertically, else the page. */
function scrollerOf(el: HTMLElement | undefined): HTMLElement {
  for (let p = el?.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if ((o === 'auto' || o === 'scroll') && p.scrollHeight > p.clientHeight) return p;
  }
  return document.scrollingElement as HTMLElement;
}

export type Drop = { id: string; target: string; side: 'before' | 'after' } | null;

export function createCardReorder(b: BoardContextValue, grid: () => HTMLElement | undefined, shownIds: () => string[]) {
  const [drop, setDrop] = createSignal<Drop>(null);
  const [dragging, setDragging] = createSignal<string | null>(null);

  const move = (id: string, side: 'before' | 'after', target: string) => {
    if (target === id) return;
    b.edit((doc) => moveReference(doc, id, side === 'before' ? { before: target } : { after: target }));
  };

  /** One step earlier or later among the cards shown. */
  const moveBy = (id: string, dir: -1 | 1) => {
    const ids = shownIds();
    const i = ids.indexOf(id);
    const target = ids[i + dir];
    if (i < 0 || !target) return;
    move(id, dir < 0 ? 'before' : 'after', target);
  };

  /** The card under the pointer and which side of it the dragged card would land on. */
  const dropAt = (id: string, x: number, y: number): Drop => {
    const card = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-ref-id]');
    const target = card?.dataset.refId;
    if (!card || !target || target === id) return null;
    const r = card.getBoundingClientRect();
    // One card per row (a phone): above or below decides; several per row: left or right.
    const oneColumn = (grid()?.clientWidth ?? 0) < r.width * 2;
    const after = oneColumn ? y > r.top + r.height / 2 : x > r.left + r.width / 2;
    return { id, target, side: after ? 'after' : 'before' };
  };

  const onHandlePointerDown = (e: PointerEvent, id: string) => {
    if (!b.canEdit() || e.button !== 0) return;
    e.preventDefault();
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    setDragging(id);
    const scroller = scrollerOf(grid());
    const onMove = (ev: PointerEvent) => {
      // Near the top or bottom edge the page scrolls, so a card can reach a place off screen.
      const r = scroller === document.scrollingElement ? { top: 0, bottom: window.innerHeight } : scroller.getBoundingClientRect();
      if (ev.clientY < r.top + EDGE_PX) scroller.scrollTop -= EDGE_PX / 2;
      else if (ev.clientY > r.bottom - EDGE_PX) scroller.scrollTop += EDGE_PX / 2;
      setDrop(dropAt(id, ev.clientX, ev.clientY));
    };
    const onUp = (ev: PointerEvent) => {
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onUp);
      handle.removeEventListener('pointercancel', onUp);
      const d = ev.type === 'pointerup' ? dropAt(id, ev.clientX, ev.clientY) : null;
      setDrop(null);
      setDragging(null);
      if (d) move(d.id, d.side, d.target);
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', onUp);
    handle.addEventListener('pointercancel', onUp);
  };

  return { drop, dragging, moveBy, onHandlePointerDown };
}
