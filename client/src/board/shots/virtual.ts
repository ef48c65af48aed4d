import { createSignal, onCleanup, onMount, type Accessor } from 'solid-js';

/**
 * The visible window of a fixed-row-height list inside a scroll container: only rows in view
 * (plus `overscan` either side) are rendered, so a 500-shot board costs what a 15-shot one does.
 */
export function createVirtualWindow(opts: {
  scroller: () => HTMLElement | undefined;
  count: Accessor<number>;
  rowHeight: number;
  overscan?: number;
}) {
  const overscan = opts.overscan ?? 6;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [height, setHeight] = createSignal(800);

  onMount(() => {
    const el = opts.scroller();
    if (!el) return;
    const onScroll = () => setScrollTop(el.scrollTop);
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    onCleanup(() => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
    });
  });

  const start = () => Math.max(0, Math.floor(scrollTop() / opts.rowHeight) - overscan);
  const end = () => Math.min(opts.count(), Math.ceil((scrollTop() + height()) / opts.rowHeight) + overscan);
  return {
    start,
    end,
    totalHeight: () => opts.count() * opts.rowHeight,
    /** Scrolls just enough for row `index` to be fully visible. */
    reveal(index: number) {
      const el = opts.scroller();
      if (!el) return;
      const top = index * opts.rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + opts.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + opts.rowHeight - el.clientHeight;
      setScrollTop(el.scrollTop);
    },
  };
}
