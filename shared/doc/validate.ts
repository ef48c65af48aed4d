/**
 * Server-side schema validation of Yjs transactions. The sync server applies a client update to a
 * board document in one transaction, then asks whether that transaction kept the document within
 * the schema. Only what the transaction touched is inspected (`tr.changed`: every pre-existing
 * type it changed, with the keys changed), so the cost follows the update, not the document:
 * a type created by the transaction is checked whole where it was inserted into an existing one.
 * Deletions need no separate pass: deleting an entry marks its parent's key as changed, and the
 * parent of something deleted with its container (a shot's takes, with the shot) is itself deleted.
 * A client's transaction is also judged with its sender: what their role may write at all
 * (scope.ts), who wrote a comment, who may change or delete it, who approved (actor.ts).
 */
import * as Y from 'yjs';
import { bibleProblem } from './bible.js';
import { isArrayOf, isId } from './checks.js';
import { judgeActor, type Actor, type Removal } from './actor.js';
import { judgeScope } from './scope.js';
import { Locator, type AnyType, type Place } from './locate.js';
import { REFERENCE, ROOT, ROOT_NAMES, SHOT, VERSION, shotKeyFamily, type RootName } from './schema.js';
import { COMMENT_SPEC, META_SPEC, REFERENCE_SPEC, SHOT_SPEC, VERSION_SPEC, checkEntity, fieldCheck, mapOfEntities } from './specs.js';

/**
 * Whether an update may be applied; `reason` is safe to send to the client that sent it.
 * `removals`: records of others that a board owner deleted, for the server to record (actor.ts).
 */
export type ValidationResult = { ok: true; removals?: Removal[] } | { ok: false; reason: string };

/**
 * Who made the transaction. The server writes takes, keep-anyway and removal records and is
 * judged on the schema only. A client is judged with its actor (the session's user and board
 * role): attributed fields must name them, others' records are not theirs to change (actor.ts).
 */
export type ValidateOptions = ({ role: 'server' } | { role: 'client'; actor: Actor }) & {
  /**
   * Whether an asset id belongs to this board. When given, frames and reference-version assets
   * the transaction writes must pass it: a board never points at another board's files.
   */
  assetKnown?: (assetId: string) => boolean;
};

/** Part of the reason given for an asset id that is not one of the board's. */
export const UNKNOWN_ASSET = 'is not an asset of this board';

/** The reason given when a client touches a shot's takes (its `take:<takeId>` keys). */
export const TAKES_ARE_SERVER_ONLY = 'takes are written by the server only';

/**
 * Judges one transaction on `doc` (call it from `doc.on('afterTransaction', tr => …)` or with the
 * transaction afterwards). Also types the known top-level names as Y.Map on `doc` (no update is
 * produced), since a document filled only by applyUpdate holds them as untyped placeholders.
 */
export function validateTransaction(doc: Y.Doc, tr: Y.Transaction, opts: ValidateOptions): ValidationResult {
  // Parked content would be integrated, unjudged or judged under someone else's role, by a later
  // transaction: a client could park a take write until the server's own write completes it.
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return fail(MISSING_DEPENDENCIES);
  const locator = locatorOf(doc);
  if (typeof locator === 'string') return fail(locator);
  const removals: Removal[] = [];
  for (const [type, keys] of tr.changed) {
    const place = locator.locate(type);
    // A role's limits first, so a commenter or viewer is told it was their role (scope.ts).
    const reason =
      (opts.role === 'client' ? judgeScope(place, keys, tr, opts.actor) : null) ??
      judge(place, keys, opts.role) ??
      (opts.assetKnown ? foreignAsset(place, keys, opts.assetKnown) : null) ??
      (place.kind === 'entity' && place.spec === META_SPEC ? bibleProblem(place.map, keys, place.path) : null) ??
      (opts.role === 'client' ? judgeActor(place, keys, tr, opts.actor, removals) : null);
    if (reason !== null) return fail(reason);
  }
  return removals.length > 0 ? { ok: true, removals } : { ok: true };
}

/** The reason given when an update builds on changes the document does not have. */
export const MISSING_DEPENDENCIES = 'the update depends on changes the server does not have';

const MAX_REASON_LENGTH = 300; // paths embed map keys, which a hostile client chooses

function fail(reason: string): ValidationResult {
  return { ok: false, reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason };
}

/**
 * Per document: its top-level types by instance, and a Locator remembering places found (valid
 * while those instances and names stand, see Locator), so an edit does not pay for either.
 */
const located = new WeakMap<Y.Doc, { roots: Map<AnyType, string>; locator: Locator }>();

/** The document's Locator, after typing the known top-level names; or why that failed. */
function locatorOf(doc: Y.Doc): Locator | string {
  const known = located.get(doc);
  if (known !== undefined && sameRoots(known.roots, doc)) return known.locator;
  const roots = typeRoots(doc);
  if (typeof roots === 'string') return roots;
  const locator = new Locator(roots, (name) => doc.getMap<unknown>(name));
  located.set(doc, { roots, locator });
  return locator;
}

/**
 * Whether `roots` is what typeRoots would give now. A new name or a placeholder typed since (by
 * anyone: the instance in doc.share changes) makes it stale. So do, by their size, roots built
 * while typing a placeholder, which hold it beside its replacement.
 */
function sameRoots(roots: Map<AnyType, string>, doc: Y.Doc): boolean {
  if (roots.size !== doc.share.size) return false;
  for (const [name, type] of doc.share) if (roots.get(type) !== name) return false;
  return true;
}

/** Every top-level type instance by name, after typing the known ones; or why that failed. */
function typeRoots(doc: Y.Doc): Map<AnyType, string> | string {
  const names = new Map<AnyType, string>();
  // Before typing: tr.changed may still hold the placeholder instance a root is replaced by.
  for (const [name, type] of doc.share) names.set(type, name);
  for (const name of ROOT_NAMES) {
    if (!doc.share.has(name)) continue;
    try {
      names.set(doc.getMap<unknown>(name), name);
    } catch {
      return `top-level "${name}" must be a Y.Map`;
    }
  }
  return names;
}

function judge(place: Place, keys: Set<string | null>, role: ValidateOptions['role']): string | null {
  const client = role === 'client';
  switch (place.kind) {
    case 'dead':
      return null;
    case 'wrong':
      return place.reason;
    case 'free':
      return null;
    case 'assets':
      if (keys.has(null) && keys.size === 1) return first(isArrayOf(isId)(place.array, place.path));
      return `${place.path}: a list cannot hold map entries`;
    case 'collection':
      return eachKey(keys, place.path, (key) => {
        const v = place.map.get(key);
        if (v === undefined) return null; // deleting a whole entry (a shot with its takes) is fine
        // A client may create a shot, but without takes.
        if (client && place.spec === SHOT_SPEC && v instanceof Y.Map && [...v.keys()].some(isTakeKey)) return TAKES_ARE_SERVER_ONLY;
        const problem = first(checkEntity(place.spec, v, `${place.path}.${key}`));
        if (problem !== null || !client) return problem;
        const named = NAMED[place.spec === REFERENCE_SPEC ? 'reference' : place.spec === VERSION_SPEC ? 'version' : 'other'];
        if (named && String((v as Y.Map<unknown>).get(named)).trim() === '') return `${place.path}.${key}.${named}: must not be empty; type a name`;
        return null;
      });
    case 'entity':
      return eachKey(keys, place.path, (key) => judgeField(place, key, client));
  }
}

/**
 * The name a client must give a card or a version it creates. Later edits of the shared text are
 * not judged: two honest concurrent renames may merge into anything, and readers show a
 * placeholder for an empty name; the rename forms refuse empty names before writing.
 */
const NAMED: Record<'reference' | 'version' | 'other', string | null> = { reference: REFERENCE.name, version: VERSION.beat, other: null };

function judgeField(place: Extract<Place, { kind: 'entity' }>, key: string, client: boolean): string | null {
  if (client && place.spec === SHOT_SPEC && isTakeKey(key)) return TAKES_ARE_SERVER_ONLY;
  const check = fieldCheck(place.spec, key);
  if (!check) return null; // unknown fields are kept, whatever they hold
  const path = `${place.path}.${key}`;
  const v = place.map.get(key);
  if (v === undefined) return place.spec.required.includes(key) ? `${path}: required` : null;
  return first(check(v, path));
}

const isTakeKey = (key: string) => shotKeyFamily(key)?.family === 'take';

/** The first asset id written by this change that is not the board's, as a reason. */
function foreignAsset(place: Place, keys: Set<string | null>, known: (id: string) => boolean): string | null {
  const check = (ids: unknown[], path: string) => {
    for (const id of ids) if (typeof id === 'string' && !known(id)) return `${path}: "${id.slice(0, 40)}" ${UNKNOWN_ASSET}`;
    return null;
  };
  const inEntity = (spec: unknown, map: Y.Map<unknown>, path: string): string | null => {
    if (spec === SHOT_SPEC) return check([map.get(SHOT.startFrame), map.get(SHOT.endFrame)], path);
    if (spec === VERSION_SPEC) {
      const assets = map.get(VERSION.assets);
      return assets instanceof Y.Array ? check(assets.toArray(), `${path}.${VERSION.assets}`) : null;
    }
    if (spec === REFERENCE_SPEC) {
      const versions = map.get(REFERENCE.versions);
      if (!(versions instanceof Y.Map)) return null;
      for (const [id, v] of versions) if (v instanceof Y.Map) {
        const problem = inEntity(VERSION_SPEC, v, `${path}.${REFERENCE.versions}.${id}`);
        if (problem) return problem;
      }
    }
    return null;
  };
  switch (place.kind) {
    case 'assets':
      return check(place.array.toArray(), place.path);
    case 'entity':
      if (place.spec === SHOT_SPEC && (keys.has(SHOT.startFrame) || keys.has(SHOT.endFrame))) return inEntity(SHOT_SPEC, place.map, place.path);
      if (place.spec === VERSION_SPEC && keys.has(VERSION.assets)) return inEntity(VERSION_SPEC, place.map, place.path);
      if (place.spec === REFERENCE_SPEC && keys.has(REFERENCE.versions)) return inEntity(REFERENCE_SPEC, place.map, place.path);
      return null;
    case 'collection':
      for (const key of keys) {
        const v = key === null ? undefined : place.map.get(key);
        if (v instanceof Y.Map) {
          const problem = inEntity(place.spec, v, `${place.path}.${key}`);
          if (problem) return problem;
        }
      }
      return null;
    default:
      return null;
  }
}

function eachKey(keys: Set<string | null>, path: string, fn: (key: string) => string | null): string | null {
  for (const key of keys) {
    const problem = key === null ? `${path}: a map cannot hold list content` : fn(key);
    if (problem !== null) return problem;
  }
  return null;
}

function first(problems: string[]): string | null {
  return problems[0] ?? null;
}

const ROOT_CHECKS: Readonly<Record<RootName, (map: Y.Map<unknown>) => string[]>> = {
  [ROOT.meta]: (m) => checkEntity(META_SPEC, m, ROOT.meta),
  [ROOT.shots]: (m) => mapOfEntities(SHOT_SPEC)(m, ROOT.shots),
  [ROOT.references]: (m) => mapOfEntities(REFERENCE_SPEC)(m, ROOT.references),
  [ROOT.comments]: (m) => mapOfEntities(COMMENT_SPEC)(m, ROOT.comments),
};

/**
 * Checks the whole document against the schema (after loading, and in tests); returns every
 * problem found, [] when valid. Costs a full scan, unlike validateTransaction.
 */
export function validateDocument(doc: Y.Doc): string[] {
  const problems: string[] = [];
  for (const [name, type] of [...doc.share]) {
    if (!(ROOT_NAMES as readonly string[]).includes(name)) {
      if (hasContent(type)) problems.push(`unknown top-level type "${name}"`);
      continue;
    }
    let map: Y.Map<unknown>;
    try {
      map = doc.getMap<unknown>(name);
    } catch {
      problems.push(`top-level "${name}" must be a Y.Map`);
      continue;
    }
    if (map._length > 0) problems.push(`${name}: a map cannot hold list content`);
    problems.push(...ROOT_CHECKS[name as RootName](map));
  }
  return problems;
}

// Reading any name creates an empty local placeholder; only one with content came from an update.
function hasContent(type: AnyType): boolean {
  if (type._length > 0) return true;
  for (const item of type._map.values()) if (!item.deleted) return true;
  return false;
}
