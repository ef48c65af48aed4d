import * as Y from 'yjs';
import { fillSmallBoard } from './small-board.js';
import { rng } from '../lib/stats.js';
const gc = (globalThis as any).gc;
const variant = process.argv[2] ?? 'now';
const d0 = new Y.Doc(); fillSmallBoard(d0, rng(1), 'user_1');
const defaults: Record<string, unknown> = variant.includes('defaults') ? { mode: 'text', status: 'draft', resolved: false, locked: false, currentVersion: '' } : {};
const TEXTS = new Set(['title', 'prompt', 'camera', 'notes', 'name', 'description', 'beat']);
const relay = (src: Y.Map<any>, dst: Y.Map<any>) => src.forEach((v: any, k: string) => {
  if (Object.hasOwn(defaults, k) && defaults[k] === v) return;
  if (v instanceof Y.Text) dst.set(k, new Y.Text(v.toString()));
  else if (v instanceof Y.Map) { const m = new Y.Map(); dst.set(k, m); relay(v, m); }
  else dst.set(k, v);
});
const d1 = new Y.Doc();
d1.transact(() => { for (const r of ['meta', 'shots', 'references', 'comments']) relay(d0.getMap(r), d1.getMap(r)); });
const state = Y.encodeStateAsUpdate(d1);
// Interning: the schema's keys, shared by every decoded document.
const KEYS = new Map<string, string>();
class Interning extends (Y as any).UpdateDecoderV1 {
  readString() { const s: string = super.readString(); if (s.length > 24) return s; const k = KEYS.get(s); if (k !== undefined) return k; KEYS.set(s, s); return s; }
}
const apply = (d: Y.Doc) => variant.includes('intern') ? (Y as any).applyUpdateV2(d, state, null, Interning) : Y.applyUpdate(d, state);
const held = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
{ const d = new Y.Doc(); apply(d); }
const b = held();
const docs = Array.from({ length: 200 }, () => { const d = new Y.Doc(); apply(d); return d; });
let structs = 0; docs[0]!.store.clients.forEach((s) => (structs += s.length));
console.log(variant.padEnd(20), { stateBytes: state.length, structs, perDoc: Math.round((held() - b) / 200), keys: KEYS.size });
(globalThis as any).keep = docs;
