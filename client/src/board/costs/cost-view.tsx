import { createMemo, createResource, createEffect, For, on, Show, type JSX } from 'solid-js';
import type { CostLine, CostReport } from '../../../../shared/generation';
import { useApi } from '../../api/context';
import { errorText } from '../../ui/toast';
import { usd } from '../../ui/format';
import { ChargedCells } from './charged-cells';
import { useBoard } from '../board-context';
import { BurndownChart } from './burndown-chart';
import { DriftTable } from './drift-table';

/** One row of a breakdown: what it is about, and its money. */
interface Row {
  key: string;
  label: JSX.Element;
  line: CostLine;
}

/**
 * The Costs tab: the burndown, the money against the budget, and where it went (per shot, per
 * reference, per provider and model, per person), estimates beside what was charged, and the
 * ledger as CSV. Refetched whenever a take is queued or changes status (a job moved).
 */
export default function CostView() {
  const b = useBoard();
  const api = useApi();
  const jobsSignature = createMemo(() =>
    Object.values(b.state.takes)
      .flat()
      .map((t) => `${t.id}:${t.status}`)
      .join(','),
  );
  const [report, { refetch }] = createResource(() => api.costs(b.boardId));
  createEffect(on(jobsSignature, () => void refetch(), { defer: true }));

  return (
    <div class="cost-view">
      <BurndownChart />
      <Show when={report.error}>
        <p class="form-error" role="alert">
          Could not load the costs: {errorText(report.error)}
        </p>
      </Show>
      <Show when={report.latest}>{(r) => <Breakdowns report={r()} />}</Show>
    </div>
  );
}

function Breakdowns(props: { report: CostReport }) {
  const b = useBoard();
  const api = useApi();
  const r = () => props.report;
  const shotRows = createMemo((): Row[] => {
    const byId = new Map(r().shots.map((s) => [s.shotId, s]));
    const rows: Row[] = b.state.shots.map((s, i) => ({
      key: s.id,
      label: (
        <>
          <span class="muted">#{i + 1}</span> {s.title || 'Untitled shot'}
        </>
      ),
      line: byId.get(s.id) ?? EMPTY,
    }));
    const live = new Set(b.state.shots.map((s) => s.id));
    for (const s of r().shots) if (!live.has(s.shotId)) rows.push({ key: s.shotId, label: <span class="muted">A deleted shot</span>, line: s });
    return rows;
  });
  const refRows = (): Row[] =>
    r().references.map((ref) => ({
      key: ref.referenceId,
      label: (
        <>
          {ref.name || 'Untitled reference'} <span class={`look-state ${ref.locked ? 'locked' : ''}`}>{ref.locked ? 'look locked' : 'still exploring'}</span>
        </>
      ),
      line: ref,
    }));
  // Models and people read biggest first; shots keep board order and references the library's.
  const modelRows = (): Row[] =>
    byMoney(r().models).map((m) => ({ key: `${m.provider} ${m.model}`, label: <>{m.model} <span class="muted">({m.provider})</span></>, line: m }));
  const peopleRows = (): Row[] => byMoney(r().people).map((p) => ({ key: p.userId, label: p.name, line: p }));
  // The budget is read live from the board (as the sprint bar does), so a new budget shows at once
  // without waiting for the report to be fetched again; the money spent comes from the report.
  const budget = () => b.state.meta.budgetMicroUsd ?? null;
  const left = () => (budget() === null ? null : budget()! - r().spentMicroUsd - r().committedMicroUsd);

  return (
    <>
      <section class="cost-summary" aria-label="Spend against the budget">
        <Figure label="Budget" value={budget() === null ? 'none set' : usd(budget()!)} field="budget" />
        <Figure label="Charged" value={usd(r().spentMicroUsd)} field="spent" />
        <Figure label="Estimated for those jobs" value={usd(r().estimateMicroUsd)} />
        <Figure label="Queued or running (estimate)" value={usd(r().committedMicroUsd)} />
        <Show when={left() !== null}>
          <Figure label="Left after those" value={usd(left()!)} warn={left()! < 0} field="left" />
        </Show>
        <a class="button" href={api.costLedgerUrl(b.boardId)} download="" data-ledger-csv>
          Download the ledger (CSV)
        </a>
      </section>
      <CostTable caption="Per shot" rows={shotRows()} budget={budget()} kind="shot" />
      <CostTable
        caption="Per reference: cost to lock a look"
        note="What it cost to arrive at each look: every job that sent the reference while it was not yet locked. Jobs after it was locked use the look and are not counted; a job that sent two unlocked references counts toward both."
        rows={refRows()}
        budget={budget()}
        kind="reference"
      />
      <CostTable caption="Per provider and model" rows={modelRows()} budget={budget()} kind="model" />
      <DriftTable providers={r().providers} />
      <CostTable caption="Per person (who queued the jobs)" rows={peopleRows()} budget={budget()} kind="person" />
    </>
  );
}

const byMoney = <T extends CostLine>(lines: T[]): T[] => [...lines].sort((a, b) => b.spentMicroUsd + b.committedMicroUsd - (a.spentMicroUsd + a.committedMicroUsd));

const EMPTY: CostLine = { jobs: 0, openJobs: 0, estimateMicroUsd: 0, spentMicroUsd: 0, committedMicroUsd: 0 };

function Figure(props: { label: string; value: string; warn?: boolean; field?: string }) {
  return (
    <div class="metric" data-figure={props.field}>
      <span class="metric-label">{props.label}</span>
      <span class="metric-value" classList={{ warn: props.warn === true }}>
        {props.value}
      </span>
    </div>
  );
}

/** One breakdown. Numbers are labelled per cell too, so on a phone each row reads as a card. */
function CostTable(props: { caption: string; note?: string; rows: Row[]; budget: number | null; kind: string }) {
  const share = (line: CostLine) => (props.budget ? ((line.spentMicroUsd + line.committedMicroUsd) / props.budget) * 100 : null);
  return (
    <section class="cost-section">
      <table class="cost-table" data-costs={props.kind}>
        <caption>
          {props.caption}
          <Show when={props.note}>
            <span class="cost-note">{props.note}</span>
          </Show>
        </caption>
        <thead>
          <tr>
            <th scope="col">{props.kind === 'model' ? 'Model' : props.kind === 'person' ? 'Person' : props.kind === 'reference' ? 'Reference' : 'Shot'}</th>
            <th scope="col">Charged jobs</th>
            <th scope="col">Estimate</th>
            <th scope="col">Charged</th>
            <th scope="col">Queued or running</th>
            <th scope="col">Of budget (charged + queued)</th>
          </tr>
        </thead>
        <tbody>
          <Show when={props.rows.length > 0} fallback={<tr><td colSpan={6} class="muted">Nothing yet.</td></tr>}>
            <For each={props.rows}>
              {(row) => (
                <tr data-row={row.key}>
                  <th scope="row">{row.label}</th>
                  <ChargedCells line={row.line} />
                  <td data-label="Queued or running" data-cell="committed">
                    {usd(row.line.committedMicroUsd)}
                    <Show when={row.line.openJobs > 0}> ({row.line.openJobs})</Show>
                  </td>
                  <td data-label="Of budget" data-cell="share">
                    <Show when={share(row.line) !== null} fallback={<span class="muted">no budget</span>}>
                      <span class="share">
                        <span class="share-bar" aria-hidden="true">
                          <span style={{ width: `${Math.min(100, share(row.line)!)}%` }} />
                        </span>
                        {share(row.line)!.toFixed(1)}%
                      </span>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </Show>
        </tbody>
      </table>
    </section>
  );
}
