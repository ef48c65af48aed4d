/**
 * A board as the code before the lighter layout (issue 23) stored it, written with raw Yjs:
 * an `id` inside every entity, a shot's assignments in a nested `refs` Y.Map and its takes as
 * Y.Maps in a nested `takes` Y.Map. For the converter and migration tests.
 */
import * as Y from 'yjs';

export const OLD = {
  shotA: 'shot_a', shotB: 'shot_b', ref: 'ref_1', version: 'ver_1', take1: 'take_1', take2: 'take_2', comment: 'cmt_1',
} as const;

export const OLD_SENT = { references: [], frames: [{ role: 'first', assetId: 'asset_frame' }], left: [{ what: 'end frame', why: 'model takes one frame' }] };

export const OLD_TAKE_1 = {
  jobId: 'job_1', status: 'succeeded', model: 'fal:seedance-2.0', seed: 7, durationSec: 5, costMicroUsd: 1_512_000,
  createdBy: 'user_1', createdAt: '2026-12-01T10:00:00.000Z', number: 1, clip: 'asset_clip', poster: 'asset_poster',
  prompt: 'a crane shot over the harbour', sent: OLD_SENT,
};
export const OLD_TAKE_2 = {
  jobId: 'job_2', status: 'failed', model: 'animatic', durationSec: 4, costMicroUsd: 0,
  createdBy: 'user_2', createdAt: '2026-12-01T11:00:00.000Z', number: 2, error: 'provider timed out',
};

const map = (fields: Record<string, unknown>) => {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
  return m;
};

/** A take in the old layout: a Y.Map with its id inside. */
export function oldTake(id: string, fields: Record<string, unknown>): Y.Map<unknown> {
  return map({ id, ...fields });
}

/** A shot in the old layout, with `refs` and `takes` maps. */
export function oldShot(id: string, fields: Record<string, unknown>, refs: Record<string, string>, takes: Record<string, Record<string, unknown>>): Y.Map<unknown> {
  return map({
    id, mode: 'text', durationSec: 5, model: 'animatic', status: 'draft', ...fields,
    title: new Y.Text(`Title of ${id}`), prompt: new Y.Text(`Prompt of ${id}`), camera: new Y.Text('crane'), notes: new Y.Text(''),
    refs: map(refs),
    takes: map(Object.fromEntries(Object.entries(takes).map(([t, f]) => [t, oldTake(t, f)]))),
  });
}

/** Writes the whole old board into `doc` in one transaction. */
export function writeOldLayoutBoard(doc: Y.Doc): void {
  doc.transact(() => {
    doc.getMap('meta').set('title', new Y.Text('Harbour'));
    const version = map({ id: OLD.version, beat: new Y.Text('act 1'), assets: Y.Array.from(['asset_1']), createdAt: '2026-11-30T09:00:00.000Z' });
    doc.getMap('references').set(OLD.ref, map({
      id: OLD.ref, rank: 'a0', kind: 'character', name: new Y.Text('Mina'), description: new Y.Text('red coat'),
      versions: map({ [OLD.version]: version }), currentVersion: OLD.version, locked: true,
    }));
    const shots = doc.getMap('shots');
    shots.set(OLD.shotA, oldShot(OLD.shotA, { rank: 'a0', status: 'approved', approvedBy: 'user_1', selectedTake: OLD.take1, 'x-lighting': { key: 'tungsten' } },
      { [OLD.ref]: OLD.version }, { [OLD.take1]: OLD_TAKE_1, [OLD.take2]: OLD_TAKE_2 }));
    shots.set(OLD.shotB, oldShot(OLD.shotB, { rank: 'a1', continuesFrom: OLD.shotA }, { [OLD.ref]: '' }, {}));
    doc.getMap('comments').set(OLD.comment, map({
      id: OLD.comment, shotId: OLD.shotA, takeId: OLD.take1, atSec: 1.5, author: 'user_2', text: 'too dark', createdAt: '2026-12-01T12:00:00.000Z',
      resolved: false, mentions: ['user_1'],
    }));
  });
}
