/**
 * Takes: generation results of a shot, each one plain record under the shot's `take:<takeId>`
 * key. Written by the server only, whole (the sync server rejects client updates that touch a
 * take key); `selectTake` is the one take operation a user performs.
 */
import * as Y from 'yjs';
import { assertValid } from './checks.js';
import { DocError, notFound } from './errors.js';
import {
  byThenId, childMap, inTransaction, patchRecord, readEnum, readNum, readStr, recordFields, requireChild, roots, type DocMap,
} from './maps.js';
import { SHOT, TAIL_ATTACHMENTS, TAKE, TAKE_STATUSES, shotKeyFamily, takeKey, type TakeStatus } from './schema.js';
import { TAKE_SPEC, isTakeRecord } from './specs.js';

/** A take as plain data. */
export interface TakeView {
  id: string;
  jobId: string;
  status: TakeStatus;
  model: string;
  seed?: number;
  durationSec: number;
  /** Integer micro-dollars. */
  costMicroUsd: number;
  createdBy: string;
  createdAt: string;
  clip?: string;
  poster?: string;
  tail?: string;
  error?: string;
  number?: number;
  fromShot?: string;
  fromTake?: string;
  fromTail?: string;
  tailAs?: TailAttachment;
  tailSec?: number;
  lastFrame?: string;
  tailStart?: string;
  prompt?: string;
  sent?: TakeSent;
  /** The comment this take answers (made by "Regenerate from note"). */
  answers?: string;
}

/** How a chained tail was attached to the request. */
export type TailAttachment = (typeof TAIL_ATTACHMENTS)[number];

/**
 * What a take's request carried, and what the shot had assigned that was left out (and why).
 * Built by `planSend` (shared/generation/send-plan.ts); the request is made from it, so they agree.
 */
export interface TakeSent {
  /** Each sent reference at the version used; `assets` are its files, each sent as an image, a clip or audio. */
  references: {
    referenceId: string; versionId: string; name: string; kind: string; role: string; beat: string; pinned: boolean;
    /** 'bible' when it came from the board's continuity bible rather than the shot's own assignments. */
    from?: 'bible';
    /** `slot`: its place among the files of its kind sent (1-based); `tag`: how the prompt names it, where the model reads tags. */
    assets: { assetId: string; as: 'image' | 'clip' | 'audio'; slot?: number; tag?: string }[];
  }[];
  /** The shot's own start/end frames that were sent (a chained tail attached as start frame is `tail`). */
  frames: { role: 'first' | 'last'; assetId: string }[];
  /** The chained tail: the clip, how it was attached, its length, and its last-frame still (the start frame when attached as one). */
  tail?: { assetId: string; as: TailAttachment; seconds: number; frameAssetId?: string };
  left: { what: string; why: string }[];
}

/** Fields to write; `null` removes an optional one (e.g. `error` on a retry). */
export interface TakePatch {
  jobId?: string;
  status?: TakeStatus;
  model?: string;
  seed?: number | null;
  durationSec?: number;
  costMicroUsd?: number;
  createdBy?: string;
  createdAt?: string;
  clip?: string | null;
  poster?: string | null;
  tail?: string | null;
  error?: string | null;
  number?: number;
  fromShot?: string | null;
  fromTake?: string | null;
  fromTail?: string | null;
  tailAs?: TailAttachment | null;
  tailSec?: number | null;
  lastFrame?: string | null;
  tailStart?: string | null;
  prompt?: string | null;
  sent?: TakeSent | null;
  answers?: string | null;
}

// A take must say which job made it, with what, for whom; the rest has a sensible start value.
const NEEDED_ON_CREATE = [TAKE.jobId, TAKE.model, TAKE.durationSec, TAKE.createdBy] as const;

/**
 * Creates or updates a take of a shot (server side), writing the whole record as one value.
 * Creating needs jobId, model, durationSec and createdBy; status defaults to 'queued',
 * costMicroUsd to 0 and createdAt to now. An unchanged record is not rewritten.
 */
export function upsertTake(doc: Y.Doc, shotId: string, takeId: string, fields: TakePatch): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  const key = takeKey(takeId);
  const stored = shot.get(key);
  // Anything but a record there (never written by this code) is replaced by a whole new take.
  const existing = isRecord(stored) ? stored : undefined;
  const { fields: checks, required } = TAKE_SPEC;
  let next: Record<string, unknown>;
  if (existing !== undefined) {
    next = patchRecord(existing, { ...fields }, checks, required, `take ${takeId}`);
  } else {
    const missing = NEEDED_ON_CREATE.filter((k) => fields[k] === undefined || fields[k] === null);
    if (missing.length > 0) throw new DocError('invalid_value', `new take ${takeId}: missing ${missing.join(', ')}`);
    next = patchRecord({}, { status: 'queued', costMicroUsd: 0, createdAt: new Date().toISOString(), ...fields }, checks, required, `take ${takeId}`);
  }
  assertValid(isTakeRecord, next, `take ${takeId}`);
  if (existing !== undefined && JSON.stringify(existing) === JSON.stringify(next)) return;
  inTransaction(doc, () => shot.set(key, next));
}

/** One take, or undefined. */
export function getTake(doc: Y.Doc, shotId: string, takeId: string): TakeView | undefined {
  const shot = childMap(roots(doc).shots, shotId);
  const record = shot?.get(takeKey(takeId));
  return isRecord(record) ? readTake(record, takeId) : undefined;
}

/** The takes of a shot, oldest first ([] for an unknown shot). */
export function listTakes(doc: Y.Doc, shotId: string): TakeView[] {
  const shot = childMap(roots(doc).shots, shotId);
  return shot ? takesOfShot(shot) : [];
}

/** The takes held by a shot map, oldest first. */
function takesOfShot(shot: DocMap): TakeView[] {
  const out: TakeView[] = [];
  shot.forEach((v: unknown, key: string) => {
    const member = shotKeyFamily(key);
    if (member?.family === 'take' && isRecord(v)) out.push(readTake(v, member.id));
  });
  return out.sort(byThenId((t: TakeView) => t.createdAt));
}

/**
 * Makes `takeId` the shot's selected take (null clears it). Writes nothing else: whether the shots
 * that continue from this one are stale follows from the take fields (see chain.ts).
 */
export function selectTake(doc: Y.Doc, shotId: string, takeId: string | null): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  if (takeId !== null && !isRecord(shot.get(takeKey(takeId)))) throw notFound('take', takeId);
  if ((shot.get(SHOT.selectedTake) ?? null) === takeId) return;
  inTransaction(doc, () => {
    if (takeId === null) shot.delete(SHOT.selectedTake);
    else shot.set(SHOT.selectedTake, takeId);
  });
}

/** A plain record (what a take key holds); anything else (a hostile value) is no take. */
function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Y.AbstractType);
}

function readTake(record: unknown, id: string): TakeView {
  const map = recordFields(record);
  const view: TakeView = {
    id,
    jobId: readStr(map, TAKE.jobId) ?? '',
    // An unreadable status cannot be trusted to be running: show it as failed.
    status: readEnum(map, TAKE.status, TAKE_STATUSES, 'failed'),
    model: readStr(map, TAKE.model) ?? '',
    durationSec: readNum(map, TAKE.durationSec) ?? 0,
    costMicroUsd: readNum(map, TAKE.costMicroUsd) ?? 0,
    createdBy: readStr(map, TAKE.createdBy) ?? '',
    createdAt: readStr(map, TAKE.createdAt) ?? '',
  };
  for (const key of [TAKE.seed, TAKE.number, TAKE.tailSec] as const) {
    const v = readNum(map, key);
    if (v !== undefined) view[key] = v;
  }
  const strings = [
    TAKE.clip, TAKE.poster, TAKE.tail, TAKE.error, TAKE.fromShot, TAKE.fromTake, TAKE.fromTail, TAKE.lastFrame, TAKE.tailStart, TAKE.prompt, TAKE.answers,
  ] as const;
  for (const key of strings) {
    const v = readStr(map, key);
    if (v !== undefined) view[key] = v;
  }
  const tailAs = map.get(TAKE.tailAs);
  if (typeof tailAs === 'string' && (TAIL_ATTACHMENTS as readonly string[]).includes(tailAs)) view.tailAs = tailAs as TailAttachment;
  const sent = map.get(TAKE.sent);
  // A copy: the record itself is the document's value, never to be changed in place.
  if (sent && typeof sent === 'object' && !Array.isArray(sent)) view.sent = structuredClone(sent) as TakeSent;
  return view;
}
