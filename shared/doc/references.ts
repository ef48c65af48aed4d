/** References (character sheets, location plates, styles…) with versions per story beat. */
import * as Y from 'yjs';
import { assertValid, isId, isStr } from './checks.js';
import { DocError } from './errors.js';
import {
  byThenId, childMap, inTransaction, newText, readBool, readChildren, readEnum, readStr, readText, requireChild, roots, textAt, writeFields,
  writeText, type DocMap,
} from './maps.js';
import { ID_PREFIX, REFERENCE, REFERENCE_KINDS, VERSION, bibleKey, newId, refKey, type ReferenceKind } from './schema.js';
import { REFERENCE_SPEC, VERSION_SPEC } from './specs.js';
import { compareReferenceOrder, rankForNewReference } from './reference-order.js';

/** One version (beat) of a reference: the asset set that anchors the look at that point. */
export interface VersionView {
  id: string;
  beat: string;
  assets: string[];
  createdAt: string;
}

/** A reference as plain data, versions oldest first. */
export interface ReferenceView {
  id: string;
  /** Place in the library ('' for a card from before cards had an order). */
  rank: string;
  kind: ReferenceKind;
  name: string;
  description: string;
  versions: VersionView[];
  /** '' until the reference has a version. */
  currentVersion: string;
  locked: boolean;
}

/**
 * Names people pick cards by: a reference's name and a version's beat. Refused when empty (after
 * trimming), here and by the server for a card or version a client creates.
 */
export function assertNamed(value: string, path: string): void {
  assertValid(isStr, value, path);
  if (value.trim() === '') throw new DocError('invalid_value', `${path}: must not be empty; type a name`);
}

/** Creates a reference without versions and returns its id. */
export function createReference(
  doc: Y.Doc,
  init: { kind: ReferenceKind; name: string; description?: string },
): string {
  const id = newId(ID_PREFIX.reference);
  const ref: DocMap = new Y.Map<unknown>();
  writeFields(ref, { kind: init.kind }, REFERENCE_SPEC.fields, [], 'reference');
  assertNamed(init.name, 'reference.name');
  ref.set(REFERENCE.name, newText(init.name));
  ref.set(REFERENCE.description, newText(init.description ?? ''));
  ref.set(REFERENCE.versions, new Y.Map<unknown>());
  // No currentVersion ('' until a version exists) and not locked: REFERENCE_SPEC.defaults.
  inTransaction(doc, () => {
    ref.set(REFERENCE.rank, rankForNewReference(doc, id));
    roots(doc).references.set(id, ref);
  });
  return id;
}

/** Renames (rewriting only the changed part of the name's Y.Text) or re-kinds a reference. */
export function setReferenceFields(doc: Y.Doc, refId: string, patch: { kind?: ReferenceKind; name?: string }): void {
  const ref = requireChild(roots(doc).references, refId, 'reference');
  if (patch.name !== undefined) assertNamed(patch.name, `references.${refId}.name`);
  const { fields: checks, required } = REFERENCE_SPEC;
  inTransaction(doc, () => {
    writeFields(ref, { kind: patch.kind }, checks, required, `references.${refId}`);
    if (patch.name !== undefined) writeText(ref, REFERENCE.name, patch.name);
  });
}

/** A text field of a reference as its shared Y.Text (undefined while missing or a legacy string). */
export function getReferenceText(doc: Y.Doc, refId: string, field: 'name' | 'description'): Y.Text | undefined {
  const ref = childMap(roots(doc).references, refId);
  return ref ? textAt(ref, REFERENCE[field]) : undefined;
}

/** A version's beat as its shared Y.Text (undefined while missing or a legacy string). */
export function getVersionBeatText(doc: Y.Doc, refId: string, versionId: string): Y.Text | undefined {
  const ref = childMap(roots(doc).references, refId);
  const version = ref ? childMap(versionsOf(ref), versionId) : undefined;
  return version ? textAt(version, VERSION.beat) : undefined;
}

/**
 * Adds a version for a story beat and returns its id. The first version becomes current; later
 * ones do not, because shots following "current" would silently change look.
 */
export function addReferenceVersion(
  doc: Y.Doc,
  refId: string,
  init: { beat: string; assets: readonly string[]; createdAt?: string },
): string {
  const ref = requireChild(roots(doc).references, refId, 'reference');
  const id = newId(ID_PREFIX.version);
  init.assets.forEach((asset, i) => assertValid(isId, asset, `version.assets[${i}]`));
  const version: DocMap = new Y.Map<unknown>();
  const createdAt = init.createdAt ?? new Date().toISOString();
  writeFields(version, { createdAt }, VERSION_SPEC.fields, [], 'version');
  assertNamed(init.beat, 'version.beat');
  version.set(VERSION.beat, newText(init.beat));
  version.set(VERSION.assets, Y.Array.from([...init.assets]));
  inTransaction(doc, () => {
    const existing = ref.get(REFERENCE.versions);
    const versions: DocMap = existing instanceof Y.Map ? (existing as DocMap) : new Y.Map<unknown>();
    if (versions !== existing) ref.set(REFERENCE.versions, versions);
    versions.set(id, version);
    if (!readStr(ref, REFERENCE.currentVersion)) ref.set(REFERENCE.currentVersion, id);
  });
  return id;
}

/** Renames a version (its beat), rewriting only the changed part of the shared text. */
export function renameReferenceVersion(doc: Y.Doc, refId: string, versionId: string, beat: string): void {
  const ref = requireChild(roots(doc).references, refId, 'reference');
  const version = requireChild(versionsOf(ref), versionId, 'version');
  assertNamed(beat, `references.${refId}.versions.${versionId}.beat`);
  inTransaction(doc, () => writeText(version, VERSION.beat, beat));
}

/**
 * Deletes a version. If it was current, the newest remaining version becomes current ('' when
 * none is left); shots pinned to it follow the current version from then on.
 */
export function deleteReferenceVersion(doc: Y.Doc, refId: string, versionId: string): void {
  const { references, shots, meta } = roots(doc);
  const ref = requireChild(references, refId, 'reference');
  const versions = versionsOf(ref);
  requireChild(versions, versionId, 'version');
  inTransaction(doc, () => {
    versions.delete(versionId);
    if (readStr(ref, REFERENCE.currentVersion) === versionId) {
      const newest = readReference(ref, refId).versions.at(-1)?.id ?? '';
      ref.set(REFERENCE.currentVersion, newest);
    }
    shots.forEach((shot: unknown) => {
      if (shot instanceof Y.Map && shot.get(refKey(refId)) === versionId) shot.set(refKey(refId), '');
    });
    if (meta.get(bibleKey(refId)) === versionId) meta.set(bibleKey(refId), '');
  });
}

/** Makes `versionId` the version that unpinned assignments use. */
export function setCurrentVersion(doc: Y.Doc, refId: string, versionId: string): void {
  const ref = requireChild(roots(doc).references, refId, 'reference');
  requireChild(versionsOf(ref), versionId, 'version');
  if (ref.get(REFERENCE.currentVersion) === versionId) return;
  inTransaction(doc, () => ref.set(REFERENCE.currentVersion, versionId));
}

/** Marks a reference's look as locked (agreed) or unlocked. */
export function setReferenceLocked(doc: Y.Doc, refId: string, locked: boolean): void {
  const ref = requireChild(roots(doc).references, refId, 'reference');
  inTransaction(doc, () => writeFields(ref, { locked }, REFERENCE_SPEC.fields, [], `references.${refId}`, REFERENCE_SPEC.defaults));
}

/** Deletes a reference, its assignments on every shot and its bible entry. Returns false if it did not exist. */
export function deleteReference(doc: Y.Doc, refId: string): boolean {
  const { references, shots, meta } = roots(doc);
  if (!references.has(refId)) return false;
  inTransaction(doc, () => {
    references.delete(refId);
    if (meta.has(bibleKey(refId))) meta.delete(bibleKey(refId));
    shots.forEach((shot: unknown) => {
      if (shot instanceof Y.Map && shot.has(refKey(refId))) shot.delete(refKey(refId));
    });
  });
  return true;
}

/** A snapshot of one reference, or undefined. */
export function getReference(doc: Y.Doc, refId: string): ReferenceView | undefined {
  const ref = childMap(roots(doc).references, refId);
  return ref ? readReference(ref, refId) : undefined;
}

/** Every reference in the library's order (the order people gave the cards). */
export function listReferences(doc: Y.Doc): ReferenceView[] {
  return readChildren(roots(doc).references, readReference, compareReferenceOrder);
}

function readReference(ref: DocMap, id: string): ReferenceView {
  const versions: VersionView[] = [];
  versionsOf(ref).forEach((v: unknown, vid: string) => {
    if (!(v instanceof Y.Map)) return;
    const assets = v.get(VERSION.assets);
    versions.push({
      id: vid,
      beat: readText(v as DocMap, VERSION.beat),
      assets: assets instanceof Y.Array ? assets.toArray().filter((a): a is string => typeof a === 'string') : [],
      createdAt: readStr(v as DocMap, VERSION.createdAt) ?? '',
    });
  });
  versions.sort(byThenId((v) => v.createdAt));
  return {
    id,
    rank: readStr(ref, REFERENCE.rank) ?? '',
    kind: readEnum(ref, REFERENCE.kind, REFERENCE_KINDS, 'character'),
    name: readText(ref, REFERENCE.name),
    description: readText(ref, REFERENCE.description),
    versions,
    currentVersion: readStr(ref, REFERENCE.currentVersion) ?? '',
    locked: readBool(ref, REFERENCE.locked) ?? false,
  };
}

/** The versions map of a reference; an empty detached map if it is missing (read paths only). */
function versionsOf(ref: DocMap): DocMap {
  const v = ref.get(REFERENCE.versions);
  return v instanceof Y.Map ? (v as DocMap) : new Y.Map<unknown>();
}
