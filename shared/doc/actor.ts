/**
 * Who may write what, judged with who sent the update. The sync server knows the sender from the
 * session (user id and board role); the specs say which fields name a person (`authoredBy`,
 * `signedBy`, `serverOnly`, `removal` in specs.ts). This module turns those markers into rules, so
 * a new attributed kind of record is one line in its spec:
 *
 * - every attributed value a sender writes is their own user id: nobody speaks for another;
 * - an authored record (a comment) is its author's: others change only its `sharedFields`, its
 *   author never changes, and only the author or a board owner deletes it. An owner's deletion of
 *   someone else's record is returned as a `Removal` for the server to record (who, when);
 * - doing a signed act (status 'approved') writes the signature (`approvedBy`) too;
 * - `serverOnly` fields are never written by a client.
 *
 * Rules look at what the sender wrote in this transaction and at the state before it, never at
 * the merged outcome: a concurrent edit that wins the merge must not make the sender's own,
 * honest update fail (their client would re-send it forever).
 */
import * as Y from 'yjs';
import type { Role } from '../api.js';
import type { Place } from './locate.js';
import type { EntitySpec } from './specs.js';

/** Who sent an update: the session's user and their role on the board. */
export interface Actor {
  userId: string;
  role: Role;
}

/**
 * An authored record a board owner deleted although someone else wrote it. The server records it
 * (recordRemoval): the record is put back without its cleared fields, naming who removed it, when.
 */
export interface Removal {
  /** The top-level collection it was in (authored records with a `removal` live at the top). */
  root: string;
  key: string;
  /** Who removed it (the owner). */
  by: string;
  /** What is put back: its plain fields as they were, cleared ones blanked, remover and time added. */
  record: Record<string, unknown>;
}

/** The reason given when a client changes or deletes the record of a removal. */
export const REMOVAL_RECORD_IS_KEPT = 'the record of a removal is kept by the server';

/**
 * The actor rules for one changed type (its place, the keys changed). Owners' removals of others'
 * records are added to `removals`. Returns the first reason to refuse, or null.
 */
export function judgeActor(place: Place, keys: Set<string | null>, tr: Y.Transaction, actor: Actor, removals: Removal[]): string | null {
  if (place.kind === 'entity') return judgeEdit(place, keys, tr, actor);
  if (place.kind !== 'collection') return null;
  for (const key of keys) {
    if (key === null) continue; // list content in a map is refused by the schema rules
    const problem = judgeEntry(place, key, tr, actor, removals);
    if (problem !== null) return problem;
  }
  return null;
}

/** An entry of a collection was created, deleted or replaced. */
function judgeEntry(place: Extract<Place, { kind: 'collection' }>, key: string, tr: Y.Transaction, actor: Actor, removals: Removal[]): string | null {
  const { spec, map } = place;
  const before = valueBefore(map, key, tr);
  const now = map.get(key);
  if (before === now) return null;
  const path = `${place.path}.${key}`;
  if (before instanceof Y.Map && spec.authoredBy !== undefined) {
    const problem = judgeRemoval(spec, before as Y.Map<unknown>, place, key, tr, actor, removals);
    if (problem !== null) return problem;
  }
  return now instanceof Y.Map ? judgeCreated(spec, now as Y.Map<unknown>, path, tr, actor) : null;
}

function judgeRemoval(
  spec: EntitySpec, before: Y.Map<unknown>, place: Extract<Place, { kind: 'collection' }>, key: string,
  tr: Y.Transaction, actor: Actor, removals: Removal[],
): string | null {
  const path = `${place.path}.${key}`;
  if (isRemovalRecord(spec, before, tr)) return `${path}: ${REMOVAL_RECORD_IS_KEPT}`;
  if (valueBefore(before, spec.authoredBy!, tr) === actor.userId) return null;
  // Only a top-level record can be put back by the server; none other has a `removal`.
  if (actor.role !== 'owner' || !spec.removal || place.map._item !== null) {
    return `${path}: only its author or a board owner may delete it`;
  }
  const kept: Record<string, unknown> = {};
  for (const field of before._map.keys()) {
    const v = valueBefore(before, field, tr);
    if (v !== undefined && !(v instanceof Y.AbstractType)) kept[field] = v;
  }
  const { by, at, cleared } = spec.removal;
  const record = { ...kept, ...cleared, [by]: actor.userId, [at]: new Date().toISOString() };
  removals.push({ root: place.path, key, by: actor.userId, record });
  return null;
}

/**
 * The server's half: puts the removed record back as the record of its removal, unless its key
 * was taken again meanwhile. Run as a server write (the validator refuses it from clients).
 */
export function recordRemoval(doc: Y.Doc, removal: Removal): void {
  const collection = doc.getMap<unknown>(removal.root);
  if (collection.has(removal.key)) return;
  const map = new Y.Map<unknown>();
  for (const [field, value] of Object.entries(removal.record)) map.set(field, value);
  doc.transact(() => collection.set(removal.key, map));
}

/** A record new in this transaction (or put in place of another). */
function judgeCreated(spec: EntitySpec, map: Y.Map<unknown>, path: string, tr: Y.Transaction, actor: Actor): string | null {
  for (const field of Object.keys(spec.serverOnly ?? {})) if (map.has(field)) return spec.serverOnly![field]!;
  if (spec.authoredBy !== undefined && map.get(spec.authoredBy) !== actor.userId) return notYours(`${path}.${spec.authoredBy}`, actor);
  return judgeSigned(spec, map, path, null, tr, actor);
}

/** Fields of a record that existed before this transaction were changed. */
function judgeEdit(place: Extract<Place, { kind: 'entity' }>, keys: Set<string | null>, tr: Y.Transaction, actor: Actor): string | null {
  const { spec, map, path } = place;
  for (const key of keys) if (key !== null && spec.serverOnly?.[key] !== undefined) return spec.serverOnly[key]!;
  if (spec.authoredBy !== undefined) {
    if (isRemovalRecord(spec, map, tr)) return `${path}: ${REMOVAL_RECORD_IS_KEPT}`;
    const author = valueBefore(map, spec.authoredBy, tr);
    for (const key of keys) {
      if (key === null) continue;
      if (key === spec.authoredBy && map.get(key) !== author) return `${path}.${key}: the author of a record never changes`;
      if (author !== actor.userId && !spec.sharedFields?.includes(key)) {
        const may = spec.sharedFields?.length ? ` (others may change: ${spec.sharedFields.join(', ')})` : '';
        return `${path}.${key}: only its author may change this${may}`;
      }
    }
  }
  return judgeSigned(spec, map, path, keys, tr, actor);
}

/**
 * Signatures (`signedBy`): every signature the sender writes is theirs; writing the act writes
 * the signature (or it already was theirs); removing a signature undoes the act in the same change.
 * `keys` null: the record is new, judge every field.
 */
function judgeSigned(spec: EntitySpec, map: Y.Map<unknown>, path: string, keys: Set<string | null> | null, tr: Y.Transaction, actor: Actor): string | null {
  for (const [field, act] of Object.entries(spec.signedBy ?? {})) {
    if (keys !== null && !keys.has(field) && !keys.has(act.field)) continue;
    const signed = written(map, field, tr);
    if (signed.some((v) => v !== actor.userId)) return notYours(`${path}.${field}`, actor);
    const acts = written(map, act.field, tr);
    const mine = signed.length > 0 || valueBefore(map, field, tr) === actor.userId;
    if (acts.includes(act.value) && !mine) {
      return `${path}.${field}: setting ${act.field} to "${act.value}" records who did it: write your own user id "${actor.userId}" here in the same change`;
    }
    const unsigned = keys !== null && signed.length === 0 && valueBefore(map, field, tr) !== undefined && map.get(field) === undefined;
    if (unsigned && !acts.some((v) => v !== act.value)) return `${path}.${field}: can only be removed together with changing ${act.field} from "${act.value}"`;
  }
  return null;
}

function notYours(path: string, actor: Actor): string {
  return `${path}: must be your own user id "${actor.userId}" (nobody writes as someone else)`;
}

function isRemovalRecord(spec: EntitySpec, map: Y.Map<unknown>, tr: Y.Transaction): boolean {
  return spec.removal !== undefined && valueBefore(map, spec.removal.by, tr) !== undefined;
}

// A map key's values form a chain of items; the rightmost live one is the value. Items a
// transaction added sit to the right of what was there (one placed further left is deleted on
// arrival and never seen). Deleted content is still readable here: Yjs collects it only after
// the afterTransaction handlers, where the validator runs.

/** The value `map` held under `key` before `tr`. */
export function valueBefore(map: Y.Map<unknown>, key: string, tr: Y.Transaction): unknown {
  let item: Y.Item | null = map._map.get(key) ?? null;
  while (item !== null && addedIn(item, tr)) item = item.left as Y.Item | null;
  if (item === null || (item.deleted && !Y.isDeleted(tr.deleteSet, item.id))) return undefined;
  return lastValue(item);
}

/** The values `tr` wrote under `key` of `map`, newest first. */
export function written(map: Y.Map<unknown>, key: string, tr: Y.Transaction): unknown[] {
  const out: unknown[] = [];
  for (let item: Y.Item | null = map._map.get(key) ?? null; item !== null && addedIn(item, tr); item = item.left as Y.Item | null) {
    out.push(lastValue(item));
  }
  return out;
}

function addedIn(item: Y.Item, tr: Y.Transaction): boolean {
  return item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
}

function lastValue(item: Y.Item): unknown {
  const content = item.content.getContent();
  return content[content.length - 1];
}
