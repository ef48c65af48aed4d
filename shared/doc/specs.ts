/**
 * The board document schema (docs/document-schema.md) as data: for each kind of map, the check of every
 * known field and which fields must exist. Keys not listed are someone else's and are left alone.
 */
import * as Y from 'yjs';
import {
  BOARD_UPDATED,
  describe,
  isArrayOf,
  isBool,
  isId,
  isInt,
  isJsonObject,
  isMoney,
  isRetiredFor,
  isIdList,
  isIso,
  isMapOf,
  isNum,
  isOneOf,
  isStr,
  isText,
  type Check,
} from './checks.js';
import { LEGACY_BUDGET, LEGACY_COST } from './legacy-money.js';
import { LEGACY_ID, LEGACY_REFS, LEGACY_TAKES } from './legacy-layout.js';
import { isValidRank } from './rank.js';
import {
  ASPECT_RATIOS,
  BIBLE_OVERRIDES,
  BIBLE_ROLES,
  bibleOverrideKey,
  COMMENT,
  DEFAULT_SHOT_DURATION_SEC,
  MAX_CROSSFADE_SEC,
  MAX_FPS,
  MAX_MENTIONS,
  MAX_SHOT_DURATION_SEC,
  META,
  META_KEYS,
  REFERENCE,
  REFERENCE_KINDS,
  SHOT,
  SHOT_KEYS,
  SHOT_MODES,
  SHOT_SIZES,
  SHOT_STATUSES,
  TAIL_ATTACHMENTS,
  TAKE,
  TAKE_STATUSES,
  TRIM,
  VERSION,
} from './schema.js';

/**
 * Field checks of one kind of map, and the fields every such map must have. Free text that
 * several people may type into (titles, names, beats, camera, prompt, notes, descriptions) is
 * `isText`: a Y.Text that merges concurrent typing; `textKeys` lists those fields.
 */
export interface EntitySpec {
  readonly fields: Readonly<Record<string, Check>>;
  readonly required: readonly string[];
  /**
   * Values a missing key reads as. The accessors do not store them (writing one deletes the key),
   * which spares a board an entry per shot or comment; a stored default is valid too (boards
   * written before, outdated clients). Concurrently setting a value and its default keeps the value.
   */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Families of keys by prefix (a shot's `ref:<id>` and `take:<id>`), each member checked alike. */
  readonly keyFamilies?: Readonly<Record<string, Check>>;
  /**
   * The field naming the user who made this record (a comment's author). The sync server checks
   * it against the sender's session (actor.ts): a record is created with the sender's own id,
   * that id never changes, only the author edits the record (but `sharedFields`), and only the
   * author or a board owner deletes it (an owner's removal is kept as a record, `removal`).
   */
  readonly authoredBy?: string;
  /** Fields of an authored record that anyone who may edit the board may change. */
  readonly sharedFields?: readonly string[];
  /**
   * Where the server records that an owner removed someone's record (the remover's id and when),
   * and the fields the kept record no longer holds (set to these values).
   */
  readonly removal?: { readonly by: string; readonly at: string; readonly cleared: Readonly<Record<string, unknown>> };
  /**
   * Fields naming who did an act, e.g. `approvedBy` for status 'approved': whoever writes one
   * writes their own id, and doing the act (setting `field` to `value`) writes it.
   */
  readonly signedBy?: Readonly<Record<string, { readonly field: string; readonly value: string }>>;
  /** Fields only the server writes, with what a client that tries is told. */
  readonly serverOnly?: Readonly<Record<string, string>>;
}

/** The reason given when a client touches a shot's "keep anyway" record (it would hide a stale mark). */
export const STALE_ACCEPTED_IS_SERVER_ONLY = 'staleAccepted is written by the server only (use Keep anyway)';

/** The reason given when a client writes who removed a comment (the server records that itself). */
export const REMOVAL_IS_SERVER_ONLY = 'a removal is recorded by the server only (delete the comment instead)';

/** The reason given when a client marks a comment as a guest's (guests comment through their review link; the server writes it). */
export const GUEST_IS_SERVER_ONLY = 'a guest comment is written by the server only (guests comment through their review link)';

const isRank: Check = (v, path) =>
  isValidRank(v) ? [] : [`${path}: expected a fractional-index rank, got ${describe(v)}`];

/** The check of `key` in a map of kind `spec`: its field's, or its key family's; undefined if unknown. */
export function fieldCheck(spec: EntitySpec, key: string): Check | undefined {
  const own = spec.fields[key];
  if (own || !spec.keyFamilies) return own;
  for (const [prefix, check] of Object.entries(spec.keyFamilies)) if (key.startsWith(prefix)) return check;
  return undefined;
}

/** Checks a whole map of kind `spec` (its id is its key in its collection, not stored in it). */
export function checkEntity(spec: EntitySpec, value: unknown, path: string): string[] {
  if (!(value instanceof Y.Map)) return [`${path}: expected a Y.Map, got ${describe(value)}`];
  return checkFields(spec, value, path);
}

/** Checks a plain record of kind `spec` (a take): a JSON object, not a Yjs type. */
export function checkRecord(spec: EntitySpec, value: unknown, path: string): string[] {
  if (value instanceof Y.AbstractType) return [`${BOARD_UPDATED} (${path} is one plain record now, got ${describe(value)})`];
  // Each field is checked below (`sent` with its own size cap), so only the shape here.
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    return [`${path}: expected a plain record, got ${describe(value)}`];
  }
  const record = value as Record<string, unknown>;
  return checkFields(spec, { has: (k) => Object.hasOwn(record, k), forEach: (f) => Object.entries(record).forEach(([k, v]) => f(v, k)) }, path);
}

function checkFields(
  spec: EntitySpec,
  value: { has(key: string): boolean; forEach(f: (v: unknown, key: string) => void): void },
  path: string,
): string[] {
  const out: string[] = [];
  for (const field of spec.required) {
    if (!value.has(field)) out.push(`${path}.${field}: required`);
  }
  value.forEach((v: unknown, field: string) => {
    const check = fieldCheck(spec, field);
    if (check) out.push(...check(v, `${path}.${field}`));
  });
  return out;
}

/** A check for a field holding a map of entities keyed by id. */
export function mapOfEntities(spec: EntitySpec): Check {
  return isMapOf((v, _key, path) => checkEntity(spec, v, path));
}

/** What an outdated client is told when it writes an entity's id inside it. */
const isRetiredId: Check = isRetiredFor('its key in its collection');

export const META_SPEC: EntitySpec = {
  fields: {
    [META.title]: isText,
    [META.aspectRatio]: isOneOf(ASPECT_RATIOS),
    [META.defaultModel]: isStr,
    [META.budgetMicroUsd]: isMoney,
    [LEGACY_BUDGET]: isRetiredFor(META.budgetMicroUsd),
    [META.sprintStart]: isIso,
    [META.sprintEnd]: isIso,
    [META.fps]: isNum(0, MAX_FPS, true),
    [META.trimOverlap]: isBool,
    [META.crossfadeSec]: isNum(0, MAX_CROSSFADE_SEC),
  },
  // `bible:<referenceId>`: the pinned version id, or '' for the reference's current version.
  keyFamilies: { [META_KEYS.bible]: isStr },
  // Every meta field has a default (see getMeta), so an empty meta map is a valid new board.
  required: [],
};

/** A shot's override of each bible role (`bible:<role>`), 'inherit' when missing. */
const BIBLE_OVERRIDE_FIELDS: Readonly<Record<string, Check>> = Object.fromEntries(BIBLE_ROLES.map((r) => [bibleOverrideKey(r), isOneOf(BIBLE_OVERRIDES)]));
const BIBLE_OVERRIDE_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(BIBLE_ROLES.map((r) => [bibleOverrideKey(r), 'inherit']));

/** A take is one plain record under its shot's `take:<takeId>` key, written whole by the server. */
export const TAKE_SPEC: EntitySpec = {
  fields: {
    [TAKE.jobId]: isId,
    [TAKE.status]: isOneOf(TAKE_STATUSES),
    [TAKE.model]: isStr,
    [TAKE.seed]: isInt,
    [TAKE.durationSec]: isNum(0, MAX_SHOT_DURATION_SEC),
    [TAKE.costMicroUsd]: isMoney,
    [LEGACY_COST]: isRetiredFor(TAKE.costMicroUsd),
    [TAKE.createdBy]: isId,
    [TAKE.createdAt]: isIso,
    [TAKE.clip]: isId,
    [TAKE.poster]: isId,
    [TAKE.tail]: isId,
    [TAKE.error]: isStr,
    [TAKE.number]: isNum(1, Number.MAX_SAFE_INTEGER),
    [TAKE.fromShot]: isId,
    [TAKE.fromTake]: isId,
    [TAKE.fromTail]: isId,
    [TAKE.tailAs]: isOneOf(TAIL_ATTACHMENTS),
    [TAKE.tailSec]: isNum(0, MAX_SHOT_DURATION_SEC),
    [TAKE.lastFrame]: isId,
    [TAKE.tailStart]: isId,
    [TAKE.prompt]: isStr,
    [TAKE.sent]: isJsonObject,
    [TAKE.answers]: isId,
  },
  required: [TAKE.jobId, TAKE.status, TAKE.model, TAKE.durationSec, TAKE.costMicroUsd, TAKE.createdBy, TAKE.createdAt],
};

/** A `take:<takeId>` value. */
export const isTakeRecord: Check = (v, path) => checkRecord(TAKE_SPEC, v, path);

/**
 * A `trim:<takeId>` value: `{inSec, outSec}`, seconds from the clip's first frame, 0 <= in < out <= 60.
 * Exactly those two keys: a record is written whole (setTakeTrim), so an unknown key is a mistake.
 */
export const isTrim: Check = (v, path) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Y.AbstractType || v instanceof Uint8Array) {
    return [`${path}: expected a plain record {${TRIM.inSec}, ${TRIM.outSec}}, got ${describe(v)}`];
  }
  const record = v as Record<string, unknown>;
  const extra = Object.keys(record).find((k) => k !== TRIM.inSec && k !== TRIM.outSec);
  if (extra !== undefined) return [`${path}.${extra.slice(0, 40)}: unknown field (allowed: ${TRIM.inSec}, ${TRIM.outSec})`];
  const out = [
    ...isNum(0, MAX_SHOT_DURATION_SEC)(record[TRIM.inSec], `${path}.${TRIM.inSec}`),
    ...isNum(0, MAX_SHOT_DURATION_SEC, true)(record[TRIM.outSec], `${path}.${TRIM.outSec}`),
  ];
  if (out.length === 0 && !((record[TRIM.inSec] as number) < (record[TRIM.outSec] as number))) out.push(`${path}: ${TRIM.inSec} must be before ${TRIM.outSec}`);
  return out;
};

export const SHOT_SPEC: EntitySpec = {
  fields: {
    [LEGACY_ID]: isRetiredId,
    [LEGACY_REFS]: isRetiredFor(`one ${SHOT_KEYS.ref}<referenceId> key per reference`),
    [LEGACY_TAKES]: isRetiredFor(`one ${SHOT_KEYS.take}<takeId> record per take`),
    [SHOT.rank]: isRank,
    [SHOT.title]: isText,
    [SHOT.prompt]: isText,
    [SHOT.mode]: isOneOf(SHOT_MODES),
    [SHOT.durationSec]: isNum(0, MAX_SHOT_DURATION_SEC, true),
    [SHOT.model]: isStr,
    [SHOT.shotSize]: isOneOf(SHOT_SIZES),
    [SHOT.camera]: isText,
    [SHOT.startFrame]: isId,
    [SHOT.endFrame]: isId,
    [SHOT.continuesFrom]: isId,
    [SHOT.stale]: isBool,
    [SHOT.staleAccepted]: isJsonObject,
    [SHOT.status]: isOneOf(SHOT_STATUSES),
    [SHOT.approvedBy]: isId,
    [SHOT.assignee]: isId,
    [SHOT.notes]: isText,
    [SHOT.selectedTake]: isId,
    ...BIBLE_OVERRIDE_FIELDS,
    [SHOT.leftOut]: isBool,
    [SHOT.fadeInSec]: isNum(0, MAX_CROSSFADE_SEC),
  },
  // `ref:<referenceId>`: the pinned version id, or '' for "the reference's current version".
  keyFamilies: { [SHOT_KEYS.ref]: isStr, [SHOT_KEYS.take]: isTakeRecord, [SHOT_KEYS.trim]: isTrim },
  defaults: { [SHOT.mode]: 'text', [SHOT.durationSec]: DEFAULT_SHOT_DURATION_SEC, [SHOT.status]: 'draft', [SHOT.leftOut]: false, ...BIBLE_OVERRIDE_DEFAULTS },
  required: [SHOT.rank, SHOT.title, SHOT.prompt, SHOT.model],
  signedBy: { [SHOT.approvedBy]: { field: SHOT.status, value: 'approved' } },
  serverOnly: { [SHOT.staleAccepted]: STALE_ACCEPTED_IS_SERVER_ONLY },
};

export const VERSION_SPEC: EntitySpec = {
  fields: {
    [LEGACY_ID]: isRetiredId,
    [VERSION.beat]: isText,
    [VERSION.assets]: isArrayOf(isId),
    [VERSION.createdAt]: isIso,
  },
  required: [VERSION.beat, VERSION.assets, VERSION.createdAt],
};

export const isVersions: Check = mapOfEntities(VERSION_SPEC);

export const REFERENCE_SPEC: EntitySpec = {
  fields: {
    [LEGACY_ID]: isRetiredId,
    // Optional: references made before cards had an order get one when the server loads the board.
    [REFERENCE.rank]: isRank,
    [REFERENCE.kind]: isOneOf(REFERENCE_KINDS),
    [REFERENCE.name]: isText,
    [REFERENCE.description]: isText,
    [REFERENCE.versions]: isVersions,
    // '' until the first version exists.
    [REFERENCE.currentVersion]: isStr,
    [REFERENCE.locked]: isBool,
  },
  defaults: { [REFERENCE.currentVersion]: '', [REFERENCE.locked]: false },
  required: [REFERENCE.kind, REFERENCE.name, REFERENCE.description, REFERENCE.versions],
};

export const COMMENT_SPEC: EntitySpec = {
  fields: {
    [LEGACY_ID]: isRetiredId,
    [COMMENT.shotId]: isId,
    [COMMENT.takeId]: isId,
    [COMMENT.atSec]: isNum(0, Number.MAX_SAFE_INTEGER),
    [COMMENT.author]: isId,
    [COMMENT.text]: isStr,
    [COMMENT.createdAt]: isIso,
    [COMMENT.resolved]: isBool,
    [COMMENT.mentions]: isIdList(MAX_MENTIONS),
    [COMMENT.removedBy]: isId,
    [COMMENT.removedAt]: isIso,
    [COMMENT.guestName]: isStr,
  },
  defaults: { [COMMENT.resolved]: false },
  required: [COMMENT.shotId, COMMENT.author, COMMENT.text, COMMENT.createdAt],
  authoredBy: COMMENT.author,
  // Resolving or reopening a thread is review work any editor does, not the author's words.
  sharedFields: [COMMENT.resolved],
  removal: { by: COMMENT.removedBy, at: COMMENT.removedAt, cleared: { [COMMENT.text]: '' } },
  serverOnly: { [COMMENT.removedBy]: REMOVAL_IS_SERVER_ONLY, [COMMENT.removedAt]: REMOVAL_IS_SERVER_ONLY, [COMMENT.guestName]: GUEST_IS_SERVER_ONLY },
};

/** The fields of `spec` that hold shared text (Y.Text), in key order. */
export function textKeys(spec: EntitySpec): string[] {
  return Object.keys(spec.fields).filter((k) => spec.fields[k] === isText).sort();
}
