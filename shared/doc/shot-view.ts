/** Plain snapshots of shots for rendering and for the server, read tolerantly from the Y.Maps. */
import * as Y from 'yjs';
import { readBibleOverrides, type BibleOverrides } from './bible.js';
import { childMap, readChildren, readEnum, readNum, readStr, readText, roots, type DocMap } from './maps.js';
import { compareRanked } from './rank.js';
import { isTrim } from './specs.js';
import {
  DEFAULT_SHOT_DURATION_SEC,
  MAX_CROSSFADE_SEC,
  SHOT,
  shotKeyFamily,
  SHOT_MODES,
  SHOT_SIZES,
  SHOT_STATUSES,
  type ShotMode,
  type ShotSize,
  type ShotStatus,
} from './schema.js';

/** A shot as plain data; Y.Text fields are given as their current string. */
export interface ShotView {
  id: string;
  rank: string;
  title: string;
  prompt: string;
  mode: ShotMode;
  durationSec: number;
  model: string;
  shotSize?: ShotSize;
  camera?: string;
  startFrame?: string;
  endFrame?: string;
  /** referenceId -> pinned versionId, or '' for the reference's current version. */
  refs: Record<string, string>;
  /** How it treats the continuity bible's roles; a role not named is inherited (absent: all are). */
  bible?: BibleOverrides;
  continuesFrom?: string;
  /** "Keep anyway" (server-written): this selected take is kept although its upstream tail changed. */
  staleAccepted?: StaleAccepted;
  status: ShotStatus;
  /** Who approved it (user id); only meaningful while status is 'approved'. */
  approvedBy?: string;
  assignee?: string;
  notes: string;
  selectedTake?: string;
  /** Left out of the sequence (shot-edit.ts); absent = in it. */
  leftOut?: true;
  /** Transition into this shot's cut, seconds (0 = hard cut); absent = the board's rule. */
  fadeInSec?: number;
  /** takeId -> that take's in and out points in the sequence (shot-edit.ts); absent = none trimmed. */
  trims?: Record<string, TakeTrim>;
}

/** In and out points of a take in the sequence: seconds from the clip's first frame, in < out. */
export interface TakeTrim {
  inSec: number;
  outSec: number;
}

type OptionalStringField = 'startFrame' | 'endFrame' | 'continuesFrom' | 'approvedBy' | 'assignee' | 'selectedTake';
const OPTIONAL_STRINGS: readonly OptionalStringField[] = ['startFrame', 'endFrame', 'continuesFrom', 'approvedBy', 'assignee', 'selectedTake'];

/** Reads one shot map; `id` is the map key, which is authoritative over the `id` field. */
export function readShot(map: DocMap, id: string): ShotView {
  const view: ShotView = {
    id,
    rank: readStr(map, SHOT.rank) ?? '',
    title: readText(map, SHOT.title),
    prompt: readText(map, SHOT.prompt),
    mode: readEnum(map, SHOT.mode, SHOT_MODES, 'text'),
    durationSec: readNum(map, SHOT.durationSec) ?? DEFAULT_SHOT_DURATION_SEC,
    model: readStr(map, SHOT.model) ?? '',
    refs: readRefs(map),
    status: readEnum(map, SHOT.status, SHOT_STATUSES, 'draft'),
    notes: readText(map, SHOT.notes),
  };
  const size = map.get(SHOT.shotSize);
  if (typeof size === 'string' && (SHOT_SIZES as readonly string[]).includes(size)) view.shotSize = size as ShotSize;
  // Camera is shared text; empty reads as "not set", as the optional string it replaced did.
  const camera = readText(map, SHOT.camera);
  if (camera) view.camera = camera;
  for (const field of OPTIONAL_STRINGS) {
    const v = readStr(map, SHOT[field]);
    if (v !== undefined) view[field] = v;
  }
  const bible = readBibleOverrides(map);
  if (Object.keys(bible).length > 0) view.bible = bible;
  const accepted = readStaleAccepted(map.get(SHOT.staleAccepted));
  if (accepted) view.staleAccepted = accepted;
  if (map.get(SHOT.leftOut) === true) view.leftOut = true;
  const fade = readNum(map, SHOT.fadeInSec);
  if (fade !== undefined && fade >= 0 && fade <= MAX_CROSSFADE_SEC) view.fadeInSec = fade;
  const trims = readTrims(map);
  if (trims) view.trims = trims;
  return view;
}

/** The shot's `trim:<takeId>` records that hold a valid trim (anything else reads as untrimmed). */
function readTrims(map: DocMap): Record<string, TakeTrim> | undefined {
  let trims: Record<string, TakeTrim> | undefined;
  map.forEach((v: unknown, key: string) => {
    const member = shotKeyFamily(key);
    if (member?.family !== 'trim' || isTrim(v, key).length > 0) return;
    const { inSec, outSec } = v as TakeTrim;
    (trims ??= {})[member.id] = { inSec, outSec };
  });
  return trims;
}

/**
 * Who kept a stale chained take anyway: the selected take, the upstream tail it was kept against
 * (null: the upstream had no tail then), the user id and when (ISO). See chain.ts.
 */
export interface StaleAccepted {
  take: string;
  tail: string | null;
  by: string;
  at: string;
}

/** The record if it has that shape; anything else (a hostile or future value) counts as none. */
function readStaleAccepted(v: unknown): StaleAccepted | undefined {
  if (v === null || typeof v !== 'object' || v instanceof Y.AbstractType) return undefined;
  const { take, tail, by, at } = v as Record<string, unknown>;
  const str = (x: unknown) => typeof x === 'string' && x.length > 0;
  if (!str(take) || !(tail === null || str(tail)) || !str(by) || !str(at)) return undefined;
  return { take: take as string, tail: tail as string | null, by: by as string, at: at as string };
}

/** The shot's assignments: its `ref:<referenceId>` keys holding a version id or ''. */
function readRefs(map: DocMap): Record<string, string> {
  const refs: Record<string, string> = {};
  map.forEach((v: unknown, key: string) => {
    const member = shotKeyFamily(key);
    if (member?.family === 'ref' && typeof v === 'string') refs[member.id] = v;
  });
  return refs;
}

/** A snapshot of one shot, or undefined if there is no such shot. */
export function getShot(doc: Y.Doc, id: string): ShotView | undefined {
  const map = childMap(roots(doc).shots, id);
  return map ? readShot(map, id) : undefined;
}

/** Every shot in board order: by rank, ties by id, identical on every replica. */
export function shotsInOrder(doc: Y.Doc): ShotView[] {
  return readChildren(roots(doc).shots, readShot, compareRanked);
}

/** Just ids and ranks in board order: what placement needs, without reading every prompt. */
export function rankedShots(doc: Y.Doc): Array<{ id: string; rank: string }> {
  return readChildren(roots(doc).shots, (m, id) => ({ id, rank: readStr(m, SHOT.rank) ?? '' }), compareRanked);
}
