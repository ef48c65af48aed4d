/**
 * Boards stored in the old layout convert to the lighter one (no ids inside entities, assignments
 * as `ref:` keys, takes as plain records under `take:` keys) with every value kept, once.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addShot, assignReference, createReference, getReference, getShot, getTake, listComments, listTakes, roots, setShotFields, upsertTake,
  validateDocument,
} from '../../../shared/doc/index.js';
import { convertLegacyLayout } from '../../../shared/doc/legacy-layout.js';
import { OLD, OLD_TAKE_1, OLD_TAKE_2, writeOldLayoutBoard } from '../../helpers/old-layout.js';
import { judgeClientEdit } from './helpers.js';

function oldBoard(): Y.Doc {
  const doc = new Y.Doc();
  writeOldLayoutBoard(doc);
  return doc;
}

/** Every key of every map in the document, as paths. */
function keyPaths(doc: Y.Doc): string[] {
  const out: string[] = [];
  const walk = (m: Y.Map<unknown>, path: string) => m.forEach((v, k) => {
    out.push(`${path}.${k}`);
    if (v instanceof Y.Map) walk(v as Y.Map<unknown>, `${path}.${k}`);
  });
  for (const name of ['meta', 'shots', 'references', 'comments']) walk(doc.getMap(name), name);
  return out;
}

describe('convertLegacyLayout', () => {
  it('the old layout is what the schema now refuses, the converted one is valid', () => {
    const doc = oldBoard();
    expect(validateDocument(doc).join('\n')).toMatch(/shots\.shot_a\.id is its key in its collection now/);
    expect(convertLegacyLayout(doc)).toBe(true);
    expect(validateDocument(doc)).toEqual([]);
  });

  it('keeps every value: shots, assignments, takes, references, comments, unknown fields', () => {
    const doc = oldBoard();
    convertLegacyLayout(doc);
    expect(getShot(doc, OLD.shotA)).toMatchObject({
      id: OLD.shotA, rank: 'a0', title: 'Title of shot_a', prompt: 'Prompt of shot_a', camera: 'crane', status: 'approved',
      approvedBy: 'user_1', selectedTake: OLD.take1, refs: { [OLD.ref]: OLD.version },
    });
    expect(getShot(doc, OLD.shotB)).toMatchObject({ id: OLD.shotB, refs: { [OLD.ref]: '' }, continuesFrom: OLD.shotA });
    expect((roots(doc).shots.get(OLD.shotA) as Y.Map<unknown>).get('x-lighting')).toEqual({ key: 'tungsten' });
    expect(getTake(doc, OLD.shotA, OLD.take1)).toEqual({ id: OLD.take1, ...OLD_TAKE_1 });
    expect(getTake(doc, OLD.shotA, OLD.take2)).toEqual({ id: OLD.take2, ...OLD_TAKE_2 });
    expect(listTakes(doc, OLD.shotA).map((t) => t.id)).toEqual([OLD.take1, OLD.take2]);
    expect(listTakes(doc, OLD.shotB)).toEqual([]);
    expect(getReference(doc, OLD.ref)).toEqual({
      id: OLD.ref, rank: 'a0', kind: 'character', name: 'Mina', description: 'red coat', currentVersion: OLD.version, locked: true,
      versions: [{ id: OLD.version, beat: 'act 1', assets: ['asset_1'], createdAt: '2026-11-30T09:00:00.000Z' }],
    });
    expect(listComments(doc)[0]).toMatchObject({
      id: OLD.comment, shotId: OLD.shotA, takeId: OLD.take1, atSec: 1.5, author: 'user_2', text: 'too dark', resolved: false, mentions: ['user_1'],
    });
    expect(listComments(doc)).toHaveLength(1);
  });

  it('leaves no id inside an entity and no nested refs or takes map', () => {
    const doc = oldBoard();
    convertLegacyLayout(doc);
    const keys = keyPaths(doc);
    expect(keys.filter((k) => /\.(id|refs|takes)$/.test(k))).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining([`shots.${OLD.shotA}.ref:${OLD.ref}`, `shots.${OLD.shotA}.take:${OLD.take1}`, `shots.${OLD.shotA}.take:${OLD.take2}`]));
  });

  it('runs once: a second run writes nothing', () => {
    const doc = oldBoard();
    convertLegacyLayout(doc);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    expect(convertLegacyLayout(doc)).toBe(false);
    expect(updates).toEqual([]);
  });

  it('two replicas converting the same stored board end up the same, every value once', () => {
    const stored = Y.encodeStateAsUpdate(oldBoard());
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(a, stored);
    Y.applyUpdate(b, stored);
    convertLegacyLayout(a);
    convertLegacyLayout(b);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(listTakes(a, OLD.shotA).map((t) => t.id)).toEqual([OLD.take1, OLD.take2]);
    expect(getShot(a, OLD.shotA)?.refs).toEqual({ [OLD.ref]: OLD.version });
    expect(validateDocument(a)).toEqual([]);
  });
});

describe('the lighter layout merges as the old one did', () => {
  /** Two teammates' replicas of one board, edited apart, then merged both ways. */
  function teammates(setup: (doc: Y.Doc) => void) {
    const base = new Y.Doc();
    setup(base);
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(a, Y.encodeStateAsUpdate(base));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(base));
    const merge = () => {
      const [ua, ub] = [Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(b)];
      Y.applyUpdate(a, ub);
      Y.applyUpdate(b, ua);
    };
    return { a, b, merge };
  }

  it('two teammates assigning two different references to one shot at once: both stay', () => {
    let shot = '';
    let [r1, r2] = ['', ''];
    const { a, b, merge } = teammates((d) => {
      shot = addShot(d, { title: 'one' });
      r1 = createReference(d, { kind: 'character', name: 'Mina' });
      r2 = createReference(d, { kind: 'location', name: 'Harbour' });
    });
    assignReference(a, shot, r1);
    assignReference(b, shot, r2);
    merge();
    expect(getShot(a, shot)?.refs).toEqual({ [r1]: '', [r2]: '' });
    expect(getShot(b, shot)?.refs).toEqual({ [r1]: '', [r2]: '' });
  });

  it('two teammates changing two different fields of one shot at once: both stay', () => {
    let shot = '';
    const { a, b, merge } = teammates((d) => void (shot = addShot(d, { title: 'one', durationSec: 5 })));
    setShotFields(a, shot, { durationSec: 8 });
    setShotFields(b, shot, { status: 'ready' });
    merge();
    expect(getShot(a, shot)).toMatchObject({ durationSec: 8, status: 'ready' });
    expect(getShot(b, shot)).toMatchObject({ durationSec: 8, status: 'ready' });
  });

  it('a take written by the server while a teammate edits the shot: both stay', () => {
    let shot = '';
    const { a, b, merge } = teammates((d) => void (shot = addShot(d, { title: 'one' })));
    upsertTake(a, shot, 'take_1', { jobId: 'job_1', model: 'animatic', durationSec: 4, createdBy: 'user_1' });
    setShotFields(b, shot, { durationSec: 7 });
    assignReference(b, shot, createReference(b, { kind: 'prop', name: 'Kite' }));
    merge();
    expect(listTakes(b, shot).map((t) => t.id)).toEqual(['take_1']);
    expect(getShot(a, shot)?.durationSec).toBe(7);
    expect(Object.keys(getShot(a, shot)?.refs ?? {})).toHaveLength(1);
  });
});

describe('defaults are not stored', () => {
  it('a new shot, comment and reference store no default; writing one back deletes the key; reads are the same', () => {
    const doc = new Y.Doc();
    const shot = addShot(doc, { title: 'one', status: 'ready' });
    const map = roots(doc).shots.get(shot) as Y.Map<unknown>;
    expect([map.has('mode'), map.has('durationSec'), map.get('status')]).toEqual([false, false, 'ready']);
    setShotFields(doc, shot, { status: 'draft', durationSec: 8 });
    expect([map.has('status'), map.get('durationSec')]).toEqual([false, 8]);
    expect(getShot(doc, shot)).toMatchObject({ mode: 'text', status: 'draft', durationSec: 8 });
    const ref = roots(doc).references.get(createReference(doc, { kind: 'prop', name: 'Kite' })) as Y.Map<unknown>;
    expect([ref.has('locked'), ref.has('currentVersion')]).toEqual([false, false]);
    expect(validateDocument(doc)).toEqual([]);
  });

  it('a value stored explicitly (an older client) is still valid', () => {
    const server = new Y.Doc();
    const shot = addShot(server, { title: 'one' });
    expect(judgeClientEdit(server, (c) => (roots(c).shots.get(shot) as Y.Map<unknown>).set('mode', 'text'))).toEqual({ ok: true });
  });

  it('one teammate sets a status while another sets it back to the default: the status stays', () => {
    const base = new Y.Doc();
    const shot = addShot(base, { title: 'one', status: 'ready' });
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(a, Y.encodeStateAsUpdate(base));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(base));
    setShotFields(a, shot, { status: 'review' });
    setShotFields(b, shot, { status: 'draft' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect([getShot(a, shot)?.status, getShot(b, shot)?.status]).toEqual(['review', 'review']);
  });
});
