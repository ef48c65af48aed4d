/**
 * Takes: generation results of a shot. Written by the server only (the sync server rejects client
 * updates that touch `takes`); `selectTake` is the one take operation a user performs.
 */
import * as Y from 'yjs';
import { DocError, notFound } from './errors.js';
import {
  byThenId, childMap, inTransaction, readChildren, readEnum, readNum, readStr, requireChild, roots, writeFields, type DocMap,
} from './maps.js';
import { SHOT, TAIL_ATTACHMENTS, TAKE, TAKE_STATUSES, type TakeStatus } from './schema.js';
import { TAKE_SPEC } from './specs.js';

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
}

/** How a chained tail was attached to the request. */
export type TailAttachment = (typeof TAIL_ATTACHMENTS)[number];

/**
 * What a take's request carried, and what the shot had assigned that was left out (and why).
 * Built by `planSend` (shared/generation/send-plan.ts); the request is made from it, so they agree.
 */
export interface TakeSent {
  /** Each sent reference at the version used; `assets` are its files, each sent as an image or a clip. */
  references: {
    referenceId: string; versionId: string; name: string; kind: string; role: string; beat: string; pinned: boolean;
    assets: { assetId: string; as: 'image' | 'clip' }[];
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
}

// A take must say which job made it, with what, for whom; the rest has a sensible start value.
const NEEDED_ON_CREATE = [TAKE.jobId, TAKE.model, TAKE.durationSec, TAKE.createdBy] as const;

/**
 * Creates or updates a take of a shot (server side). Creating needs jobId, model, durationSec and
 * createdBy; status defaults to 'queued', costMicroUsd to 0 and createdAt to now.
 */
export function upsertTake(doc: Y.Doc, shotId: string, takeId: string, fields: TakePatch): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  const existingTakes = shot.get(SHOT.takes);
  const existing = existingTakes instanceof Y.Map ? childMap(existingTakes as DocMap, takeId) : undefined;
  const { fields: checks, required } = TAKE_SPEC;
  if (existing) {
    inTransaction(doc, () => writeFields(existing, { ...fields }, checks, required, `take ${takeId}`));
    return;
  }
  const missing = NEEDED_ON_CREATE.filter((k) => fields[k] === undefined || fields[k] === null);
  if (missing.length > 0) throw new DocError('invalid_value', `new take ${takeId}: missing ${missing.join(', ')}`);
  const take: DocMap = new Y.Map<unknown>();
  const values = { status: 'queued', costMicroUsd: 0, createdAt: new Date().toISOString(), ...fields };
  writeFields(take, values, checks, required, `take ${takeId}`);
  take.set(TAKE.id, takeId);
  inTransaction(doc, () => {
    const takes: DocMap = existingTakes instanceof Y.Map ? (existingTakes as DocMap) : new Y.Map<unknown>();
    if (takes !== existingTakes) shot.set(SHOT.takes, takes);
    takes.set(takeId, take);
  });
}

/** One take, or undefined. */
export function getTake(doc: Y.Doc, shotId: string, takeId: string): TakeView | undefined {
  const take = takesOf(doc, shotId)?.get(takeId);
  return take instanceof Y.Map ? readTake(take as DocMap, takeId) : undefined;
}

/** The takes of a shot, oldest first ([] for an unknown shot). */
export function listTakes(doc: Y.Doc, shotId: string): TakeView[] {
  return readChildren(takesOf(doc, shotId), readTake, byThenId((t: TakeView) => t.createdAt));
}

/**
 * Makes `takeId` the shot's selected take (null clears it). Writes nothing else: whether the shots
 * that continue from this one are stale follows from the take fields (see chain.ts).
 */
export function selectTake(doc: Y.Doc, shotId: string, takeId: string | null): void {
  const shot = requireChild(roots(doc).shots, shotId, 'shot');
  if (takeId !== null && !(takesOf(doc, shotId)?.get(takeId) instanceof Y.Map)) throw notFound('take', takeId);
  if ((shot.get(SHOT.selectedTake) ?? null) === takeId) return;
  inTransaction(doc, () => {
    if (takeId === null) shot.delete(SHOT.selectedTake);
    else shot.set(SHOT.selectedTake, takeId);
  });
}

function takesOf(doc: Y.Doc, shotId: string): DocMap | undefined {
  const shot = childMap(roots(doc).shots, shotId);
  const takes = shot?.get(SHOT.takes);
  return takes instanceof Y.Map ? (takes as DocMap) : undefined;
}

function readTake(map: DocMap, id: string): TakeView {
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
    TAKE.clip, TAKE.poster, TAKE.tail, TAKE.error, TAKE.fromShot, TAKE.fromTake, TAKE.fromTail, TAKE.lastFrame, TAKE.tailStart, TAKE.prompt,
  ] as const;
  for (const key of strings) {
    const v = readStr(map, key);
    if (v !== undefined) view[key] = v;
  }
  const tailAs = map.get(TAKE.tailAs);
  if (typeof tailAs === 'string' && (TAIL_ATTACHMENTS as readonly string[]).includes(tailAs)) view.tailAs = tailAs as TailAttachment;
  const sent = map.get(TAKE.sent);
  if (sent && typeof sent === 'object' && !(sent instanceof Y.AbstractType)) view.sent = sent as TakeSent;
  return view;
}
