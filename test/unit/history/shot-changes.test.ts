/**
 * The shot history reads the lighter layout: an assignment is a `ref:` key of the shot, and a
 * field set back to its default (status 'draft') is a deleted key that still reads as the value.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, assignReference, createReference, getPromptText, getReferenceText, roots, setBibleOverride, setLeftOut, setShotFields, unassignReference } from '../../../shared/doc/index.js';
import { shotChangesOf } from '../../../server/history/shot-changes.js';

function changesOf(doc: Y.Doc, fn: () => void) {
  const out: unknown[] = [];
  // A text's words before are read inside the transaction, as the recorder does.
  const on = (tr: Y.Transaction) => out.push(...shotChangesOf(tr).map((c) => (c.text ? { shotId: c.shotId, field: c.field, before: c.before(), after: c.text.toString() } : c)));
  doc.on('afterTransaction', on);
  doc.transact(fn);
  doc.off('afterTransaction', on);
  return out;
}

describe('shot changes', () => {
  it('assigning and removing references: the ids before and after', () => {
    const doc = new Y.Doc();
    const shot = addShot(doc, { title: 'Pier' });
    const [r1, r2] = [createReference(doc, { kind: 'prop', name: 'Kite' }), createReference(doc, { kind: 'prop', name: 'Boat' })];
    assignReference(doc, shot, r1);
    const sorted = [r1, r2].sort().join(',');
    expect(changesOf(doc, () => assignReference(doc, shot, r2))).toEqual([{ shotId: shot, field: 'refs', before: r1, after: sorted }]);
    expect(changesOf(doc, () => unassignReference(doc, shot, r1))).toEqual([{ shotId: shot, field: 'refs', before: sorted, after: r2 }]);
    // Pinning a version is no change of the set.
    expect(changesOf(doc, () => assignReference(doc, shot, r2, ''))).toEqual([]);
  });

  it('a status set and set back to draft (not stored) reads as the statuses', () => {
    const doc = new Y.Doc();
    const shot = addShot(doc, { title: 'Pier' });
    expect(changesOf(doc, () => setShotFields(doc, shot, { status: 'ready' }))).toEqual([{ shotId: shot, field: 'status', before: 'draft', after: 'ready' }]);
    expect(changesOf(doc, () => setShotFields(doc, shot, { status: 'draft' }))).toEqual([{ shotId: shot, field: 'status', before: 'ready', after: 'draft' }]);
  });

  it('a bible override and leaving the cut are history lines, set back to their defaults as the defaults', () => {
    const doc = new Y.Doc();
    const shot = addShot(doc, { title: 'Pier' });
    expect(changesOf(doc, () => setBibleOverride(doc, shot, 'voice', 'drop'))).toEqual([{ shotId: shot, field: 'bible:voice', before: 'inherit', after: 'drop' }]);
    expect(changesOf(doc, () => setBibleOverride(doc, shot, 'voice', 'inherit'))).toEqual([{ shotId: shot, field: 'bible:voice', before: 'drop', after: 'inherit' }]);
    expect(changesOf(doc, () => setLeftOut(doc, shot, true))).toEqual([{ shotId: shot, field: 'leftOut', before: 'false', after: 'true' }]);
    expect(changesOf(doc, () => setLeftOut(doc, shot, false))).toEqual([{ shotId: shot, field: 'leftOut', before: 'true', after: 'false' }]);
  });

  it('a new shot, typing into its texts; not what sits deeper or elsewhere', () => {
    const doc = new Y.Doc();
    let shot = '';
    expect(changesOf(doc, () => (shot = addShot(doc, { title: 'Pier', prompt: 'fog' })))).toEqual([{ shotId: shot, field: 'created', before: '', after: 'Pier' }]);
    const ref = createReference(doc, { kind: 'prop', name: 'Kite' });
    const shotMap = roots(doc).shots.get(shot) as Y.Map<unknown>;
    shotMap.set('x-stamps', new Y.Map());
    expect(changesOf(doc, () => {
      getPromptText(doc, shot).insert(3, ' at dawn');
      (shotMap.get('x-stamps') as Y.Map<unknown>).set('a', 1);
      getReferenceText(doc, ref, 'description')!.insert(0, 'red');
    })).toEqual([{ shotId: shot, field: 'prompt', before: 'fog', after: 'fog at dawn' }]);
  });
});
