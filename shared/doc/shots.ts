/** Creating, editing, duplicating and deleting shots, and the shared Y.Texts editors bind to. */
import * as Y from 'yjs';
import { DocError } from './errors.js';
import {
  childMap, inTransaction, newText, readStr, readText, requireChild, roots, textAt, writeFields, writeText,
  type DocMap,
} from './maps.js';
import { getMeta } from './meta.js';
import { DEFAULT_SHOT_DURATION_SEC, ID_PREFIX, SHOT, newId, shotKeyFamily } from './schema.js';
import type { ShotMode, ShotSize, ShotStatus } from './schema.js';
import { applyRerank, planPlacement, type ShotPosition } from './shot-order.js';
import type { StaleAccepted } from './shot-view.js';
import { SHOT_SPEC, textKeys } from './specs.js';

/** Fields a shot may be created with, plus where it goes (default: at the end). */
export interface ShotInit extends ShotPosition {
  title?: string;
  prompt?: string;
  mode?: ShotMode;
  durationSec?: number;
  /** Defaults to the board's `defaultModel`. */
  model?: string;
  shotSize?: ShotSize;
  camera?: string;
  startFrame?: string;
  endFrame?: string;
  continuesFrom?: string;
  status?: ShotStatus;
  assignee?: string;
  notes?: string;
}

/**
 * Fields to change; `null` removes an optional one. The text fields (`title`, `prompt`, `camera`,
 * `notes`; `camera: null` empties it) rewrite only the changed part of the shot's Y.Text (live
 * editors should bind to `getShotText` instead). Order changes go through moveShot, takes and
 * `selectedTake` through the take functions.
 */
export interface ShotPatch {
  title?: string;
  prompt?: string;
  mode?: ShotMode;
  durationSec?: number;
  model?: string;
  shotSize?: ShotSize | null;
  camera?: string | null;
  startFrame?: string | null;
  endFrame?: string | null;
  continuesFrom?: string | null;
  status?: ShotStatus;
  /** Who approved: the sender's own user id with status 'approved' (see statusPatch). */
  approvedBy?: string | null;
  assignee?: string | null;
  notes?: string;
}

/**
 * The patch that sets a shot's status as `userId`: approving signs the approval with their id
 * (the sync server refuses an approval without it), any other status clears the signature.
 */
export function statusPatch(status: ShotStatus, userId: string): ShotPatch {
  return { status, approvedBy: status === 'approved' ? userId : null };
}

/** A shot's fields naming who did something (approvedBy): only that person may write them. */
export const SHOT_SIGNATURES: readonly string[] = Object.keys(SHOT_SPEC.signedBy ?? {});

// The fields setShotFields writes as plain values; the rest have dedicated functions.
const PATCHABLE = [
  SHOT.mode, SHOT.durationSec, SHOT.model, SHOT.shotSize, SHOT.startFrame,
  SHOT.endFrame, SHOT.continuesFrom, SHOT.status, SHOT.approvedBy, SHOT.assignee,
] as const;
const PATCH_CHECKS = Object.fromEntries(PATCHABLE.map((k) => [k, SHOT_SPEC.fields[k]!]));
/** The shot's shared texts, as spelled once in SHOT_SPEC. */
const TEXTS = textKeys(SHOT_SPEC);
/** A shot text field an editor can bind to. */
export type ShotTextField = 'title' | 'prompt' | 'camera' | 'notes';

/** Splits the text fields (checked to be strings; null = '') from the plain ones. */
function splitTexts<T extends Record<string, unknown>>(fields: T, path: string): [texts: Record<string, string>, rest: Record<string, unknown>] {
  const texts: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!TEXTS.includes(key)) rest[key] = value;
    else if (value === null && key === SHOT.camera) texts[key] = '';
    else if (typeof value === 'string') texts[key] = value;
    else if (value !== undefined) throw new DocError('invalid_value', `${path}.${key}: expected a string, got ${value === null ? 'null' : typeof value}`);
  }
  return [texts, rest];
}

/** Adds a shot (by default after the last one) and returns its id. */
export function addShot(doc: Y.Doc, init: ShotInit = {}): string {
  const id = newId(ID_PREFIX.shot);
  const { after, before, ...fields } = init;
  const [texts, rest] = splitTexts(fields, 'shot');
  const values: Record<string, unknown> = { mode: 'text', durationSec: DEFAULT_SHOT_DURATION_SEC, model: getMeta(doc).defaultModel, status: 'draft', ...rest };
  if (typeof values.continuesFrom === 'string') requireChild(roots(doc).shots, values.continuesFrom, 'shot');
  const placement = planPlacement(doc, id, { after, before });
  const shot: DocMap = new Y.Map<unknown>();
  writeFields(shot, values, PATCH_CHECKS, [], 'shot', SHOT_SPEC.defaults);
  shot.set(SHOT.rank, placement.rank);
  // Every text exists from the start, even empty: two teammates typing first into a missing
  // text would each create one, and only one would be kept.
  for (const key of TEXTS) shot.set(key, newText(texts[key] ?? ''));
  inTransaction(doc, () => {
    roots(doc).shots.set(id, shot);
    applyRerank(doc, placement);
  });
  return id;
}

/** Changes the given fields of a shot, keeping every other key (including unknown ones). */
export function setShotFields(doc: Y.Doc, id: string, patch: ShotPatch): void {
  const shot = requireChild(roots(doc).shots, id, 'shot');
  const [texts, fields] = splitTexts(patch as Record<string, unknown>, `shots.${id}`);
  if (typeof fields.continuesFrom === 'string') assertNoChainCycle(doc, id, fields.continuesFrom);
  inTransaction(doc, () => {
    writeFields(shot, fields, PATCH_CHECKS, SHOT_SPEC.required, `shots.${id}`, SHOT_SPEC.defaults);
    for (const [key, value] of Object.entries(texts)) writeText(shot, key, value);
  });
}

/**
 * Records "keep anyway" on a shot: its selected take is kept against the current upstream tail.
 * Server only (the sync server refuses this key from clients); see chain.ts for when it applies.
 */
export function setStaleAccepted(doc: Y.Doc, id: string, record: StaleAccepted): void {
  const shot = requireChild(roots(doc).shots, id, 'shot');
  const checks = { [SHOT.staleAccepted]: SHOT_SPEC.fields[SHOT.staleAccepted]! };
  inTransaction(doc, () => writeFields(shot, { [SHOT.staleAccepted]: { ...record } }, checks, [], `shots.${id}`));
}

/** `continuesFrom` must name another existing shot without looping back to `id`. */
function assertNoChainCycle(doc: Y.Doc, id: string, from: string): void {
  const shots = roots(doc).shots;
  requireChild(shots, from, 'shot');
  const seen = new Set<string>([id]);
  for (let cur: string | undefined = from; cur !== undefined; ) {
    if (seen.has(cur)) throw new DocError('invalid_value', `shots.${id}.continuesFrom: would make a loop`);
    seen.add(cur);
    const m = childMap(shots, cur);
    cur = m ? readStr(m, SHOT.continuesFrom) : undefined;
  }
}

/**
 * Copies a shot right after the original and returns the copy's id: its settings, texts,
 * assignments (`ref:` keys) and unknown plain fields, but not its takes, review state or
 * selection (the copy has not been made).
 */
export function duplicateShot(doc: Y.Doc, id: string): string {
  const source = requireChild(roots(doc).shots, id, 'shot');
  const copyId = newId(ID_PREFIX.shot);
  const placement = planPlacement(doc, copyId, { after: id });
  const skip = new Set<string>([SHOT.stale, SHOT.staleAccepted, SHOT.status, SHOT.approvedBy, SHOT.selectedTake]);
  const copy: DocMap = new Y.Map<unknown>();
  source.forEach((v: unknown, key: string) => {
    // Y types cannot be shared between two parents; the known ones are rebuilt below.
    // A copy has no takes, so neither their records nor their trims.
    const family = shotKeyFamily(key)?.family;
    if (!skip.has(key) && family !== 'take' && family !== 'trim' && !(v instanceof Y.AbstractType)) copy.set(key, v);
  });
  copy.set(SHOT.rank, placement.rank); // and no status: a copy is a draft (SHOT_SPEC.defaults)
  for (const key of TEXTS) copy.set(key, newText(readText(source, key)));
  inTransaction(doc, () => {
    roots(doc).shots.set(copyId, copy);
    applyRerank(doc, placement);
  });
  return copyId;
}

/**
 * Deletes a shot with its takes; shots that continued from it stop doing so. Returns false if
 * there was no such shot (a concurrent delete is not an error).
 */
export function deleteShot(doc: Y.Doc, id: string): boolean {
  const shots = roots(doc).shots;
  if (!shots.has(id)) return false;
  inTransaction(doc, () => {
    shots.delete(id);
    shots.forEach((v: unknown) => {
      if (v instanceof Y.Map && v.get(SHOT.continuesFrom) === id) v.delete(SHOT.continuesFrom);
    });
  });
  return true;
}

/**
 * A text field of the shot as its shared Y.Text, for collaborative editors to bind to; undefined
 * while the field is missing or still a legacy string (see textAt).
 */
export function getShotText(doc: Y.Doc, shotId: string, field: ShotTextField): Y.Text | undefined {
  const shot = childMap(roots(doc).shots, shotId);
  return shot ? textAt(shot, SHOT[field]) : undefined;
}

/** The shot's prompt as a shared Y.Text, for collaborative editors to bind to. */
export function getPromptText(doc: Y.Doc, shotId: string): Y.Text {
  return sharedText(doc, shotId, SHOT.prompt);
}

/** The shot's notes as a shared Y.Text. */
export function getNotesText(doc: Y.Doc, shotId: string): Y.Text {
  return sharedText(doc, shotId, SHOT.notes);
}

// Shots made by addShot always have both texts; a shot written by something else may lack one,
// and creating it here beats making every editor handle a missing text.
function sharedText(doc: Y.Doc, shotId: string, key: string): Y.Text {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  const existing = shot.get(key);
  if (existing instanceof Y.Text) return existing;
  const text = newText();
  inTransaction(doc, () => shot.set(key, text));
  return text;
}
