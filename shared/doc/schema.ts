/**
 * The board document's vocabulary: top-level type names, field keys, enum values and limits.
 * Field names are spelled here and nowhere else, so a rename is one edit and a typo is a type error.
 */

/** Top-level types of a board document; every one is a Y.Map. */
export const ROOT = {
  meta: 'meta',
  shots: 'shots',
  references: 'references',
  comments: 'comments',
} as const;
export type RootName = (typeof ROOT)[keyof typeof ROOT];
/** All top-level names a board document may contain; anything else is rejected by the server. */
export const ROOT_NAMES: readonly RootName[] = Object.values(ROOT);

/** Keys of the `meta` map. */
export const META = {
  title: 'title',
  aspectRatio: 'aspectRatio',
  defaultModel: 'defaultModel',
  /** Integer micro-dollars (shared/money.ts); boards stored with a float `budgetUsd` are converted (legacy-money.ts). */
  budgetMicroUsd: 'budgetMicroUsd',
  sprintStart: 'sprintStart',
  sprintEnd: 'sprintEnd',
  fps: 'fps',
  /** Sequence plan: drop the part of a chained clip that repeats its source's tail. */
  trimOverlap: 'trimOverlap',
  /** Sequence plan: crossfade length at chain cuts, seconds (0 = hard cuts). */
  crossfadeSec: 'crossfadeSec',
} as const;

/**
 * Keys of one shot map (`shots.get(shotId)`). An entity's id is its key in its collection, never
 * stored again inside it. Assignments and takes are families of keys (SHOT_KEYS), not nested maps.
 */
export const SHOT = {
  rank: 'rank',
  title: 'title',
  prompt: 'prompt',
  mode: 'mode',
  durationSec: 'durationSec',
  model: 'model',
  shotSize: 'shotSize',
  camera: 'camera',
  startFrame: 'startFrame',
  endFrame: 'endFrame',
  continuesFrom: 'continuesFrom',
  /** Legacy (a client-written bool); chain freshness is computed, see shared/doc/chain.ts. */
  stale: 'stale',
  /** "Keep anyway": {take, tail, by, at}, written by the server only, with the acting user. */
  staleAccepted: 'staleAccepted',
  status: 'status',
  /** Who approved the shot: the approver's user id, written with status 'approved' (checked by the server). */
  approvedBy: 'approvedBy',
  assignee: 'assignee',
  notes: 'notes',
  selectedTake: 'selectedTake',
} as const;

/**
 * Families of shot keys, one key per member, so a shot holds no nested maps and two teammates
 * assigning two references write two different keys (both kept):
 * - `ref:<referenceId>` -> the pinned version id, or '' for the reference's current version;
 * - `take:<takeId>` -> the take as one plain record (TAKE fields), written whole by the server only.
 */
export const SHOT_KEYS = { ref: 'ref:', take: 'take:' } as const;
export type ShotKeyFamily = keyof typeof SHOT_KEYS;

/** The shot key assigning reference `refId`. */
export const refKey = (refId: string): string => SHOT_KEYS.ref + refId;
/** The shot key holding take `takeId`. */
export const takeKey = (takeId: string): string => SHOT_KEYS.take + takeId;

/** Which family a shot key belongs to, and the member id it names (null for an ordinary field). */
export function shotKeyFamily(key: string): { family: ShotKeyFamily; id: string } | null {
  for (const family of Object.keys(SHOT_KEYS) as ShotKeyFamily[]) {
    if (key.startsWith(SHOT_KEYS[family])) return { family, id: key.slice(SHOT_KEYS[family].length) };
  }
  return null;
}

/** Fields of a take record (`shot.get(takeKey(takeId))`); takes are written by the server only. */
export const TAKE = {
  jobId: 'jobId',
  status: 'status',
  model: 'model',
  seed: 'seed',
  durationSec: 'durationSec',
  /** Integer micro-dollars (shared/money.ts); takes stored with a float `costUsd` are converted (legacy-money.ts). */
  costMicroUsd: 'costMicroUsd',
  createdBy: 'createdBy',
  createdAt: 'createdAt',
  clip: 'clip',
  poster: 'poster',
  tail: 'tail',
  error: 'error',
  /** Take number within its shot (1, 2, ...), assigned by the server when queued. */
  number: 'number',
  /** The upstream shot, take and tail asset this take was generated from (chained shots). */
  fromShot: 'fromShot',
  fromTake: 'fromTake',
  fromTail: 'fromTail',
  /** How that tail was attached ('start_frame' | 'reference_video' | 'extend') and its length in seconds. */
  tailAs: 'tailAs',
  tailSec: 'tailSec',
  /** Still of the clip's last frame (an image asset): frame pickers and tail previews. */
  lastFrame: 'lastFrame',
  /** Still of the tail clip's first frame (an image asset). */
  tailStart: 'tailStart',
  /** The prompt exactly as sent. */
  prompt: 'prompt',
  /** What was sent and what was left out: a plain JSON object, see TakeSent in takes.ts. */
  sent: 'sent',
} as const;

/** Keys of one reference map (`references.get(referenceId)`). */
export const REFERENCE = {
  /** Place in the library, a fractional index as a shot's (people order their cards). */
  rank: 'rank',
  kind: 'kind',
  name: 'name',
  description: 'description',
  versions: 'versions',
  currentVersion: 'currentVersion',
  locked: 'locked',
} as const;

/** Keys of one reference version map (`reference.versions.get(versionId)`). */
export const VERSION = {
  beat: 'beat',
  assets: 'assets',
  createdAt: 'createdAt',
} as const;

/** Keys of one comment map (`comments.get(commentId)`). */
export const COMMENT = {
  shotId: 'shotId',
  takeId: 'takeId',
  atSec: 'atSec',
  author: 'author',
  text: 'text',
  createdAt: 'createdAt',
  resolved: 'resolved',
  /** User ids the author @mentioned, as a plain array (the server notifies those still on the board). */
  mentions: 'mentions',
  /** A comment an owner removed is kept as a record without its text: who removed it and when (server-written). */
  removedBy: 'removedBy',
  removedAt: 'removedAt',
} as const;

/** At most this many people are @mentioned in one comment. */
export const MAX_MENTIONS = 20;

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '21:9'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const SHOT_MODES = ['text', 'image', 'reference', 'extend'] as const;
export type ShotMode = (typeof SHOT_MODES)[number];

export const SHOT_SIZES = ['ECU', 'CU', 'MCU', 'MS', 'MWS', 'WS', 'EWS'] as const;
export type ShotSize = (typeof SHOT_SIZES)[number];

export const SHOT_STATUSES = ['draft', 'ready', 'generating', 'review', 'approved'] as const;
export type ShotStatus = (typeof SHOT_STATUSES)[number];

export const TAKE_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type TakeStatus = (typeof TAKE_STATUSES)[number];

export const REFERENCE_KINDS = ['character', 'location', 'style', 'prop', 'clip'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** Longest shot a board accepts; no provider we target renders more in one generation. */
export const MAX_SHOT_DURATION_SEC = 60;
export const DEFAULT_SHOT_DURATION_SEC = 5;
export const DEFAULT_FPS = 24;
export const DEFAULT_ASPECT_RATIO: AspectRatio = '16:9';
/** Upper bound for `fps`; anything above is a typo, not a frame rate. */
export const MAX_FPS = 240;
/** Longest crossfade a sequence plan allows at a chain cut, seconds. */
export const MAX_CROSSFADE_SEC = 2;
export const TAIL_ATTACHMENTS = ['start_frame', 'reference_video', 'extend'] as const;

/** Prefixes of generated ids, so an id in a log says what it names. */
export const ID_PREFIX = {
  shot: 'shot',
  reference: 'ref',
  version: 'ver',
  take: 'take',
  comment: 'cmt',
} as const;

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 16; // 16 base-62 chars ≈ 95 random bits: collisions are not a concern
// Bytes at or above this are rejected so every character is equally likely (248 = 4 * 62).
const UNBIASED_LIMIT = 248;

/**
 * A new random, URL-safe id such as `shot_3kT9…`. Uses `globalThis.crypto`, which both browsers and
 * Node 20 provide, so this module stays free of Node and DOM imports.
 */
export function newId(prefix: string): string {
  let out = '';
  while (out.length < ID_LENGTH) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(ID_LENGTH * 2));
    for (const b of bytes) {
      if (b < UNBIASED_LIMIT && out.length < ID_LENGTH) out += ID_ALPHABET[b % ID_ALPHABET.length];
    }
  }
  return `${prefix}_${out}`;
}
