/**
 * The continuity bible in the board document (shared/doc/bible.ts): entries are `bible:<referenceId>`
 * keys of meta, a shot's overrides its `bible:<role>` keys. The sync server refuses an entry that
 * names no reference of the board or a version it does not have, a bad override value, and any
 * bible edit by a viewer or commenter; deleting a reference or a pinned version keeps it consistent.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { COMMENT_ONLY_NOTICE, READ_ONLY_NOTICE } from '../../../shared/sync.js';
import {
  addReferenceVersion,
  addShot,
  bibleKey,
  bibleOverrideKey,
  createReference,
  deleteReference,
  deleteReferenceVersion,
  getMeta,
  getShot,
  listReferences,
  readTemplate,
  shotsInOrder,
  writeTemplate,
  removeBibleEntry,
  roots,
  setBibleEntry,
  setBibleOverride,
  validateDocument,
  type Actor,
} from '../../../shared/doc/index.js';
import { judgeClientEdit } from './helpers.js';

const VIC: Actor = { userId: 'user_vic', role: 'viewer' };
const CORA: Actor = { userId: 'user_cora', role: 'commenter' };

function makeBoard() {
  const doc = new Y.Doc();
  const shot = addShot(doc, { title: 'Harbour', prompt: '@Mara at the harbour' });
  const mara = createReference(doc, { kind: 'character', name: 'Mara' });
  const v1 = addReferenceVersion(doc, mara, { beat: 'act 1', assets: ['asset_sheet'] });
  const v2 = addReferenceVersion(doc, mara, { beat: 'act 2', assets: ['asset_sheet2'] });
  return { doc, shot, mara, v1, v2 };
}

describe('the continuity bible in the document', () => {
  it('reads entries and overrides back, and inherit is the default (not stored)', () => {
    const { doc, shot, mara, v1 } = makeBoard();
    setBibleEntry(doc, mara);
    expect(getMeta(doc).bible).toEqual({ [mara]: '' });
    setBibleEntry(doc, mara, v1);
    expect(getMeta(doc).bible).toEqual({ [mara]: v1 });
    setBibleOverride(doc, shot, 'character', 'replace');
    setBibleOverride(doc, shot, 'voice', 'drop');
    expect(getShot(doc, shot)!.bible).toEqual({ character: 'replace', voice: 'drop' });
    setBibleOverride(doc, shot, 'character', 'inherit');
    expect(getShot(doc, shot)!.bible).toEqual({ voice: 'drop' });
    expect((roots(doc).shots.get(shot) as Y.Map<unknown>).has(bibleOverrideKey('character'))).toBe(false);
    removeBibleEntry(doc, mara);
    expect(getMeta(doc).bible).toBeUndefined();
    expect(validateDocument(doc)).toEqual([]);
  });

  it('the accessors refuse a reference or version that does not exist, writing nothing', () => {
    const { doc, mara } = makeBoard();
    expect(() => setBibleEntry(doc, 'ref_gone')).toThrow(/reference "ref_gone" not found/);
    expect(() => setBibleEntry(doc, mara, 'ver_gone')).toThrow(/ver_gone/);
    expect(getMeta(doc).bible).toBeUndefined();
  });

  it('deleting a reference takes it out of the bible; deleting its pinned version makes the entry follow current', () => {
    const { doc, mara, v1 } = makeBoard();
    setBibleEntry(doc, mara, v1);
    deleteReferenceVersion(doc, mara, v1);
    expect(getMeta(doc).bible).toEqual({ [mara]: '' });
    deleteReference(doc, mara);
    expect(getMeta(doc).bible).toBeUndefined();
  });
});

describe('a board duplicated as a template', () => {
  it('keeps its bible (pins mapped to the copy’s versions) and each shot’s overrides', () => {
    const { doc, shot, mara, v1 } = makeBoard();
    setBibleEntry(doc, mara, v1);
    setBibleOverride(doc, shot, 'location', 'drop');
    const copy = new Y.Doc();
    writeTemplate(copy, readTemplate(doc), 'Copy', new Map([['asset_sheet', 'asset_copy1'], ['asset_sheet2', 'asset_copy2']]));
    const [ref] = listReferences(copy);
    const pinned = ref!.versions.find((v) => v.beat === 'act 1')!;
    expect(getMeta(copy).bible).toEqual({ [ref!.id]: pinned.id });
    expect(shotsInOrder(copy)[0]!.bible).toEqual({ location: 'drop' });
    expect(validateDocument(copy)).toEqual([]);
  });
});

describe('the sync server judges bible edits', () => {
  it('an editor adds, pins and removes entries and sets overrides', () => {
    const { doc, shot, mara, v2 } = makeBoard();
    expect(judgeClientEdit(doc, (c) => setBibleEntry(c, mara, v2))).toEqual({ ok: true });
    expect(judgeClientEdit(doc, (c) => setBibleOverride(c, shot, 'location', 'drop'))).toEqual({ ok: true });
  });

  it('refuses an entry naming a deleted (or never existing) reference, and a version the reference lacks', () => {
    const { doc, mara } = makeBoard();
    const gone = judgeClientEdit(doc, (c) => roots(c).meta.set(bibleKey('ref_deleted'), ''));
    expect(gone).toEqual({ ok: false, reason: 'meta.bible:ref_deleted: no reference "ref_deleted" on this board (deleted?); pick one from the library' });
    const badPin = judgeClientEdit(doc, (c) => roots(c).meta.set(bibleKey(mara), 'ver_nope'));
    expect(badPin.ok).toBe(false);
    if (!badPin.ok) expect(badPin.reason).toMatch(/the reference has no version "ver_nope"/);
    const notString = judgeClientEdit(doc, (c) => roots(c).meta.set(bibleKey(mara), 7));
    expect(notString.ok).toBe(false);
  });

  it('refuses an entry for a reference deleted in the same update', () => {
    const { doc, mara } = makeBoard();
    const verdict = judgeClientEdit(doc, (c) => {
      c.transact(() => {
        roots(c).references.delete(mara);
        roots(c).meta.set(bibleKey(mara), '');
      });
    });
    expect(verdict.ok).toBe(false);
  });

  it('refuses an override value outside inherit/replace/drop, naming the allowed values', () => {
    const { doc, shot } = makeBoard();
    const verdict = judgeClientEdit(doc, (c) => (roots(c).shots.get(shot) as Y.Map<unknown>).set(bibleOverrideKey('character'), 'swap'));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/bible:character.*inherit.*replace.*drop/);
  });

  it('a viewer cannot edit the bible or a shot override; a commenter neither', () => {
    const { doc, shot, mara } = makeBoard();
    expect(judgeClientEdit(doc, (c) => setBibleEntry(c, mara), VIC)).toEqual({ ok: false, reason: READ_ONLY_NOTICE });
    expect(judgeClientEdit(doc, (c) => setBibleOverride(c, shot, 'style', 'drop'), VIC)).toEqual({ ok: false, reason: READ_ONLY_NOTICE });
    const byCommenter = judgeClientEdit(doc, (c) => setBibleEntry(c, mara), CORA);
    expect(byCommenter.ok).toBe(false);
    if (!byCommenter.ok) expect(byCommenter.reason.startsWith(COMMENT_ONLY_NOTICE)).toBe(true);
  });
});
