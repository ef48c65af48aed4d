import { createSignal, For, Show } from 'solid-js';
import { createReference, deleteReference, REFERENCE_KINDS, type ReferenceKind } from '../../../../shared/doc';
import { useBoard } from '../board-context';
import { BiblePanel } from './bible-panel';
import { createCardReorder } from './card-reorder';
import { ReferenceCard } from './reference-card';

/** The board's references (characters, locations, styles, props, clips) with their beats. */
export default function ReferenceLibrary() {
  const b = useBoard();
  const [kind, setKind] = createSignal<ReferenceKind | 'all'>('all');
  const [problem, setProblem] = createSignal('');
  // In the order people gave the cards (shared/doc/reference-order.ts), never re-sorted here.
  const shown = () => b.state.references.filter((r) => kind() === 'all' || r.kind === kind());
  let grid: HTMLUListElement | undefined;
  const reorder = createCardReorder(b, () => grid, () => shown().map((r) => r.id));

  const create = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const name = String(f.get('name') ?? '').trim();
    if (!name) return setProblem('Name: must not be empty; type a name, e.g. Mara (lead)');
    setProblem('');
    b.edit((doc) => createReference(doc, { kind: String(f.get('kind')) as ReferenceKind, name }));
    form.reset();
  };

  return (
    <section class="library" aria-label="Reference library">
      <div class="list-toolbar">
        <h2 class="list-title">References</h2>
        <label class="inline">
          <span>Show</span>
          <select aria-label="Show kind" onChange={(e) => setKind(e.currentTarget.value as ReferenceKind | 'all')}>
            <option value="all">all kinds</option>
            <For each={REFERENCE_KINDS}>{(k) => <option value={k}>{k}</option>}</For>
          </select>
        </label>
        <Show when={b.canEdit()}>
          <form class="inline-form" onSubmit={create} noValidate>
            <select name="kind" aria-label="New reference kind">
              <For each={REFERENCE_KINDS}>{(k) => <option value={k}>{k}</option>}</For>
            </select>
            <input name="name" aria-label="New reference name" placeholder="e.g. Mara (lead)" aria-invalid={problem() ? 'true' : undefined} onInput={() => setProblem('')} />
            <button type="submit" class="primary">
              Add reference
            </button>
            <Show when={problem()}>
              <p class="field-error" role="alert">
                {problem()}
              </p>
            </Show>
          </form>
        </Show>
      </div>
      <BiblePanel />
      <Show when={b.state.references.length === 0}>
        <p class="empty">No references yet. Character sheets, location plates and style frames keep shots consistent.</p>
      </Show>
      <ul class="ref-grid" ref={grid} aria-label="Reference cards">
        <For each={shown()}>
          {(ref, i) => (
            <li
              data-ref-id={ref.id}
              classList={{
                dragging: reorder.dragging() === ref.id,
                'drop-before': reorder.drop()?.target === ref.id && reorder.drop()?.side === 'before',
                'drop-after': reorder.drop()?.target === ref.id && reorder.drop()?.side === 'after',
              }}
            >
              <ReferenceCard
                reference={ref}
                first={i() === 0}
                last={i() === shown().length - 1}
                onDelete={() => b.edit((doc) => deleteReference(doc, ref.id))}
                onHandlePointerDown={(e) => reorder.onHandlePointerDown(e, ref.id)}
                onMove={(dir) => reorder.moveBy(ref.id, dir)}
              />
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
