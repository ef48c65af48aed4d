/**
 * The continuity bible: the board's default references (characters, locations, style, voices)
 * that every shot sends unless it overrides a role. Entries are `bible:<referenceId>` keys of
 * `meta` (pinned version id, or '' to follow the reference's current version), so two teammates
 * adding two entries write two keys and both stay; a shot's override of a role is its
 * `bible:<role>` key. What is sent from it, per model, is decided in shared/generation/send-plan.ts.
 */
import * as Y from 'yjs';
import { notFound } from './errors.js';
import { childMap, inTransaction, requireChild, roots, writeFields, type DocMap } from './maps.js';
import { BIBLE_ROLES, REFERENCE, bibleKey, bibleKeyRef, bibleOverrideKey, type BibleOverride, type BibleRole } from './schema.js';
import { SHOT_SPEC } from './specs.js';

/** referenceId -> pinned version id, or '' for the reference's current version. */
export type Bible = Record<string, string>;

/** A shot's overrides: only roles it does not inherit are present. */
export type BibleOverrides = Partial<Record<BibleRole, Exclude<BibleOverride, 'inherit'>>>;

/** The bible's entries as stored (an entry may name a reference deleted since; readers say so). */
export function readBible(meta: DocMap): Bible {
  const out: Bible = {};
  meta.forEach((v: unknown, key: string) => {
    const refId = bibleKeyRef(key);
    if (refId && typeof v === 'string') out[refId] = v;
  });
  return out;
}

/** A shot's overrides; anything but 'replace' or 'drop' reads as inherit. */
export function readBibleOverrides(shot: DocMap): BibleOverrides {
  const out: BibleOverrides = {};
  for (const role of BIBLE_ROLES) {
    const v = shot.get(bibleOverrideKey(role));
    if (v === 'replace' || v === 'drop') out[role] = v;
  }
  return out;
}

/** Puts reference `refId` in the bible, following its current version ('') or pinned to `versionId`. */
export function setBibleEntry(doc: Y.Doc, refId: string, versionId = ''): void {
  const { meta, references } = roots(doc);
  requireVersion(requireChild(references, refId, 'reference'), refId, versionId);
  if (meta.get(bibleKey(refId)) === versionId) return;
  inTransaction(doc, () => meta.set(bibleKey(refId), versionId));
}

/** Takes reference `refId` out of the bible (also an entry whose reference was deleted). */
export function removeBibleEntry(doc: Y.Doc, refId: string): void {
  const meta = roots(doc).meta;
  if (!meta.has(bibleKey(refId))) return;
  inTransaction(doc, () => meta.delete(bibleKey(refId)));
}

/** Sets how shot `shotId` treats bible role `role` ('inherit' removes the override). */
export function setBibleOverride(doc: Y.Doc, shotId: string, role: BibleRole, override: BibleOverride): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  const key = bibleOverrideKey(role);
  inTransaction(doc, () => writeFields(shot, { [key]: override }, { [key]: SHOT_SPEC.fields[key]! }, [], `shots.${shotId}`, SHOT_SPEC.defaults));
}

/**
 * Why a change to the bible keys `keys` of `meta` cannot stand, or null: an entry must name a
 * reference of this board and, when pinned, one of its versions (the sync server's gate; an
 * entry whose reference is deleted later stays, and the shot detail names it as left out).
 */
export function bibleProblem(meta: Y.Map<unknown>, keys: Set<string | null>, path: string): string | null {
  const references = meta.doc ? roots(meta.doc).references : undefined;
  for (const key of keys) {
    const refId = key === null ? null : bibleKeyRef(key);
    if (refId === null) continue;
    const v = meta.get(key!);
    if (typeof v !== 'string') continue; // deleted, or refused by the field check
    const ref = references ? childMap(references, refId) : undefined;
    const where = `${path}.${key!.slice(0, 60)}`;
    if (!ref) return `${where}: no reference "${refId.slice(0, 40)}" on this board (deleted?); pick one from the library`;
    if (v !== '' && !(versionsOf(ref)?.get(v) instanceof Y.Map)) return `${where}: the reference has no version "${v.slice(0, 40)}"; pin an existing version or '' for its current one`;
  }
  return null;
}

function versionsOf(ref: DocMap): Y.Map<unknown> | undefined {
  const v = ref.get(REFERENCE.versions);
  return v instanceof Y.Map ? (v as Y.Map<unknown>) : undefined;
}

function requireVersion(ref: DocMap, refId: string, versionId: string): void {
  if (versionId !== '' && !(versionsOf(ref)?.get(versionId) instanceof Y.Map)) throw notFound(`version of reference "${refId}"`, versionId);
}
