import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addReferenceVersion,
  addShot,
  asConverter,
  assignReference,
  createReference,
  deleteReferenceVersion,
  DocError,
  getReference,
  getShot,
  listReferences,
  moveReference,
  rankLegacyReferences,
  renameReferenceVersion,
  roots,
  setReferenceFields,
  REFERENCE,
} from '../../../shared/doc/index.js';
import { applyAsServer, replicaOf, syncAll, updateSince } from './helpers.js';

const names = (doc: Y.Doc) => listReferences(doc).map((r) => r.name);

describe('reference card order', () => {
  it('keeps the order people give, never by name', () => {
    const doc = new Y.Doc();
    const zoe = createReference(doc, { kind: 'character', name: 'Zoë' });
    const alley = createReference(doc, { kind: 'location', name: 'Alley' });
    const mara = createReference(doc, { kind: 'character', name: 'Mara' });
    expect(names(doc)).toEqual(['Zoë', 'Alley', 'Mara']);
    moveReference(doc, mara, { before: zoe });
    expect(names(doc)).toEqual(['Mara', 'Zoë', 'Alley']);
    moveReference(doc, mara, { after: alley });
    expect(names(doc)).toEqual(['Zoë', 'Alley', 'Mara']);
    // A rename does not move the card.
    setReferenceFields(doc, zoe, { name: 'Aaron' });
    expect(names(doc)).toEqual(['Aaron', 'Alley', 'Mara']);
    expect(() => moveReference(doc, mara, { before: 'ref_nope' })).toThrow(/not found/);
  });

  it('concurrent moves converge on every replica', () => {
    const a = new Y.Doc();
    const ids = ['A', 'B', 'C', 'D'].map((n) => createReference(a, { kind: 'prop', name: n }));
    const b = replicaOf(a);
    moveReference(a, ids[0]!, { after: ids[3]! });
    moveReference(b, ids[0]!, { after: ids[1]! });
    moveReference(b, ids[2]!, { before: ids[1]! });
    syncAll([a, b]);
    expect(names(a)).toEqual(names(b));
    expect(new Set(names(a)).size).toBe(4);
  });

  it('ranks cards from before cards had an order, in the order they showed (by name), the same on every instance', () => {
    const old = new Y.Doc();
    for (const n of ['Pier', 'Anna', 'Kite']) createReference(old, { kind: 'prop', name: n });
    // Make it a board from before: no ranks.
    roots(old).references.forEach((r) => (r as Y.Map<unknown>).delete(REFERENCE.rank));
    expect(names(old)).toEqual(['Anna', 'Kite', 'Pier']);
    const one = replicaOf(old);
    const two = replicaOf(old);
    const sv = Y.encodeStateVector(old);
    asConverter(one, () => rankLegacyReferences(one));
    asConverter(two, () => rankLegacyReferences(two));
    expect(updateSince(one, sv)).toEqual(updateSince(two, sv));
    expect(names(one)).toEqual(['Anna', 'Kite', 'Pier']);
    expect(listReferences(one).every((r) => r.rank !== '')).toBe(true);
    expect(rankLegacyReferences(one)).toBe(false);
  });
});

describe('reference versions and names', () => {
  it('renames and deletes a version; the current one falls back to the newest left, pinned shots follow current', () => {
    const doc = new Y.Doc();
    const mara = createReference(doc, { kind: 'character', name: 'Mara' });
    const v1 = addReferenceVersion(doc, mara, { beat: 'Act 1', assets: [], createdAt: '2026-12-01T10:00:00Z' });
    const v2 = addReferenceVersion(doc, mara, { beat: 'Act 2', assets: [], createdAt: '2026-12-01T11:00:00Z' });
    const shot = addShot(doc);
    assignReference(doc, shot, mara, v1);
    renameReferenceVersion(doc, mara, v2, 'Act 2, soaked');
    expect(getReference(doc, mara)!.versions.map((v) => v.beat)).toEqual(['Act 1', 'Act 2, soaked']);
    deleteReferenceVersion(doc, mara, v1);
    expect(getReference(doc, mara)).toMatchObject({ currentVersion: v2, versions: [{ id: v2 }] });
    expect(getShot(doc, shot)!.refs).toEqual({ [mara]: '' });
    deleteReferenceVersion(doc, mara, v2);
    expect(getReference(doc, mara)).toMatchObject({ currentVersion: '', versions: [] });
  });

  it('refuses empty names, naming the field', () => {
    const doc = new Y.Doc();
    expect(() => createReference(doc, { kind: 'prop', name: '  ' })).toThrow(/reference\.name: must not be empty/);
    const mara = createReference(doc, { kind: 'character', name: 'Mara' });
    const v1 = addReferenceVersion(doc, mara, { beat: 'Act 1', assets: [] });
    expect(() => setReferenceFields(doc, mara, { name: '' })).toThrow(DocError);
    expect(() => renameReferenceVersion(doc, mara, v1, ' ')).toThrow(/beat: must not be empty/);
    expect(() => addReferenceVersion(doc, mara, { beat: '', assets: [] })).toThrow(/must not be empty/);
    expect(getReference(doc, mara)!.name).toBe('Mara');
  });

  it('the server refuses a card or version a client creates without a name', () => {
    const server = new Y.Doc();
    createReference(server, { kind: 'prop', name: 'Kite' });
    const client = replicaOf(server);
    const sv = Y.encodeStateVector(client);
    // What a hostile or broken client could send: a card whose name is empty.
    const ref = new Y.Map<unknown>();
    client.transact(() => {
      ref.set(REFERENCE.kind, 'prop');
      ref.set(REFERENCE.name, new Y.Text(''));
      ref.set(REFERENCE.description, new Y.Text(''));
      ref.set(REFERENCE.versions, new Y.Map());
      ref.set(REFERENCE.currentVersion, '');
      ref.set(REFERENCE.locked, false);
      roots(client).references.set('ref_x', ref);
    });
    const verdict = applyAsServer(server, updateSince(client, sv), 'client');
    expect(verdict).toMatchObject({ ok: false });
    expect(!verdict.ok && verdict.reason).toMatch(/references\.ref_x\.name: must not be empty/);
  });
});
