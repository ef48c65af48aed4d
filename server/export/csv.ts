/**
 * The shot list as RFC 4180 CSV: a header row, one row per shot in board order, CRLF line
 * endings, fields quoted when they hold a comma, quote, CR or LF (quotes doubled).
 */
import type { ExportShot, ExportSnapshot } from './board-snapshot.js';
import { CHAIN_CSV_COLUMNS, chainCsvFields } from './chain-state.js';

const COLUMNS = [
  'order', 'shot_id', 'title', 'mode', 'prompt', 'duration_sec', 'model', 'shot_size', 'camera', 'status',
  'assignee_id', 'assignee', 'continues_from', 'continues_from_title', 'references', 'start_frame', 'end_frame',
  'notes', ...CHAIN_CSV_COLUMNS, 'selected_take_id', 'selected_take_status', 'selected_take_cost_usd', 'selected_take_clip',
] as const;

export function toCsv(snap: ExportSnapshot): string {
  const titles = new Map(snap.shots.map((s) => [s.shot.id, s.shot.title]));
  const rows: string[][] = [[...COLUMNS]];
  for (const e of snap.shots) rows.push(row(e, snap, titles));
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function row(e: ExportShot, snap: ExportSnapshot, titles: Map<string, string>): string[] {
  const s = e.shot;
  const text = (v: string | undefined) => defuse(v ?? '');
  return [
    String(e.order),
    s.id,
    text(s.title),
    s.mode,
    text(s.prompt),
    String(s.durationSec),
    s.model,
    s.shotSize ?? '',
    text(s.camera),
    s.status,
    s.assignee ?? '',
    text(s.assignee ? snap.memberNames.get(s.assignee) : ''),
    s.continuesFrom ?? '',
    text(s.continuesFrom ? titles.get(s.continuesFrom) : ''),
    text(e.references.map((r) => `${r.name} (${r.kind}): ${r.beat || 'untitled beat'} [${r.versionId || 'no version'}${r.pinned ? '' : ', current'}]`).join('; ')),
    s.startFrame ?? '',
    s.endFrame ?? '',
    text(s.notes),
    ...chainCsvFields(e, snap.memberNames).map(defuse),
    e.take?.id ?? '',
    e.take?.status ?? '',
    e.take ? String(e.take.costUsd) : '',
    e.take?.clip ? `${snap.origin}/api/assets/${e.take.clip}` : '',
  ];
}

/** One field, quoted only when RFC 4180 requires it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A spreadsheet runs a cell starting with `= + - @` (or a tab/CR before one) as a formula; text
 * a collaborator typed must never run on an editor's machine. Such text gets a leading `'`,
 * the usual neutraliser (OWASP "CSV injection"); all other text is written as typed.
 */
export function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
