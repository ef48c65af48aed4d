import type { Table } from './suite.js';

/** Renders a table as aligned plain text (numbers right-aligned). */
export function renderTable(t: Table): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(String))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[], header = false) =>
    r
      .map((c, i) => {
        const numeric = !header && /^[-+]?[\d.,]+(x|%| ms| kB| MB| B)?$/.test(c);
        return numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  const out = [`## ${t.title}`, line(t.columns, true), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of cells.slice(1)) out.push(line(r));
  for (const n of t.notes ?? []) out.push(`  ${n}`);
  return out.join('\n');
}
