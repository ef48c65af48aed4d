import { createEffect, For, Show } from 'solid-js';
import { useBoard } from '../board-context';
import { createReorder } from './reorder';
import { ShotRow } from './shot-row';
import { createVirtualWindow } from './virtual';

export const ROW_HEIGHT = 80;
const CAMERA_MOVES = ['static', 'push-in', 'pull-out', 'pan-left', 'pan-right', 'tilt-up', 'tilt-down', 'orbit', 'dolly', 'crane', 'handheld', 'tracking'];

/**
 * Focuses a field of a shot's row once it is rendered (after a move, add or keyboard jump). On a
 * phone or tablet the shot's detail sheet covers the list: the same field in the sheet, if it has one.
 */
export function focusShotField(shotId: string, field: string | null) {
  requestAnimationFrame(() => {
    const row = document.querySelector<HTMLElement>(`[data-shot-id="${CSS.escape(shotId)}"]`);
    const target = row?.querySelector<HTMLElement>(`[data-field="${field ?? 'title'}"]`) ?? row?.querySelector<HTMLElement>('[data-field]');
    const inSheet = target && covered(target) ? document.querySelector<HTMLElement>(`.detail [data-field="${target.dataset.field}"]`) : null;
    (inSheet ?? target)?.focus();
  });
}

/** Whether something else is drawn over the middle of `el`. */
function covered(el: HTMLElement): boolean {
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return hit !== null && hit !== el && !el.contains(hit);
}

/** The shot list: virtualised rows, add, reorder by drag or keyboard. */
export function ShotList() {
  const b = useBoard();
  let scroller: HTMLDivElement | undefined;
  const win = createVirtualWindow({ scroller: () => scroller, count: () => b.state.shots.length, rowHeight: ROW_HEIGHT });
  const reveal = (shotId: string, field: string | null) => {
    const i = b.state.shots.findIndex((s) => s.id === shotId);
    if (i >= 0) win.reveal(i);
    focusShotField(shotId, field);
  };
  const reorder = createReorder({ board: b, rowHeight: ROW_HEIGHT, scroller: () => scroller, afterMove: reveal });
  const visible = () => b.state.shots.slice(win.start(), win.end());

  // Keep the selected shot in view when it is chosen from elsewhere (shortcut, detail panel).
  createEffect(() => {
    const id = b.selected();
    const i = id ? b.state.shots.findIndex((s) => s.id === id) : -1;
    if (i >= 0) win.reveal(i);
  });

  const add = () => {
    const id = b.addShot();
    if (id) {
      b.select(id);
      reveal(id, 'title');
    }
  };

  return (
    <section class="shot-list" aria-label="Shot list">
      <div class="list-toolbar">
        <h2 class="list-title">
          Shots <span class="muted">({b.state.shots.length})</span>
        </h2>
        <Show when={b.canEdit()}>
          <button type="button" class="primary" onClick={add} title="New shot (N)">
            Add shot
          </button>
        </Show>
      </div>
      <div class="shot-head" aria-hidden="true">
        <span class="h-main">Title / prompt</span>
        <span class="h-c1">Mode / size</span>
        <span class="h-c2">Secs</span>
        <span class="h-c3">Model / camera</span>
        <span class="h-c4">Status / assignee</span>
      </div>
      <div class="shot-scroller" ref={scroller}>
        <Show when={b.state.shots.length === 0}>
          <p class="empty">{b.canEdit() ? 'No shots yet. Press N or “Add shot” to start the shot list.' : 'No shots yet.'}</p>
        </Show>
        <div class="shot-canvas" role="list" aria-label="Shots" style={{ height: `${win.totalHeight()}px` }}>
          <For each={visible()}>
            {(shot, i) => (
              <ShotRow
                shot={shot}
                index={win.start() + i()}
                top={(win.start() + i()) * ROW_HEIGHT}
                selected={b.selected() === shot.id}
                dragging={reorder.drag()?.id === shot.id}
                onHandlePointerDown={reorder.onHandlePointerDown}
                onMoveKey={reorder.moveBy}
              />
            )}
          </For>
          <Show when={reorder.drag()}>
            {(d) => <div class="drop-line" style={{ transform: `translateY(${d().target * ROW_HEIGHT}px)` }} aria-hidden="true" />}
          </Show>
        </div>
      </div>
      <datalist id="camera-moves">
        <For each={CAMERA_MOVES}>{(c) => <option value={c} />}</For>
      </datalist>
    </section>
  );
}
