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
 * The continuity bible: board-wide default references by role, one `bible:<referenceId>` key of
 * `meta` per entry holding the pinned version id or '' for the reference's current version (as a
 * shot's `ref:` keys). An entry's role is the reference's: its kind, or 'voice' when the version's
 * files are all sound (shared/generation/send-plan.ts).
 */
export const META_KEYS = { bible: 'bible:' } as const;
/** The meta key putting reference `refId` in the bible. */
export const bibleKey = (refId: string): string => META_KEYS.bible + refId;
/** The reference a meta key puts in the bible, or null for an ordinary field. */
export function bibleKeyRef(key: string): string | null {
  return key.startsWith(META_KEYS.bible) ? key.slice(META_KEYS.bible.length) : null;
}

/** Roles of the continuity bible, in the order a request fills its slots. */
export const BIBLE_ROLES = ['character', 'location', 'style', 'voice'] as const;
export type BibleRole = (typeof BIBLE_ROLES)[number];
/**
 * How a shot treats one bible role: `inherit` the bible's entries (the default, not stored),
 * `replace` them with the shot's own references, or `drop` the role (nothing of it is sent).
 */
export const BIBLE_OVERRIDES = ['inherit', 'replace', 'drop'] as const;
export type BibleOverride = (typeof BIBLE_OVERRIDES)[number];
/** The shot key holding its override of bible role `role`. */
export const bibleOverrideKey = (role: BibleRole): string => `bible:${role}`;

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
  /** Left out of the sequence (an editor removed it in the edit suite and that was accepted); default false. */
  leftOut: 'leftOut',
  /** Transition into this shot's cut, seconds (0 = hard cut); absent = the board's rule (crossfadeSec at chain cuts). */
  fadeInSec: 'fadeInSec',
} as const;

/**
 * Families of shot keys, one key per member, so a shot holds no nested maps and two teammates
 * assigning two references write two different keys (both kept):
 * - `ref:<referenceId>` -> the pinned version id, or '' for the reference's current version;
 * - `take:<takeId>` -> the take as one plain record (TAKE fields), written whole by the server only;
 * - `trim:<takeId>` -> the in and out points of that take in the sequence, `{inSec, outSec}` (TRIM).
 */
export const SHOT_KEYS = { ref: 'ref:', take: 'take:', trim: 'trim:' } as const;
export type ShotKeyFamily = keyof typeof SHOT_KEYS;

/** The shot key assigning reference `refId`. */
export const refKey = (refId: string): string => SHOT_KEYS.ref + refId;
/** The shot key holding take `takeId`. */
export const takeKey = (takeId: string): string => SHOT_KEYS.take + takeId;
/** The shot key holding the trim of take `takeId`. */
export const trimKey = (takeId: string): string => SHOT_KEYS.trim + takeId;

/** Fields of a trim record (`shot.get(trimKey(takeId))`): seconds from the clip's first frame, in < out. */
export const TRIM = { inSec: 'inSec', outSec: 'outSec' } as const;

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
  /** The review comment this take was regenerated from ("Regenerate from note"): its id. */
  answers: 'answers',
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
  /**
   * Set on a comment a guest left through a review link (server-written only): the name they
   * typed. Its `author` is then their guest session's id, never a user id.
   */
  guestName: 'guestName',
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
