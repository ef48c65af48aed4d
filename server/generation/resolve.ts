import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { getMeta, getShot, getTake, listReferences, type ShotView } from '../../shared/doc/index.js';
import {
  applySend, DEFAULT_TAIL_SECONDS, noteProblem, planSend, priceInputFor, promptWithNote, sentRecord, validateRequest,
  type PriceEstimate, type ResolvedInputs, type ReviewNote, type VideoJobRequest,
} from '../../shared/generation/index.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { ModelCatalog, ModelTarget } from './models.js';
import { boardAssetKinds } from './job-inputs.queries.js';
import { jobResult } from './jobs.queries.js';
import { PENDING_TAIL } from './pending-tail.js';


export interface Resolution {
  request: VideoJobRequest;
  resolved: ResolvedInputs;
  target: ModelTarget;
  shot: ShotView;
  /** Integer micro-dollars. */
  budgetMicroUsd: number | null;
  /** The provider's price for exactly this request, in parts (also in `resolved.price`). */
  estimate: PriceEstimate;
}

/** What the resolver needs from the stored document, read in one go. */
interface Snapshot {
  shot: ShotView | undefined;
  source: ShotView | undefined;
  sourceTake: ReturnType<typeof getTake>;
  meta: ReturnType<typeof getMeta>;
  references: ReturnType<typeof listReferences>;
}

export function snapshotFor(doc: Y.Doc, shotId: string): Snapshot {
  const shot = getShot(doc, shotId);
  const source = shot?.continuesFrom ? getShot(doc, shot.continuesFrom) : undefined;
  const sourceTake = source?.selectedTake ? getTake(doc, source.id, source.selectedTake) : undefined;
  return { shot, source, sourceTake, meta: getMeta(doc), references: listReferences(doc) };
}

/**
 * Turns a shot into exactly what will be sent: mode, prompt, frames, the references at their
 * pinned or current versions, and for a chained shot the tail of its source's selected take.
 * What the mode and model leave out is recorded with the reason (`resolved.sent`, copied onto the
 * take). Every problem a producer can fix becomes a 400/409 in their words; nothing is sent for it.
 */
export async function resolveShot(
  db: Kysely<Database>,
  catalog: ModelCatalog,
  boardId: string,
  snap: Snapshot,
  opts: { model?: string; seed?: number; tailSeconds?: number; note?: ReviewNote; pendingTail?: { upstreamSeconds: number } },
): Promise<Resolution> {
  const { shot, meta } = snap;
  if (!shot) throw new AppError('not_found', 'Shot not found');
  const modelId = opts.model || shot.model || meta.defaultModel || 'animatic';
  const target = catalog.resolve(modelId);
  if (!target) {
    const names = catalog.list().filter((m) => m.available).map((m) => m.model.id);
    throw new AppError('invalid_field', `Model "${modelId}" is not available here; choose one of: ${names.join(', ')}`, { field: 'model' });
  }
  const model = target.model;
  const assets = await boardAssetKinds(db, boardId);
  // A frame the shot names must be an image of this board, whether or not this mode sends it.
  const checkFrame = (id: string | undefined, what: string): void => {
    if (!id) return;
    const a = assets.get(id);
    if (!a) throw new AppError('invalid_field', `The ${what} of "${shot.title}" is not an asset of this board; pick it again`);
    if (a.kind !== 'image') throw new AppError('invalid_field', `The ${what} of "${shot.title}" must be an image`);
  };

  // A review note is added after the shot's prompt for this take only (review-note.ts).
  const noteRefused = opts.note && noteProblem(shot.prompt, opts.note.text);
  if (noteRefused) throw new AppError('invalid_field', noteRefused, { field: 'note' });
  const prompt = opts.note ? promptWithNote(shot.prompt, opts.note.text) : shot.prompt;
  const base: VideoJobRequest = {
    model: model.id,
    mode: shot.mode,
    prompt,
    durationSec: shot.durationSec,
    aspectRatio: meta.aspectRatio,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  };
  checkFrame(shot.startFrame, 'start frame');
  checkFrame(shot.endFrame, 'end frame');

  let tail: { assetId: string; frameAssetId: string; seconds: number } | undefined;
  let chainFrom: { fromShotId: string; takeId: string } | undefined;
  if (shot.continuesFrom && snap.source && opts.pendingTail) {
    // A chain batch: the upstream take is queued in the same batch; its tail is filled in when it finishes (pending-tail.ts).
    tail = { assetId: PENDING_TAIL.clip, frameAssetId: PENDING_TAIL.frame, seconds: opts.tailSeconds ?? DEFAULT_TAIL_SECONDS };
    chainFrom = { fromShotId: snap.source.id, takeId: '' };
  } else if (shot.continuesFrom) {
    if (!snap.source) throw new AppError('invalid_field', `"${shot.title}" continues from a shot that no longer exists; pick another`);
    if (!snap.source.selectedTake || !snap.sourceTake) {
      throw new AppError('conflict', `"${shot.title}" continues from "${snap.source.title}", which has no selected take yet. Select a take there first.`);
    }
    if (snap.sourceTake.status !== 'succeeded') {
      throw new AppError('conflict', `The selected take of "${snap.source.title}" has not finished (${snap.sourceTake.status}); select a finished take`);
    }
    const result = await jobResult(db, snap.sourceTake.jobId);
    if (!result) throw new AppError('conflict', `The selected take of "${snap.source.title}" has no tail yet`);
    tail = { assetId: result.tailAssetId, frameAssetId: result.tailFrameAssetId, seconds: opts.tailSeconds ?? DEFAULT_TAIL_SECONDS };
    chainFrom = { fromShotId: snap.source.id, takeId: snap.sourceTake.id };
  }

  // What is sent and what is left out is decided in one place, shared with the shot detail.
  const plan = planSend({ shot: { ...shot, prompt }, references: snap.references, model, assetKind: (id) => assets.get(id)?.kind, ...(meta.bible ? { bible: meta.bible } : {}), ...(tail ? { tail } : {}) });
  for (const ref of plan.references) {
    if (ref.assets.some((a) => !assets.has(a.assetId))) throw new AppError('invalid_field', `Reference "${ref.name}" (${ref.beat}) uses a file that is not on this board`);
  }
  const request = applySend(base, plan);
  const resolved: ResolvedInputs = {
    shotTitle: shot.title,
    references: plan.references.map((r) => ({
      referenceId: r.referenceId, name: r.name, kind: r.kind, versionId: r.versionId, beat: r.beat, pinned: r.pinned, locked: plan.locked[r.referenceId] ?? false, assets: r.assets.map((a) => a.assetId),
    })),
    sent: sentRecord(plan),
    ...(opts.note ? { note: opts.note } : {}),
  };
  // Priced on what is actually sent: a tail sent as reference video is input video the provider may bill.
  // The tail is as long as it was cut: its planned seconds, or the whole source take when shorter
  // (the client prices it the same way from the document, so both show one figure).
  const upstreamSeconds = opts.pendingTail?.upstreamSeconds ?? snap.sourceTake?.durationSec;
  const tailLength = tail ? Math.min(tail.seconds, upstreamSeconds ?? tail.seconds) : undefined;
  const priceInput = priceInputFor(request, plan, (id) => (id === tail?.assetId ? tailLength : (assets.get(id)?.durationSec ?? undefined)));
  const estimate = catalog.price(priceInput);
  resolved.price = { input: priceInput, estimate };
  if (chainFrom && tail && plan.tail) {
    resolved.chain = { ...chainFrom, tailAssetId: tail.assetId, tailFrameAssetId: tail.frameAssetId, attachedAs: plan.tail.as, tailSeconds: tail.seconds };
  }

  const problems = target.kind === 'hosted' ? target.provider.validate(request) : validateRequest(request, model);
  if (problems.length > 0) throw new AppError('invalid_field', problems.join(' '), { details: { problems } });
  return { request, resolved, target, shot, budgetMicroUsd: meta.budgetMicroUsd ?? null, estimate };
}
