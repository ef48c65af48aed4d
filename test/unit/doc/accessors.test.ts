import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DEFAULT_FPS,
  DocError,
  SHOT,
  addComment,
  addReferenceVersion,
  addShot,
  assignReference,
  createReference,
  deleteReference,
  deleteShot,
  duplicateShot,
  getMeta,
  getPromptText,
  getReference,
  getShot,
  getTake,
  listComments,
  listReferences,
  listTakes,
  newId,
  resolveComment,
  roots,
  selectTake,
  setCurrentVersion,
  setMeta,
  setReferenceLocked,
  setShotFields,
  shotsInOrder,
  unassignReference,
  upsertTake,
  validateDocument,
} from '../../../shared/doc/index.js';

const TAKE = { jobId: 'job_1', model: 'animatic', durationSec: 4, createdBy: 'user_1' };

describe('ids', () => {
  it('are prefixed, URL-safe and distinct', () => {
    const ids = Array.from({ length: 2000 }, () => newId('shot'));
    for (const id of ids) expect(id).toMatch(/^shot_[0-9A-Za-z]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(encodeURIComponent(ids[0]!)).toBe(ids[0]);
  });
});

describe('meta', () => {
  it('has defaults, round-trips, and clears optional fields with null', () => {
    const doc = new Y.Doc();
    expect(getMeta(doc)).toEqual({ title: '', aspectRatio: '16:9', defaultModel: '', fps: DEFAULT_FPS, trimOverlap: false, crossfadeSec: 0 });
    setMeta(doc, { title: 'One take', aspectRatio: '21:9', defaultModel: 'kling', budgetMicroUsd: 120_000_000, sprintStart: '2026-11-24T09:00:00Z', fps: 30, trimOverlap: true, crossfadeSec: 0.5 });
    expect(getMeta(doc)).toEqual({
      title: 'One take', aspectRatio: '21:9', defaultModel: 'kling', budgetMicroUsd: 120_000_000, sprintStart: '2026-11-24T09:00:00Z', fps: 30, trimOverlap: true, crossfadeSec: 0.5,
    });
    expect(() => setMeta(doc, { crossfadeSec: 3 })).toThrow(/crossfadeSec/);
    expect(getMeta(doc).crossfadeSec).toBe(0.5);
    setMeta(doc, { budgetMicroUsd: null });
    expect(getMeta(doc).budgetMicroUsd).toBeUndefined();
  });

  it('keeps money in whole micro-dollars: a fraction (a float artefact) or a negative amount is refused', () => {
    const doc = new Y.Doc();
    expect(() => setMeta(doc, { budgetMicroUsd: 290_000.00000000006 })).toThrow(/budgetMicroUsd: expected a whole number in \[0, 9007199254740991\]/);
    expect(() => setMeta(doc, { budgetMicroUsd: -1 })).toThrow(/budgetMicroUsd/);
    expect(getMeta(doc).budgetMicroUsd).toBeUndefined();
    const shot = addShot(doc, { title: 'a' });
    expect(() => upsertTake(doc, shot, 'take_1', { jobId: 'job_1', model: 'm', durationSec: 5, createdBy: 'u', costMicroUsd: 0.5 })).toThrow(/costMicroUsd/);
  });

  it('refuses a bad value and writes nothing of the patch', () => {
    const doc = new Y.Doc();
    expect(() => setMeta(doc, { title: 'ok', aspectRatio: '2:1' as never })).toThrow(DocError);
    expect(() => setMeta(doc, { sprintEnd: 'next tuesday' })).toThrow(/ISO/);
    expect(getMeta(doc).title).toBe('');
  });
});

describe('shots', () => {
  it('round-trip through addShot, getShot and setShotFields', () => {
    const doc = new Y.Doc();
    setMeta(doc, { defaultModel: 'veo' });
    const id = addShot(doc, { title: 'Crane up', prompt: 'a crane shot', shotSize: 'WS', camera: 'crane' });
    expect(getShot(doc, id)).toMatchObject({
      id, title: 'Crane up', prompt: 'a crane shot', mode: 'text', durationSec: 5, model: 'veo',
      shotSize: 'WS', camera: 'crane', refs: {}, status: 'draft', notes: '',
    });
    setShotFields(doc, id, { durationSec: 7.5, mode: 'image', startFrame: 'asset_9', status: 'ready', notes: 'keep it slow', camera: null });
    const shot = getShot(doc, id)!;
    expect(shot).toMatchObject({ durationSec: 7.5, mode: 'image', startFrame: 'asset_9', status: 'ready', notes: 'keep it slow' });
    expect(shot.camera).toBeUndefined();
    expect(getShot(doc, 'shot_missing')).toBeUndefined();
    expect(validateDocument(doc)).toEqual([]);
  });

  it('keep unknown fields through setShotFields', () => {
    const doc = new Y.Doc();
    const id = addShot(doc, { title: 'x' });
    const map = roots(doc).shots.get(id) as Y.Map<unknown>;
    const lut = new Y.Map<unknown>();
    map.set('x-lut', 'kodak-2383');
    map.set('x-grade', lut);
    lut.set('lift', 0.1);
    setShotFields(doc, id, { title: 'y', durationSec: 3 });
    expect(map.get('x-lut')).toBe('kodak-2383');
    expect(map.get('x-grade')).toBe(lut); // the same Y.Map, not a rebuilt copy
    expect(lut.get('lift')).toBe(0.1);
    expect(getShot(doc, id)?.title).toBe('y');
  });

  it('validate enums and numbers, writing nothing on error', () => {
    const doc = new Y.Doc();
    const id = addShot(doc);
    const before = Y.encodeStateVector(doc);
    expect(() => setShotFields(doc, id, { title: 'new', durationSec: 0 })).toThrow(/durationSec/);
    expect(() => setShotFields(doc, id, { durationSec: 61 })).toThrow(DocError);
    expect(() => setShotFields(doc, id, { durationSec: Number.NaN })).toThrow(DocError);
    expect(() => setShotFields(doc, id, { mode: 'dream' as never })).toThrow(/mode/);
    expect(() => setShotFields(doc, id, { status: 'done' as never })).toThrow(/status/);
    expect(() => setShotFields(doc, id, { title: null as never })).toThrow(/title: expected a string/);
    expect(() => setShotFields(doc, id, { continuesFrom: id })).toThrow(/loop/);
    expect(() => setShotFields(doc, 'shot_nope', { title: 'x' })).toThrow(/not found/);
    expect(() => addShot(doc, { durationSec: -1 })).toThrow(DocError);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(getShot(doc, id)?.title).toBe('');
  });

  it('keep continue-from chains free of loops', () => {
    const doc = new Y.Doc();
    const a = addShot(doc);
    const b = addShot(doc, { continuesFrom: a });
    const c = addShot(doc, { continuesFrom: b });
    expect(() => setShotFields(doc, a, { continuesFrom: c })).toThrow(/loop/);
    setShotFields(doc, a, { continuesFrom: null });
    expect(getShot(doc, c)?.continuesFrom).toBe(b);
  });

  it('duplicate right after the original, without takes or review state', () => {
    const doc = new Y.Doc();
    const a = addShot(doc, { title: 'A', prompt: 'rain', status: 'approved' });
    const b = addShot(doc, { title: 'B' });
    const ref = createReference(doc, { kind: 'location', name: 'Alley' });
    assignReference(doc, a, ref);
    (roots(doc).shots.get(a) as Y.Map<unknown>).set('x-custom', 3);
    upsertTake(doc, a, 'take_1', TAKE);
    selectTake(doc, a, 'take_1');
    const copy = duplicateShot(doc, a);
    expect(shotsInOrder(doc).map((s) => s.id)).toEqual([a, copy, b]);
    expect(getShot(doc, copy)).toMatchObject({ title: 'A', prompt: 'rain', status: 'draft', refs: { [ref]: '' } });
    expect(getShot(doc, copy)?.selectedTake).toBeUndefined();
    expect(listTakes(doc, copy)).toEqual([]);
    expect((roots(doc).shots.get(copy) as Y.Map<unknown>).get('x-custom')).toBe(3);
    getPromptText(doc, copy).insert(0, 'heavy ');
    expect(getShot(doc, a)?.prompt).toBe('rain'); // the copy's text is its own
  });

  it('delete with their takes, and followers stop continuing from them', () => {
    const doc = new Y.Doc();
    const a = addShot(doc);
    const b = addShot(doc, { continuesFrom: a });
    upsertTake(doc, a, 'take_1', TAKE);
    expect(deleteShot(doc, a)).toBe(true);
    expect(deleteShot(doc, a)).toBe(false);
    expect(shotsInOrder(doc).map((s) => s.id)).toEqual([b]);
    expect(getShot(doc, b)?.continuesFrom).toBeUndefined();
  });

  it('give editors the live prompt Y.Text', () => {
    const doc = new Y.Doc();
    const id = addShot(doc, { prompt: 'dusk' });
    const text = getPromptText(doc, id);
    expect(text).toBe(getPromptText(doc, id));
    text.insert(4, ', neon');
    expect(getShot(doc, id)?.prompt).toBe('dusk, neon');
    setShotFields(doc, id, { prompt: 'dawn' });
    expect(text.toString()).toBe('dawn');
  });
});

describe('references and assignments', () => {
  it('version, pin, lock and list', () => {
    const doc = new Y.Doc();
    const mina = createReference(doc, { kind: 'character', name: 'Mina', description: 'red coat' });
    const alley = createReference(doc, { kind: 'location', name: 'Alley' });
    expect(getReference(doc, mina)).toMatchObject({ kind: 'character', name: 'Mina', description: 'red coat', versions: [], currentVersion: '', locked: false });
    const v1 = addReferenceVersion(doc, mina, { beat: 'act 1', assets: ['asset_a', 'asset_b'], createdAt: '2026-11-24T10:00:00Z' });
    const v2 = addReferenceVersion(doc, mina, { beat: 'act 2', assets: ['asset_c'], createdAt: '2026-11-24T11:00:00Z' });
    expect(getReference(doc, mina)?.currentVersion).toBe(v1); // first version becomes current, later ones do not
    setCurrentVersion(doc, mina, v2);
    setReferenceLocked(doc, mina, true);
    const view = getReference(doc, mina)!;
    expect(view).toMatchObject({ currentVersion: v2, locked: true });
    expect(view.versions.map((v) => [v.id, v.beat, v.assets])).toEqual([[v1, 'act 1', ['asset_a', 'asset_b']], [v2, 'act 2', ['asset_c']]]);
    expect(listReferences(doc).map((r) => r.name)).toEqual(['Mina', 'Alley']); // the order they were added, never by name
    expect(() => setCurrentVersion(doc, mina, 'ver_nope')).toThrow(/not found/);
    expect(() => addReferenceVersion(doc, mina, { beat: 'x', assets: [''] })).toThrow(DocError);

    const shot = addShot(doc);
    assignReference(doc, shot, mina, v1);
    assignReference(doc, shot, alley);
    expect(getShot(doc, shot)?.refs).toEqual({ [mina]: v1, [alley]: '' });
    expect(() => assignReference(doc, shot, mina, 'ver_nope')).toThrow(/not found/);
    expect(() => assignReference(doc, shot, 'ref_nope')).toThrow(/not found/);
    unassignReference(doc, shot, mina);
    expect(getShot(doc, shot)?.refs).toEqual({ [alley]: '' });
    deleteReference(doc, alley);
    expect(getShot(doc, shot)?.refs).toEqual({});
    expect(validateDocument(doc)).toEqual([]);
  });
});

describe('takes', () => {
  it('upsert, list and select; selection writes only the selection', () => {
    const doc = new Y.Doc();
    const a = addShot(doc);
    const b = addShot(doc, { continuesFrom: a });
    const c = addShot(doc);
    upsertTake(doc, a, 'take_2', { ...TAKE, createdAt: '2026-11-24T10:05:00Z' });
    upsertTake(doc, a, 'take_1', { ...TAKE, createdAt: '2026-11-24T10:00:00Z', seed: 7 });
    expect(getTake(doc, a, 'take_2')).toMatchObject({ status: 'queued', costMicroUsd: 0, jobId: 'job_1' });
    upsertTake(doc, a, 'take_2', { status: 'succeeded', costMicroUsd: 1_250_000, clip: 'asset_clip', tail: 'asset_tail' });
    expect(listTakes(doc, a).map((t) => [t.id, t.status])).toEqual([['take_1', 'queued'], ['take_2', 'succeeded']]);
    expect(getTake(doc, a, 'take_1')?.seed).toBe(7);
    expect(() => upsertTake(doc, a, 'take_3', { status: 'queued' })).toThrow(/missing jobId, model, durationSec, createdBy/);
    expect(() => upsertTake(doc, a, 'take_2', { status: 'done' as never })).toThrow(DocError);

    const before = { b: getShot(doc, b), c: getShot(doc, c) };
    selectTake(doc, a, 'take_2');
    expect(getShot(doc, a)?.selectedTake).toBe('take_2');
    // Followers are judged by chain.ts from the take fields; nothing is written on them.
    expect({ b: getShot(doc, b), c: getShot(doc, c) }).toEqual(before);
    expect(() => selectTake(doc, a, 'take_nope')).toThrow(/not found/);
    selectTake(doc, a, null);
    expect(getShot(doc, a)?.selectedTake).toBeUndefined();
    expect(validateDocument(doc)).toEqual([]);
  });
});

describe('comments', () => {
  it('add, resolve and list by shot and take', () => {
    const doc = new Y.Doc();
    const a = addShot(doc);
    const b = addShot(doc);
    const c1 = addComment(doc, { shotId: a, author: 'user_1', text: 'too dark', createdAt: '2026-11-24T10:00:00Z' });
    const c2 = addComment(doc, { shotId: a, takeId: 'take_1', atSec: 2.5, author: 'user_2', text: 'jump here @Ana', mentions: ['user_1'], createdAt: '2026-11-24T10:01:00Z' });
    addComment(doc, { shotId: b, author: 'user_1', text: 'ok' });
    resolveComment(doc, c1);
    expect(listComments(doc, { shotId: a })).toEqual([
      { id: c1, shotId: a, author: 'user_1', text: 'too dark', createdAt: '2026-11-24T10:00:00Z', resolved: true, mentions: [] },
      { id: c2, shotId: a, takeId: 'take_1', atSec: 2.5, author: 'user_2', text: 'jump here @Ana', mentions: ['user_1'], createdAt: '2026-11-24T10:01:00Z', resolved: false },
    ]);
    expect(listComments(doc, { takeId: 'take_1' }).map((c) => c.id)).toEqual([c2]);
    expect(listComments(doc)).toHaveLength(3);
    expect(() => addComment(doc, { shotId: 'shot_nope', author: 'u', text: 'x' })).toThrow(/not found/);
    expect(() => addComment(doc, { shotId: a, author: 'u', text: 'x', mentions: ['user_1', 'user_1'] })).toThrow(/mentions: each id at most once/);
    expect(() => addComment(doc, { shotId: a, author: 'u', text: 'x', mentions: Array.from({ length: 21 }, (_, i) => `u${i}`) })).toThrow(/mentions: at most 20 ids, got 21/);
    expect(() => addComment(doc, { shotId: a, author: 'u', text: 'x', mentions: [''] })).toThrow(/mentions\[0\]: expected a non-empty id/);
    expect(validateDocument(doc)).toEqual([]);
  });
});

describe('field names', () => {
  it('are the ones docs/document-schema.md fixes', () => {
    const doc = new Y.Doc();
    const id = addShot(doc, { title: 't' });
    const keys = [...(roots(doc).shots.get(id) as Y.Map<unknown>).keys()].sort();
    // mode 'text', status 'draft' and durationSec 5 are defaults, not stored (SHOT_SPEC.defaults).
    expect(keys).toEqual(['camera', 'model', 'notes', 'prompt', 'rank', 'title']);
    expect(SHOT.selectedTake).toBe('selectedTake');
  });
});
