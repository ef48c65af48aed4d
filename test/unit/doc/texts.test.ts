/**
 * Shared text fields (titles, names, beats, camera, board title): the accessors create and edit
 * Y.Texts while views still read plain strings, and boards stored with the old string fields are
 * converted once, deterministically, with nothing lost.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_UPDATED,
  addReferenceVersion,
  addShot,
  convertLegacyTexts,
  createReference,
  getMeta,
  getReference,
  getReferenceText,
  getShot,
  getShotText,
  getTitleText,
  getVersionBeatText,
  legacyTexts,
  roots,
  setMeta,
  setReferenceFields,
  setShotFields,
  shotsInOrder,
  validateDocument,
  META,
  REFERENCE,
  SHOT,
  VERSION,
} from '../../../shared/doc/index.js';
import { applyAsServer, judgeClientEdit, replicaOf, serverCopy, syncAll, updateSince, writeLegacyBoard } from './helpers.js';

/** A board as a client built before this change stored it: plain strings in the text fields. */
function legacyBoard(): Y.Doc {
  const doc = new Y.Doc();
  writeLegacyBoard(doc);
  return doc;
}

const plain = (doc: Y.Doc) => ({
  title: getMeta(doc).title,
  shot: getShot(doc, 'shot_1'),
  ref: getReference(doc, 'ref_1'),
});

describe('shared text accessors', () => {
  it('create Y.Texts and still give views plain strings', () => {
    const doc = new Y.Doc();
    setMeta(doc, { title: 'Board' });
    const shot = addShot(doc, { title: 'Crane up', camera: 'crane' });
    const ref = createReference(doc, { kind: 'character', name: 'Mina' });
    const ver = addReferenceVersion(doc, ref, { beat: 'act 1', assets: [] });
    for (const t of [getTitleText(doc), getShotText(doc, shot, 'title'), getShotText(doc, shot, 'camera'), getReferenceText(doc, ref, 'name'), getVersionBeatText(doc, ref, ver)]) {
      expect(t).toBeInstanceOf(Y.Text);
    }
    expect(getMeta(doc).title).toBe('Board');
    expect(getShot(doc, shot)).toMatchObject({ title: 'Crane up', camera: 'crane' });
    expect(getReference(doc, ref)).toMatchObject({ name: 'Mina', versions: [{ beat: 'act 1' }] });
    expect(validateDocument(doc)).toEqual([]);
  });

  it('edit the same Y.Text in place, so a concurrent teammate keeps their characters', () => {
    const base = new Y.Doc();
    const shot = addShot(base, { title: 'Crane' });
    const [a, b] = [replicaOf(base), replicaOf(base)];
    const before = getShotText(a, shot, 'title');
    setShotFields(a!, shot, { title: 'Crane up' }); // a rename through the accessor
    getShotText(b!, shot, 'title')!.insert(0, 'Big '); // a teammate typing at the start
    syncAll([a!, b!]);
    expect(getShotText(a!, shot, 'title')).toBe(before);
    expect(getShot(a!, shot)?.title).toBe('Big Crane up');
    expect(getShot(b!, shot)?.title).toBe('Big Crane up');
    setShotFields(a!, shot, { camera: null });
    expect(getShot(a!, shot)?.camera).toBeUndefined();
    setReferenceFields(a!, createReference(a!, { kind: 'prop', name: 'Lamp' }), { name: 'Red lamp' });
    expect(validateDocument(a!)).toEqual([]);
  });
});

it('a rename keeps emoji whole on every replica', () => {
  const base = new Y.Doc();
  const shot = addShot(base, { title: 'Rain 😀' });
  const other = replicaOf(base);
  setShotFields(base, shot, { title: 'Rain 😃' }); // differs only in the low half of the pair
  syncAll([base, other]);
  expect(getShot(other, shot)?.title).toBe('Rain 😃');
});

describe('the validator', () => {
  it('refuses a plain string in a text field with a reason that asks to reload, and accepts typing', () => {
    const doc = new Y.Doc();
    const shot = addShot(doc, { title: 'A' });
    const ref = createReference(doc, { kind: 'prop', name: 'Lamp' });
    const ver = addReferenceVersion(doc, ref, { beat: 'act 1', assets: [] });
    const writes: Array<(c: Y.Doc) => void> = [
      (c) => (roots(c).shots.get(shot) as Y.Map<unknown>).set(SHOT.title, 'old client'),
      (c) => (roots(c).shots.get(shot) as Y.Map<unknown>).set(SHOT.camera, 'pan'),
      (c) => roots(c).meta.set(META.title, 'renamed'),
      (c) => (roots(c).references.get(ref) as Y.Map<unknown>).set(REFERENCE.name, 'Bulb'),
      (c) => (getVersionBeatText(c, ref, ver)!.parent as Y.Map<unknown>).set(VERSION.beat, 'act 2'),
    ];
    for (const write of writes) {
      const verdict = judgeClientEdit(doc, write);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.reason.startsWith(BOARD_UPDATED)).toBe(true);
    }
    expect(judgeClientEdit(doc, (c) => getShotText(c, shot, 'title')!.insert(1, 'BC'))).toEqual({ ok: true });
  });
});

describe('converting a board stored with string fields', () => {
  it('reads the old strings as they are before conversion, and does not hand them out as texts', () => {
    const doc = legacyBoard();
    expect(plain(doc).title).toBe('Night market');
    expect(plain(doc).shot).toMatchObject({ title: 'Crane up', camera: 'crane' });
    expect(plain(doc).ref).toMatchObject({ name: 'Mina', versions: [{ beat: 'act 1' }] });
    expect(getShotText(doc, 'shot_1', 'title')).toBeUndefined();
    expect(legacyTexts(doc).map((l) => l.key)).toEqual([META.title, SHOT.camera, SHOT.title, REFERENCE.name, VERSION.beat]);
  });

  it('turns every string into a Y.Text with the same content, once', () => {
    const doc = legacyBoard();
    const before = plain(doc);
    expect(convertLegacyTexts(doc)).toBe(true);
    expect(plain(doc)).toEqual(before);
    expect(getTitleText(doc)?.toString()).toBe('Night market');
    expect(getShotText(doc, 'shot_1', 'title')?.toString()).toBe('Crane up');
    expect(getShotText(doc, 'shot_1', 'camera')?.toString()).toBe('crane');
    expect(getReferenceText(doc, 'ref_1', 'name')?.toString()).toBe('Mina');
    expect(getVersionBeatText(doc, 'ref_1', 'ver_1')?.toString()).toBe('act 1');
    expect(validateDocument(doc)).toEqual([]);
    const sv = Y.encodeStateVector(doc);
    expect(convertLegacyTexts(doc)).toBe(false);
    expect(Y.encodeStateVector(doc)).toEqual(sv);
  });

  it('is accepted by the validator as a server write', () => {
    const doc = legacyBoard();
    const server = serverCopy(doc);
    const before = Y.encodeStateVector(doc);
    convertLegacyTexts(doc);
    expect(applyAsServer(server, updateSince(doc, before), 'server')).toEqual({ ok: true });
    expect(plain(server)).toEqual(plain(doc));
  });

  it('on two instances at once from the same state: identical updates, one Y.Text per field', () => {
    const stored = legacyBoard();
    const [one, two] = [replicaOf(stored), replicaOf(stored)];
    const sv = Y.encodeStateVector(stored);
    convertLegacyTexts(one!);
    convertLegacyTexts(two!);
    expect(updateSince(one!, sv)).toEqual(updateSince(two!, sv));
    // A user types into the title on instance one before instance two's conversion arrives.
    getShotText(one!, 'shot_1', 'title')!.insert(5, ' slowly');
    syncAll([one!, two!]);
    for (const d of [one!, two!]) {
      expect(getShot(d, 'shot_1')?.title).toBe('Crane slowly up');
      expect(validateDocument(d)).toEqual([]);
    }
  });

  it('on two instances from different states: they agree on one text, made from a stored string', () => {
    const stored = legacyBoard();
    const [one, two] = [replicaOf(stored), replicaOf(stored)];
    // An outdated client renamed the shot on instance two before it converted.
    (roots(two!).shots.get('shot_1') as Y.Map<unknown>).set(SHOT.title, 'Crane down');
    convertLegacyTexts(one!);
    convertLegacyTexts(two!);
    syncAll([one!, two!]);
    const title = getShot(one!, 'shot_1')?.title;
    expect(getShot(two!, 'shot_1')?.title).toBe(title);
    expect(['Crane up', 'Crane down']).toContain(title);
    expect(getShotText(one!, 'shot_1', 'title')?.toString()).toBe(title);
    expect(validateDocument(one!)).toEqual([]);
    expect(shotsInOrder(one!)).toHaveLength(1);
  });
});
