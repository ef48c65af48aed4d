/**
 * Value checks shared by the accessors (which throw on bad input) and the server-side validator
 * (which rejects bad updates), so both agree on what a valid field is.
 */
import * as Y from 'yjs';
import { isMicroUsd } from '../money.js';
import { DocError } from './errors.js';

/** Checks one value; returns the problems found, each prefixed with `path`. Empty = valid. */
export type Check = (value: unknown, path: string) => string[];

function leaf(ok: (v: unknown) => boolean, expected: string): Check {
  return (v, path) => (ok(v) ? [] : [`${path}: expected ${expected}, got ${describe(v)}`]);
}

/** A short description of a value for error messages, never its full content. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (v instanceof Y.AbstractType) return `a ${v.constructor.name}`;
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} chars` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

export const isStr: Check = leaf((v) => typeof v === 'string', 'a string');
/** Ids (assets, users, shots, takes) are never empty: '' would be a dangling pointer. */
export const isId: Check = leaf((v) => typeof v === 'string' && v.length > 0, 'a non-empty id');
export const isBool: Check = leaf((v) => typeof v === 'boolean', 'a boolean');

/** A finite number within [min, max]; `minExclusive` makes the lower bound open. */
export function isNum(min: number, max: number, minExclusive = false): Check {
  const lower = minExclusive ? `(${min}` : `[${min}`;
  return leaf(
    (v) => typeof v === 'number' && Number.isFinite(v) && (minExclusive ? v > min : v >= min) && v <= max,
    `a finite number in ${lower}, ${max}]`,
  );
}

export const isInt: Check = leaf((v) => Number.isSafeInteger(v), 'an integer');

/** Money: integer micro-dollars, 0 or more (shared/money.ts); a fraction would be a float artefact. */
export const isMoney: Check = leaf(isMicroUsd, `a whole number in [0, ${Number.MAX_SAFE_INTEGER}]`);

/**
 * A key replaced by `successor` (float dollars became integer micro-dollars): only an outdated
 * client writes it, and it is told to reload rather than having its value silently ignored.
 */
export function isRetiredFor(successor: string): Check {
  return (_v, path) => [`${BOARD_UPDATED} (${path} is ${successor} now)`];
}

/** One of the values of an `as const` enum list. */
export function isOneOf(values: readonly string[]): Check {
  return leaf((v) => typeof v === 'string' && values.includes(v), `one of ${values.join('|')}`);
}

// Date, or date and time with optional seconds, fraction and zone: what Date#toISOString and
// <input type="date|datetime-local"> produce.
const ISO_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
export const isIso: Check = leaf(
  (v) => typeof v === 'string' && ISO_RE.test(v) && !Number.isNaN(Date.parse(v)),
  'an ISO 8601 date',
);

/**
 * Said when a client writes a plain string where the board now keeps shared text (a client built
 * before titles, names, beats and camera became Y.Text). It leads the reason so it survives the
 * truncation of a socket close reason, and the client recognises it to ask for a reload.
 */
export const BOARD_UPDATED = 'This board was updated; reload the page';

// Y.XmlText extends Y.Text but carries XML semantics our editors do not expect.
const textLeaf = leaf((v) => v instanceof Y.Text && !(v instanceof Y.XmlText), 'a Y.Text');
/** Shared, mergeable text. A string here comes from an outdated client: it is told to reload. */
export const isText: Check = (v, path) =>
  typeof v === 'string' ? [`${BOARD_UPDATED} (${path} is shared text now, got a string)`] : textLeaf(v, path);

const MAX_JSON_CHARS = 64 * 1024;
/** A plain JSON object (not a Y type), at most 64 KiB serialised: server-written records. */
export const isJsonObject: Check = (v, path) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Y.AbstractType || v instanceof Uint8Array) {
    return [`${path}: expected a plain object, got ${describe(v)}`];
  }
  let size: number;
  try {
    size = JSON.stringify(v).length;
  } catch {
    return [`${path}: expected a plain object, got one that is not JSON`];
  }
  return size > MAX_JSON_CHARS ? [`${path}: larger than ${MAX_JSON_CHARS} characters`] : [];
};

/**
 * A plain array (not a Y type) of at most `max` distinct non-empty ids: a record one author writes
 * whole, such as the people a comment mentions.
 */
export function isIdList(max: number): Check {
  return (v, path) => {
    if (!Array.isArray(v)) return [`${path}: expected an array of ids, got ${describe(v)}`];
    if (v.length > max) return [`${path}: at most ${max} ids, got ${v.length}`];
    const bad = v.findIndex((id) => typeof id !== 'string' || id.length === 0 || id.length > 64);
    if (bad >= 0) return [`${path}[${bad}]: expected a non-empty id of at most 64 characters, got ${describe(v[bad])}`];
    return new Set(v).size === v.length ? [] : [`${path}: each id at most once`];
  };
}

/** A Y.Map whose every entry passes `entry(value, key, path)`. */
export function isMapOf(entry: (v: unknown, key: string, path: string) => string[]): Check {
  return (v, path) => {
    if (!(v instanceof Y.Map)) return [`${path}: expected a Y.Map, got ${describe(v)}`];
    const out: string[] = [];
    v.forEach((value: unknown, key: string) => out.push(...entry(value, key, `${path}.${key}`)));
    return out;
  };
}

/** A Y.Array whose every element passes `item`. */
export function isArrayOf(item: Check): Check {
  return (v, path) => {
    if (!(v instanceof Y.Array)) return [`${path}: expected a Y.Array, got ${describe(v)}`];
    const out: string[] = [];
    v.forEach((value: unknown, i: number) => out.push(...item(value, `${path}[${i}]`)));
    return out;
  };
}

/** The first problem as a thrown error: accessors refuse bad input instead of writing it. */
export function assertValid(check: Check, value: unknown, path: string): void {
  const problems = check(value, path);
  if (problems.length > 0) throw new DocError('invalid_value', problems[0]!);
}
