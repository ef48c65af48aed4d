/**
 * Where the bytes of a memory phase go: the difference between two V8 heap snapshots, summed
 * by what V8 calls each object (its constructor for JS objects; "array" for the backing stores
 * of arrays and Maps, "string", "closure", "code"), divided by how many boards or connections
 * the phase added. Written by `npm run bench -- --only memory --heap-snapshots`; also runs alone:
 * `npx tsx bench/memory/heap-breakdown.ts before.heapsnapshot after.heapsnapshot 20`.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BreakdownRow {
  kind: string;
  /** Objects added per unit. */
  count: number;
  /** Bytes added per unit (V8 self sizes: what each object holds itself, not what it points to). */
  bytes: number;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function totals(file: string): Map<string, { count: number; bytes: number }> {
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt, width] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size'), fields.length];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt]!]!;
    // Objects and natives by constructor; everything else (strings, arrays, code, closures) by type.
    const kind = type === 'object' || type === 'native' ? s.strings[s.nodes[i + nameAt]!]! : type;
    const t = out.get(kind) ?? { count: 0, bytes: 0 };
    t.count += 1;
    t.bytes += s.nodes[i + sizeAt]!;
    out.set(kind, t);
  }
  return out;
}

/** What `after` holds beyond `before`, per unit, largest first. */
export function heapBreakdown(before: string, after: string, units: number): BreakdownRow[] {
  const a = totals(before);
  const rows: BreakdownRow[] = [];
  for (const [kind, t] of totals(after)) {
    const o = a.get(kind) ?? { count: 0, bytes: 0 };
    rows.push({ kind, count: (t.count - o.count) / units, bytes: (t.bytes - o.bytes) / units });
  }
  return rows.sort((x, y) => y.bytes - x.bytes);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [before, after, units] = process.argv.slice(2);
  if (!before || !after) throw new Error('usage: heap-breakdown.ts <before.heapsnapshot> <after.heapsnapshot> [units]');
  const rows = heapBreakdown(before, after, Number(units ?? 1));
  console.log(`total ${Math.round(rows.reduce((s, r) => s + r.bytes, 0))} B per unit`);
  for (const r of rows.slice(0, 30)) console.log(`${Math.round(r.bytes).toString().padStart(8)} B ${r.count.toFixed(1).padStart(8)}  ${r.kind}`);
}
