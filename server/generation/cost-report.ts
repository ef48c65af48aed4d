/**
 * The board's cost report (GET /api/boards/:boardId/costs): the ledger's charges and the jobs'
 * estimates, summed per shot, per reference ("cost to lock a look"), per provider and model, per
 * provider (estimate beside charge: the drift) and per person. Pure: the rows come from `costRows` (jobs.queries.ts), the budget and references
 * from the board document.
 */
import type { CostLine, CostReport, ResolvedInputs } from '../../shared/generation/index.js';
import type { CostRow } from './jobs.queries.js';

interface ReferenceInfo {
  id: string;
  name: string;
  locked: boolean;
}

const OPEN = new Set(['queued', 'running']);

export function buildCostReport(rows: readonly CostRow[], board: { budgetMicroUsd: number | null; references: readonly ReferenceInfo[] }): CostReport {
  const total = emptyLine();
  const shots = new Lines<{ shotId: string }>();
  const refs = new Lines<{ referenceId: string }>();
  const models = new Lines<{ provider: string; model: string }>();
  const providers = new Lines<{ provider: string; unpricedJobs: number }>();
  const people = new Lines<{ userId: string; name: string }>();
  for (const r of rows) {
    const charged = r.charged_micro_usd !== null;
    if (!charged && !OPEN.has(r.status)) continue; // failed or canceled before any charge: costs nothing
    const provider = providers.at(r.provider, { provider: r.provider, unpricedJobs: 0 });
    if (unpriced(r.resolved)) provider.unpricedJobs += 1;
    const lines = [
      total,
      provider,
      shots.at(r.shot_id, { shotId: r.shot_id }),
      models.at(`${r.provider} ${r.model}`, { provider: r.provider, model: r.model }),
      people.at(r.created_by, { userId: r.created_by, name: r.created_by_name ?? 'a former account' }),
      ...unlockedReferences(r.resolved).map((id) => refs.at(id, { referenceId: id })),
    ];
    for (const line of lines) add(line, r);
  }
  return {
    budgetMicroUsd: board.budgetMicroUsd,
    ...total,
    shots: shots.list(),
    references: board.references.map((ref) => ({ referenceId: ref.id, name: ref.name, locked: ref.locked, ...(refs.get(ref.id) ?? emptyLine()) })),
    models: models.list(),
    providers: providers.list(),
    people: people.list(),
  };
}

/** True when the job was queued with no price known (the person confirmed it; it is charged 0). */
function unpriced(resolved: string): boolean {
  return (JSON.parse(resolved) as ResolvedInputs).price?.estimate.known === false;
}

/** The references a job sent while they were not yet locked (spend after locking uses the look; it does not make it). */
function unlockedReferences(resolved: string): string[] {
  const parsed = JSON.parse(resolved) as { references?: { referenceId: string; locked: boolean }[] };
  return [...new Set((parsed.references ?? []).filter((r) => !r.locked).map((r) => r.referenceId))];
}

function add(line: CostLine, r: CostRow) {
  // Integer micro-dollars: every sum is exact, however the jobs are grouped.
  if (r.charged_micro_usd !== null) {
    line.jobs += 1;
    line.spentMicroUsd += r.charged_micro_usd;
    line.estimateMicroUsd += r.estimate_micro_usd;
  } else {
    line.openJobs += 1;
    line.committedMicroUsd += r.estimate_micro_usd;
  }
}

function emptyLine(): CostLine {
  return { jobs: 0, openJobs: 0, estimateMicroUsd: 0, spentMicroUsd: 0, committedMicroUsd: 0 };
}

/** Lines of one breakdown keyed by what they are about, in first-seen order. */
class Lines<K extends object> {
  private readonly byKey = new Map<string, K & CostLine>();
  at(key: string, what: K): K & CostLine {
    let line = this.byKey.get(key);
    if (!line) this.byKey.set(key, (line = { ...what, ...emptyLine() }));
    return line;
  }
  get(key: string): CostLine | undefined {
    return this.byKey.get(key);
  }
  list(): (K & CostLine)[] {
    return [...this.byKey.values()];
  }
}
