import { For, Show } from 'solid-js';
import { assignReference, unassignReference, type ReferenceView, type ShotView } from '../../../../shared/doc';
import { useBoard } from '../board-context';
import { createVirtualWindow } from '../shots/virtual';

const ROW = 36;

/** What a click on a cell does next: none -> follow current -> pin each beat in turn -> none. */
function nextState(ref: ReferenceView, now: string | undefined): string | null {
  if (now === undefined) return '';
  const order = ['', ...ref.versions.map((v) => v.id)];
  const i = order.indexOf(now);
  return i < 0 || i === order.length - 1 ? null : order[i + 1]!;
}

function describe(ref: ReferenceView, v: string | undefined): string {
  if (v === undefined) return 'not assigned';
  if (v === '') return 'current version';
  return `pinned to ${ref.versions.find((x) => x.id === v)?.beat || 'a beat'}`;
}

/** Shots x references: a click assigns a reference, further clicks pin one of its versions. */
export default function AssignmentMatrix() {
  const b = useBoard();
  let scroller: HTMLDivElement | undefined;
  const win = createVirtualWindow({ scroller: () => scroller, count: () => b.state.shots.length, rowHeight: ROW });
  // The shot column gives way on a phone, so at least one reference column is in view.
  const cols = () => `min(260px, 38vw) repeat(${b.state.references.length}, 132px)`;

  const click = (shot: ShotView, ref: ReferenceView) => {
    const next = nextState(ref, shot.refs[ref.id]);
    b.edit((doc) => (next === null ? unassignReference(doc, shot.id, ref.id) : assignReference(doc, shot.id, ref.id, next)));
  };

  return (
    <section class="matrix" aria-label="Assignment matrix">
      <Show when={b.state.references.length > 0 && b.state.shots.length > 0} fallback={<p class="empty">The matrix needs at least one shot and one reference.</p>}>
        <p class="muted">Click a cell to assign a reference (following its current version); click again to pin a beat.</p>
        <div class="matrix-head" style={{ 'grid-template-columns': cols() }}>
          <span>Shot</span>
          <For each={b.state.references}>{(r) => <span title={r.kind}>{r.name}</span>}</For>
        </div>
        <div class="matrix-scroller" ref={scroller}>
          <div class="matrix-canvas" style={{ height: `${win.totalHeight()}px` }}>
            <For each={b.state.shots.slice(win.start(), win.end())}>
              {(shot, i) => {
                const n = () => win.start() + i() + 1;
                return (
                  <div class="matrix-row" style={{ 'grid-template-columns': cols(), transform: `translateY(${(n() - 1) * ROW}px)` }}>
                    <span class="matrix-shot">
                      {n()}. {shot.title || 'Untitled shot'}
                    </span>
                    <For each={b.state.references}>
                      {(ref) => (
                        <button
                          type="button"
                          class="cell"
                          classList={{ on: shot.refs[ref.id] !== undefined, pinned: !!shot.refs[ref.id] }}
                          disabled={!b.canEdit()}
                          aria-label={`${ref.name} on shot ${n()}: ${describe(ref, shot.refs[ref.id])}`}
                          onClick={() => click(shot, ref)}
                        >
                          {shot.refs[ref.id] === undefined ? '' : shot.refs[ref.id] === '' ? '●' : ref.versions.find((v) => v.id === shot.refs[ref.id])?.beat || '◆'}
                        </button>
                      )}
                    </For>
                  </div>
                );
              }}
            </For>
          </div>
        </div>
      </Show>
    </section>
  );
}
