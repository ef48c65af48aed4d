import * as Y from 'yjs';
import { fillSmallBoard } from './small-board.js';
import { rng } from '../lib/stats.js';
const gc = (globalThis as any).gc;
const d0 = new Y.Doc(); fillSmallBoard(d0, rng(1), 'user_1');
const j = (d0.toJSON()) as any;
const variant = process.argv[2] ?? 'now';
const has = (f: string) => variant.split(',').includes(f) || variant === 'all';
function build(): Uint8Array {
  const d = new Y.Doc();
  d.transact(() => {
    const meta = d.getMap('meta'); for (const [k, v] of Object.entries(j.meta)) meta.set(k, k === 'title' ? new Y.Text(String(v)) : v);
    const shots = d.getMap('shots');
    for (const [sid, s] of Object.entries<any>(j.shots)) {
      const m = new Y.Map(); shots.set(sid, m);
      for (const [k, v] of Object.entries<any>(s)) {
        if (k === 'id' && has('noid')) continue;
        if (['title', 'prompt', 'camera', 'notes'].includes(k)) { if (has('noempty') && v === '' ) continue; m.set(k, new Y.Text(v)); continue; }
        if (k === 'refs') { if (has('refkeys')) { for (const [r, ver] of Object.entries(v)) m.set('ref:' + r, ver); } else m.set(k, new Y.Map()); continue; }
        if (k === 'takes') {
          if (has('takekeys')) { for (const [t, tv] of Object.entries<any>(v)) { const { id, ...rest } = tv; m.set('take:' + t, rest); } continue; }
          const tm = new Y.Map(); m.set(k, tm);
          for (const [t, tv] of Object.entries<any>(v)) {
            if (has('takejson')) { const { id, ...rest } = tv; tm.set(t, rest); }
            else { const x = new Y.Map(); tm.set(t, x); for (const [a, b] of Object.entries(tv)) if (!(a === 'id' && has('noid'))) x.set(a, b); }
          }
          continue;
        }
        m.set(k, v);
      }
    }
    const refs = d.getMap('references');
    for (const [rid, r] of Object.entries<any>(j.references)) {
      const m = new Y.Map(); refs.set(rid, m);
      for (const [k, v] of Object.entries<any>(r)) {
        if (k === 'id' && has('noid')) continue;
        if (k === 'name' || k === 'description') m.set(k, new Y.Text(v));
        else if (k === 'versions') m.set(k, new Y.Map());
        else m.set(k, v);
      }
    }
    const cm = d.getMap('comments');
    for (const [cid, c] of Object.entries<any>(j.comments)) {
      const m = new Y.Map(); cm.set(cid, m);
      for (const [k, v] of Object.entries<any>(c)) if (!(k === 'id' && has('noid'))) m.set(k, v);
    }
  });
  return Y.encodeStateAsUpdate(d);
}
const state = build();
let types = 0; const walk = (t: any) => { types++; if (t._map) for (const [, it] of t._map) if (!it.deleted) for (const c of it.content.getContent()) if (c instanceof Y.AbstractType) walk(c); };
const dd = new Y.Doc(); Y.applyUpdate(dd, state);
for (const [n] of dd.share) walk(dd.getMap(n));
let structs = 0; dd.store.clients.forEach((s) => (structs += s.length));
const held = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
const b = held();
const docs = Array.from({ length: 200 }, () => { const d = new Y.Doc(); Y.applyUpdate(d, state); return d; });
console.log(variant.padEnd(40), { stateBytes: state.length, types, structs, perDoc: Math.round((held() - b) / 200) });
(globalThis as any).keep = docs;
if (process.argv[3]) {
  const v8 = await import('node:v8');
  (globalThis as any).keep = null; gc(); gc();
  v8.writeHeapSnapshot(process.argv[3] + '-a.heapsnapshot');
  (globalThis as any).keep = Array.from({ length: 100 }, () => { const d = new Y.Doc(); Y.applyUpdate(d, state); return d; });
  gc(); gc();
  v8.writeHeapSnapshot(process.argv[3] + '-b.heapsnapshot');
}
