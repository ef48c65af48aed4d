/**
 * The cost ledger as CSV (GET /api/boards/:boardId/costs.csv): one row per job, oldest first,
 * with its estimate and what the ledger charged (empty while nothing was: queued, running, or
 * failed and canceled jobs, which cost nothing), in dollars written exactly from the stored
 * micro-dollars (0.3024, never 0.30239999999999995). Every cell goes through the export CSV encoder,
 * so a shot title or a name someone typed can never run as a spreadsheet formula.
 */
import { usdDecimal } from '../../shared/money.js';
import { csvCell } from '../export/csv.js';
import type { CostRow } from './jobs.queries.js';

const COLUMNS = [
  'job_id', 'queued_at', 'finished_at', 'status', 'shot_id', 'shot_title', 'take_id',
  'person_id', 'person', 'provider', 'model', 'estimate_usd', 'charged_usd',
] as const;

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

export function costLedgerCsv(rows: readonly CostRow[], shotTitles: ReadonlyMap<string, string>): string {
  const lines = [[...COLUMNS].map(csvCell).join(',')];
  for (const r of rows) {
    const cells = [
      r.id, iso(r.created_at), iso(r.finished_at), r.status, r.shot_id, shotTitles.get(r.shot_id) ?? '', r.take_id,
      r.created_by, r.created_by_name ?? '', r.provider, r.model, usdDecimal(r.estimate_micro_usd), r.charged_micro_usd === null ? undefined : usdDecimal(r.charged_micro_usd),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
