/**
 * The shot list as RFC 4180 CSV: a header row, one row per shot in board order, CRLF line
 * endings, fields quoted when they hold a comma, quote, CR or LF (quotes doubled).
 *
 * Every cell goes through the one encoder, `csvCell`, which neutralises formulas (OWASP "CSV
 * injection") in every text cell, so no column can forget it: ids, models, enums and dates
 * included, since clients write them into the board document and the server only checks their
 * shape. Numbers the server formats itself (order, duration, cost) are written as numbers: their
 * text is a numeric literal that no spreadsheet runs, and a `'` would turn a cost into text. A cost
 * is the exact decimal of its micro-dollars (shared/money.ts `usdDecimal`), never a float's digits.
 */
import type { ExportShot, ExportSnapshot } from './board-snapshot.js';
import { usdDecimal } from '../../shared/money.js';
import { CHAIN_CSV_COLUMNS, chainCsvFields } from './chain-state.js';
import { SEAM_CSV_COLUMNS, seamCsvFields } from './seam-fields.js';

const COLUMNS = [
  'order', 'shot_id', 'title', 'mode', 'prompt', 'duration_sec', 'model', 'shot_size', 'camera', 'status',
  'assignee_id', 'assignee', 'continues_from', 'continues_from_title', 'references', 'start_frame', 'end_frame',
  'notes', ...CHAIN_CSV_COLUMNS, ...SEAM_CSV_COLUMNS, 'selected_take_id', 'selected_take_status', 'selected_take_cost_usd', 'selected_take_clip',
  'in_sequence', 'selected_take_in_sec', 'selected_take_out_sec',
] as const;

export function toCsv(snap: ExportSnapshot): string {
  const titles = new Map(snap.shots.map((s) => [s.shot.id, s.shot.title]));
  const rows: Cell[][] = [[...COLUMNS]];
  for (const e of snap.shots) rows.push(row(e, snap, titles));
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Text (from anyone: neutralised) or a number the server formats (written as is). */
type Cell = string | number | undefined;

function row(e: ExportShot, snap: ExportSnapshot, titles: Map<string, string>): Cell[] {
  const s = e.shot;
  const trim = e.take ? s.trims?.[e.take.id] : undefined;
  return [
    e.order,
    s.id,
    s.title,
    s.mode,
    s.prompt,
    s.durationSec,
    s.model,
    s.shotSize,
    s.camera,
    s.status,
    s.assignee,
    s.assignee ? snap.memberNames.get(s.assignee) : '',
    s.continuesFrom,
    s.continuesFrom ? titles.get(s.continuesFrom) : '',
    e.references.map((r) => `${r.name} (${r.kind}): ${r.beat || 'untitled beat'} [${r.versionId || 'no version'}${r.pinned ? '' : ', current'}]`).join('; '),
    s.startFrame,
    s.endFrame,
    s.notes,
    ...chainCsvFields(e, snap.memberNames),
    ...seamCsvFields(e.seam),
    e.take?.id,
    e.take?.status,
    e.take ? usdDecimal(e.take.costMicroUsd) : '',
    e.take?.clip ? `${snap.origin}/api/assets/${e.take.clip}` : '',
    // The sequence's edit (an accepted timeline import): left out or not, the selected take's in/out points.
    s.leftOut ? 'no' : 'yes',
    trim?.inSec,
    trim?.outSec,
  ];
}

/** The one cell encoder: numbers as numbers (non-finite ones empty), text neutralised then quoted as RFC 4180 needs. */
export function csvCell(value: Cell): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return csvField(defuse(value ?? ''));
}

/**
 * One field, quoted when RFC 4180 requires it (comma, quote, CR, LF) and also when it holds a `;`
 * or a tab: a spreadsheet in a locale that splits on those would otherwise start a new cell
 * mid-field, where a formula would no longer be at the start of a neutralised cell.
 */
export function csvField(value: string): string {
  return /[",;\t\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// Spreadsheets run a cell starting with `= + - @` as a formula, and skip a leading tab, CR or LF
// to find one (OWASP lists `= + - @`, tab and CR; LF is read the same way). Full-width forms
// (＝ ＋ － ＠) are folded to those by some spreadsheets' input normalisation, so they count too.
const FORMULA_START = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

/**
 * Text a collaborator typed must never run on an editor's machine: a cell that a spreadsheet
 * could read as a formula gets a leading `'` (the usual neutraliser); other text is written as typed.
 */
export function defuse(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
