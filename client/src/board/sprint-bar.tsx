import { createMemo, createSignal, Show } from 'solid-js';
import { setMeta } from '../../../shared/doc';
import { usdDecimal } from '../../../shared/money';
import { createNow } from '../ui/clock';
import { SettingsIcon } from '../ui/icons';
import { countdown, toLocalInput, usd } from '../ui/format';
import { readSprintForm, type SprintField } from './sprint-checks';
import { useBoard } from './board-context';
import { QueueMetric } from './queue-panel';
import { keepOnScreen } from '../ui/keep-on-screen';

/** The sprint at a glance: time left, shots approved, queue finish estimate, spend vs budget. */
export function SprintBar() {
  const b = useBoard();
  const now = createNow(1000);
  const [editing, setEditing] = createSignal(false);
  const approved = createMemo(() => b.state.shots.filter((s) => s.status === 'approved').length);
  const spent = createMemo(() => {
    let sum = 0;
    for (const takes of Object.values(b.state.takes)) for (const t of takes) sum += t.costMicroUsd;
    return sum;
  });
  const end = () => (b.state.meta.sprintEnd ? Date.parse(b.state.meta.sprintEnd) : NaN);

  const [errors, setErrors] = createSignal<Partial<Record<SprintField, string>>>({});
  const save = (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const field = (k: SprintField) => String(f.get(k) ?? '');
    const r = readSprintForm({ start: field('start'), end: field('end'), budget: field('budget') });
    setErrors(r.errors ?? {});
    if (!r.patch) return;
    b.edit((doc) => setMeta(doc, r.patch));
    setEditing(false);
  };
  const fieldError = (k: SprintField) => (
    <Show when={errors()[k]}>
      <span class="field-error" role="alert" data-field-error={k}>
        {errors()[k]}
      </span>
    </Show>
  );

  return (
    <section class="sprint-bar" aria-label="Sprint">
      <div class="metric" aria-label="Time left in sprint">
        <span class="metric-label">Sprint</span>
        <span class="metric-value">{Number.isNaN(end()) ? 'no end set' : countdown(end() - now())}</span>
      </div>
      <div class="metric" aria-label="Shots approved">
        <span class="metric-label">Approved</span>
        <span class="metric-value">
          {approved()} / {b.state.shots.length}
        </span>
      </div>
      <QueueMetric />
      <div class="metric" aria-label="Spend">
        <span class="metric-label">Spend</span>
        <span class="metric-value" classList={{ warn: b.state.meta.budgetMicroUsd !== undefined && spent() > b.state.meta.budgetMicroUsd }}>
          {usd(spent())}
          {b.state.meta.budgetMicroUsd !== undefined ? ` of ${usd(b.state.meta.budgetMicroUsd)}` : ' · no budget'}
        </span>
      </div>
      <button type="button" class="ghost sprint-costs" onClick={() => b.setTab('costs')}>
        Burndown &amp; costs
      </button>
      <Show when={b.canEdit()}>
        <button type="button" class="ghost sprint-settings" aria-label="Sprint settings" aria-expanded={editing()} onClick={() => { setErrors({}); setEditing(!editing()); }}>
          <SettingsIcon />
          <span class="sprint-settings-word">Sprint settings</span>
        </button>
      </Show>
      <Show when={editing()}>
        <form class="popover sprint-form" onSubmit={save} aria-label="Sprint settings" noValidate ref={keepOnScreen}>
          <label class="field">
            <span class="field-label">Sprint start</span>
            <input type="datetime-local" name="start" value={toLocalInput(b.state.meta.sprintStart)} aria-invalid={errors().start ? 'true' : undefined} />
            {fieldError('start')}
          </label>
          <label class="field">
            <span class="field-label">Sprint end</span>
            <input type="datetime-local" name="end" value={toLocalInput(b.state.meta.sprintEnd)} aria-invalid={errors().end ? 'true' : undefined} />
            {fieldError('end')}
          </label>
          <label class="field">
            <span class="field-label">Budget (USD)</span>
            <input type="number" name="budget" min="0" step="0.01" value={b.state.meta.budgetMicroUsd === undefined ? '' : usdDecimal(b.state.meta.budgetMicroUsd)} aria-invalid={errors().budget ? 'true' : undefined} />
            {fieldError('budget')}
          </label>
          <div class="row-actions">
            <button type="submit" class="primary">
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
    </section>
  );
}
