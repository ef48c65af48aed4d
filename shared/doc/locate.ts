/**
 * Where a Yjs type sits in the board schema, found by walking up from the type to its root. The
 * validator uses it to judge a change by its place (a take, a shot's refs, a prompt's text…)
 * without scanning the document.
 */
import * as Y from 'yjs';
import { isText } from './checks.js';
import { ROOT, REFERENCE, VERSION, type RootName } from './schema.js';
import {
  COMMENT_SPEC, META_SPEC, REFERENCE_SPEC, SHOT_SPEC, VERSION_SPEC, fieldCheck, type EntitySpec,
} from './specs.js';

/** Any Yjs type; its event type parameter does not matter here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyType = Y.AbstractType<any>;

/** What a located type is, for judging changes made inside it. */
export type Place =
  /** A map of one entity (meta, a shot, a reference, a version, a comment); `key` is its id in its collection. */
  | { kind: 'entity'; spec: EntitySpec; key: string | null; map: Y.Map<unknown>; path: string }
  /** A map of entities keyed by id (shots, references, a reference's versions, comments). */
  | { kind: 'collection'; spec: EntitySpec; map: Y.Map<unknown>; path: string }
  /** A version's asset id list. */
  | { kind: 'assets'; array: Y.Array<unknown>; path: string }
  /** Content the schema does not constrain: text bodies and unknown fields' values. */
  | { kind: 'free'; path: string }
  /** Inside something deleted: invisible, so not judged. */
  | { kind: 'dead' }
  /** Somewhere the schema forbids any type to be (reported by whoever finds it). */
  | { kind: 'wrong'; reason: string };

type Slot = { kind: 'collection'; spec: EntitySpec } | { kind: 'assets' };

// Fields of an entity that hold a nested Yjs type (besides shared texts, see textKeys), and what
// that type is. A shot has none: its assignments and takes are plain values under keys.
const NESTED = new Map<EntitySpec, Readonly<Record<string, Slot>>>([
  [REFERENCE_SPEC, {
    [REFERENCE.versions]: { kind: 'collection', spec: VERSION_SPEC },
  }],
  [VERSION_SPEC, { [VERSION.assets]: { kind: 'assets' } }],
]);

const ROOT_PLACES: Readonly<Record<RootName, { spec: EntitySpec; entity: boolean }>> = {
  [ROOT.meta]: { spec: META_SPEC, entity: true },
  [ROOT.shots]: { spec: SHOT_SPEC, entity: false },
  [ROOT.references]: { spec: REFERENCE_SPEC, entity: false },
  [ROOT.comments]: { spec: COMMENT_SPEC, entity: false },
};

/** Anything inside something deleted: one answer, whatever the type. */
const DEAD: Place = Object.freeze({ kind: 'dead' });

/**
 * Locates types, remembering each answer across transactions. A type's place follows only from
 * its chain of parents and the keys it sits under, which never change once it is in the document,
 * and from deletion, which never reverts: so an answer holds as long as nothing on the way up is
 * deleted, which `locate` checks on every call (a few pointer hops, no allocation). Whoever holds a
 * Locator drops it when the top-level types change (a root typed, a new name), since the parents'
 * identities and the roots' names are part of every answer.
 */
export class Locator {
  // Weak: a deleted type is never asked for again, and the memo must not keep it alive.
  private readonly memo = new WeakMap<AnyType, Place>();

  /** `rootNames` maps every top-level type instance to its name; `rootMap` gives a known root as Y.Map. */
  constructor(
    private readonly rootNames: ReadonlyMap<AnyType, string>,
    private readonly rootMap: (name: RootName) => Y.Map<unknown>,
  ) {}

  /** The place of `type`. Walks iteratively, so deep nesting cannot overflow the stack. */
  locate(type: AnyType): Place {
    // The topmost type of the chain is judged as a root (rootPlace), whatever its item says.
    for (let t = type, parent = parentOf(t); parent !== null; t = parent, parent = parentOf(t)) {
      if (t._item!.deleted) return DEAD;
    }
    const known = this.memo.get(type);
    if (known !== undefined) return known;
    const chain: AnyType[] = [];
    let top: AnyType | null = type;
    while (top && !this.memo.has(top)) {
      chain.push(top);
      top = parentOf(top);
    }
    let place: Place | undefined = top ? this.memo.get(top) : undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      const t = chain[i]!;
      place = place === undefined ? this.rootPlace(t) : this.childPlace(place, t);
      // A refusal's reason may describe the type's content (a check of it), so it is found afresh.
      if (place.kind !== 'wrong') this.memo.set(t, place);
    }
    return place!;
  }

  private rootPlace(t: AnyType): Place {
    if (t._item !== null) return { kind: 'wrong', reason: 'a type detached from the document' };
    const name = this.rootNames.get(t);
    if (name === undefined || !Object.hasOwn(ROOT_PLACES, name)) {
      return { kind: 'wrong', reason: `unknown top-level type "${name ?? '?'}"` };
    }
    const { spec, entity } = ROOT_PLACES[name as RootName];
    const map = this.rootMap(name as RootName);
    return entity ? { kind: 'entity', spec, key: null, map, path: name } : { kind: 'collection', spec, map, path: name };
  }

  private childPlace(parent: Place, t: AnyType): Place {
    const item = t._item!;
    // Inside a misplaced type is misplaced too, inside free content free too (and a dead parent
    // never gets here: locate answers first).
    if (parent.kind === 'wrong' || parent.kind === 'free' || parent.kind === 'dead') return parent;
    const key = item.parentSub;
    if (key === null || parent.kind === 'assets') {
      return { kind: 'wrong', reason: `${parent.path}: holds a ${t.constructor.name} where it may not` };
    }
    const path = `${parent.path}.${key}`;
    if (parent.kind === 'collection') {
      if (!(t instanceof Y.Map)) return { kind: 'wrong', reason: `${path}: expected a Y.Map` };
      return { kind: 'entity', spec: parent.spec, key, map: t as Y.Map<unknown>, path };
    }
    const check = fieldCheck(parent.spec, key);
    // A text body is free content; the field's own check (isText) already judged the Y.Text itself.
    if (check === isText) return { kind: 'free', path };
    const slot = NESTED.get(parent.spec)?.[key];
    if (slot === undefined) {
      // An unknown field is someone else's to shape; a known plain field never holds a type
      // (a retired one, such as a shot's old `refs` map, says so with BOARD_UPDATED).
      if (check) return { kind: 'wrong', reason: check(t, path)[0] ?? `${path}: expected a plain value` };
      return { kind: 'free', path };
    }
    return slotPlace(slot, t, path);
  }
}

function parentOf(t: AnyType): AnyType | null {
  const parent: unknown = t._item?.parent ?? null;
  return parent instanceof Y.AbstractType ? (parent as AnyType) : null;
}

function slotPlace(slot: Slot, t: AnyType, path: string): Place {
  switch (slot.kind) {
    case 'assets':
      if (!(t instanceof Y.Array)) return { kind: 'wrong', reason: `${path}: expected a Y.Array` };
      return { kind: 'assets', array: t as Y.Array<unknown>, path };
    case 'collection':
      if (!(t instanceof Y.Map)) return { kind: 'wrong', reason: `${path}: expected a Y.Map` };
      return { kind: 'collection', spec: slot.spec, map: t as Y.Map<unknown>, path };
  }
}
