/**
 * Low-level helpers over the board's Y.Maps: finding them, reading fields tolerantly (a document
 * may hold anything a past or future version wrote) and writing only the keys we own.
 */
import * as Y from 'yjs';
import { assertValid, type Check } from './checks.js';
import { DocError, notFound } from './errors.js';
import { ROOT, ROOT_NAMES } from './schema.js';

/** A Y.Map of the board document; values are checked on read, so they are `unknown` here. */
export type DocMap = Y.Map<unknown>;

/** Something fields are read from: a Y.Map, or a plain record (a take) through `recordFields`. */
export interface FieldSource {
  get(key: string): unknown;
}

/** A plain record (a take) as a FieldSource; a value that is not a record has no fields. */
export function recordFields(value: unknown): FieldSource {
  const record = value !== null && typeof value === 'object' && !(value instanceof Y.AbstractType) ? (value as Record<string, unknown>) : {};
  return { get: (key) => (Object.hasOwn(record, key) ? record[key] : undefined) };
}

/** The four top-level maps of a board document. */
export interface BoardRoots {
  meta: DocMap;
  shots: DocMap;
  references: DocMap;
  comments: DocMap;
}

/** The top-level maps, created (locally, without any update) if this document has not used them yet. */
export function roots(doc: Y.Doc): BoardRoots {
  return {
    meta: doc.getMap<unknown>(ROOT.meta),
    shots: doc.getMap<unknown>(ROOT.shots),
    references: doc.getMap<unknown>(ROOT.references),
    comments: doc.getMap<unknown>(ROOT.comments),
  };
}

/**
 * Defines every top-level name as a Y.Map. Optional: a document filled by applyUpdate holds roots
 * as untyped placeholders until first read, and roots() and validateTransaction type them on use.
 */
export function ensureBoardRoots(doc: Y.Doc): void {
  for (const name of ROOT_NAMES) doc.getMap<unknown>(name);
}

/** Runs `fn` in one transaction (one update, one undo step) and returns its result. */
export function inTransaction<T>(doc: Y.Doc, fn: () => T): T {
  let result!: T;
  doc.transact(() => {
    result = fn();
  });
  return result;
}

/**
 * Every child map of `parent` read into a view, in `order`. A value that is not a map (a hostile or
 * half-merged entry) is skipped, the same way in every list the document offers.
 */
export function readChildren<T>(parent: DocMap | undefined, read: (map: DocMap, id: string) => T, order: (a: T, b: T) => number): T[] {
  const out: T[] = [];
  parent?.forEach((v: unknown, id: string) => {
    if (v instanceof Y.Map) out.push(read(v as DocMap, id));
  });
  return out.sort(order);
}

/** The child map stored under `id` in `parent`, if it is one. */
export function childMap(parent: DocMap, id: string): DocMap | undefined {
  const v = parent.get(id);
  return v instanceof Y.Map ? (v as DocMap) : undefined;
}

/** The child map under `id`, or a `not_found` DocError naming `what`. */
export function requireChild(parent: DocMap, id: string, what: string): DocMap {
  const m = childMap(parent, id);
  if (!m) throw notFound(what, id);
  return m;
}

export function readStr(map: FieldSource, key: string): string | undefined {
  const v = map.get(key);
  return typeof v === 'string' ? v : undefined;
}

export function readNum(map: FieldSource, key: string): number | undefined {
  const v = map.get(key);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function readBool(map: FieldSource, key: string): boolean | undefined {
  const v = map.get(key);
  return typeof v === 'boolean' ? v : undefined;
}

/** A field's value if it is one of `values`, else `fallback`. */
export function readEnum<T extends string>(map: FieldSource, key: string, values: readonly T[], fallback: T): T {
  const v = map.get(key);
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** A text field's content: a Y.Text, or the plain string a board stored before it was converted. */
export function readText(map: DocMap, key: string): string {
  const v = map.get(key);
  return v instanceof Y.Text ? v.toString() : typeof v === 'string' ? v : '';
}

/**
 * The Y.Text under `key`, if there is one. Never created here: a missing field is created by the
 * first write (writeText), and a legacy string is converted by the server only (texts.ts), since
 * clients creating their own Y.Text there would race each other and lose someone's typing.
 */
export function textAt(map: DocMap, key: string): Y.Text | undefined {
  const v = map.get(key);
  return v instanceof Y.Text ? v : undefined;
}

/** Sets a text field to `value`: edits the Y.Text in place (editors stay bound), or creates one. */
export function writeText(map: DocMap, key: string, value: string): void {
  const v = map.get(key);
  if (v instanceof Y.Text) replaceText(v, value);
  else map.set(key, newText(value));
}

/**
 * Writes the fields of `patch` that `checks` knows; `null` deletes an optional field. Every value
 * is checked before anything is written, so a bad patch leaves the map untouched. Keys absent
 * from `patch` are untouched, and unchanged values are not rewritten (a rewrite would be a
 * needless update and could win over a concurrent real edit). A field's `defaults` value is
 * not stored: writing it deletes the key, since a missing key reads as it (each stored entry
 * costs a board's memory ~0.5 kB; see EntitySpec.defaults).
 */
export function writeFields(
  map: DocMap,
  patch: Readonly<Record<string, unknown>>,
  checks: Readonly<Record<string, Check>>,
  required: readonly string[],
  path: string,
  defaults: Readonly<Record<string, unknown>> = {},
): void {
  const entries = checkPatch(patch, checks, required, path);
  // A map not yet in a document cannot be read (Yjs warns), and has nothing to compare with.
  const live = map.doc !== null;
  for (const [key, value] of entries) {
    if (value === null || (Object.hasOwn(defaults, key) && defaults[key] === value)) {
      if (live && map.has(key)) map.delete(key);
    } else if (!live || map.get(key) !== value) {
      map.set(key, value);
    }
  }
}

/**
 * A plain record (a take) with `patch` applied, checked as writeFields checks; `null` removes an
 * optional field, keys absent from `patch` (unknown ones too) are kept.
 */
export function patchRecord(
  record: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
  checks: Readonly<Record<string, Check>>,
  required: readonly string[],
  path: string,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...record };
  for (const [key, value] of checkPatch(patch, checks, required, path)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** The defined entries of `patch`, each checked; throws a DocError naming the first bad field. */
function checkPatch(
  patch: Readonly<Record<string, unknown>>,
  checks: Readonly<Record<string, Check>>,
  required: readonly string[],
  path: string,
): [string, unknown][] {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  for (const [key, value] of entries) {
    const check = checks[key];
    if (!check) throw new DocError('invalid_value', `${path}.${key}: not a writable field`);
    if (value !== null) assertValid(check, value, `${path}.${key}`);
    else if (required.includes(key)) throw new DocError('invalid_value', `${path}.${key}: required`);
  }
  return entries;
}

/**
 * Replaces the content of a Y.Text with `value`, keeping the same Y.Text (so editors stay bound).
 * Only the differing middle is rewritten, so a teammate typing elsewhere in the text keeps their
 * characters.
 */
export function replaceText(text: Y.Text, value: string): void {
  const old = text.toString();
  if (old === value) return;
  let start = 0;
  while (start < old.length && start < value.length && old[start] === value[start]) start++;
  let end = 0;
  while (end < old.length - start && end < value.length - start && old[old.length - 1 - end] === value[value.length - 1 - end]) end++;
  // Never split a surrogate pair: a lone half would not survive the update's UTF-8 encoding.
  if (start > 0 && isHighSurrogate(old.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(old.charCodeAt(old.length - end))) end--;
  if (old.length - start - end > 0) text.delete(start, old.length - start - end);
  if (value.length - start - end > 0) text.insert(start, value.slice(start, value.length - end));
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** A newly made Y.Text holding `value`, for a map field that is about to be created. */
export function newText(value = ''): Y.Text {
  return new Y.Text(value);
}

/** A comparator by `key` (code-unit order, same on every replica), ties broken by id. */
export function byThenId<T extends { id: string }>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
