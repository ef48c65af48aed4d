import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { getMeta, getShot, getTake, listReferences, type ShotView } from '../../shared/doc/index.js';
import { validateRequest, type JobResult, type MediaRef, type ReferenceRole, type ResolvedInputs, type VideoJobRequest } from '../../shared/generation/index.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { ModelCatalog, ModelTarget } from './models.js';

export const DEFAULT_TAIL_SECONDS = 3;

export interface Resolution {
  request: VideoJobRequest;
  resolved: ResolvedInputs;
  target: ModelTarget;
  shot: ShotView;
  budgetUsd: number | null;
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
 * Every problem a producer can fix becomes a 400/409 in their words; nothing is sent for it.
 */
export async function resolveShot(
  db: Kysely<Database>,
  catalog: ModelCatalog,
  boardId: string,
  snap: Snapshot,
  opts: { model?: string; seed?: number; tailSeconds?: number },
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
  const frame = (id: string | undefined, what: string): MediaRef | undefined => {
    if (!id) return undefined;
    const a = assets.get(id);
    if (!a) throw new AppError('invalid_field', `The ${what} of "${shot.title}" is not an asset of this board; pick it again`);
    if (a !== 'image') throw new AppError('invalid_field', `The ${what} of "${shot.title}" must be an image`);
    return { assetId: id };
  };

  const request: VideoJobRequest = {
    model: model.id,
    mode: shot.mode,
    prompt: shot.prompt,
    durationSec: shot.durationSec,
    aspectRatio: meta.aspectRatio,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  };
  const resolved: ResolvedInputs = { shotTitle: shot.title, references: [] };
  const firstFrame = frame(shot.startFrame, 'start frame');
  const lastFrame = frame(shot.endFrame, 'end frame');
  if (shot.mode === 'image' || shot.mode === 'extend') {
    if (firstFrame) request.firstFrame = firstFrame;
    if (lastFrame) request.lastFrame = lastFrame;
  }

  if (shot.mode === 'reference' || shot.mode === 'extend') {
    for (const [refId, pin] of Object.entries(shot.refs)) {
      const ref = snap.references.find((r) => r.id === refId);
      if (!ref) continue; // deleted since it was assigned: nothing to send
      const versionId = pin || ref.currentVersion;
      const version = ref.versions.find((v) => v.id === versionId);
      if (!version) throw new AppError('invalid_field', `Reference "${ref.name}" has no version ${pin ? 'matching its pin' : 'yet'}; add or pick one`);
      for (const assetId of version.assets) {
        const kind = assets.get(assetId);
        if (!kind) throw new AppError('invalid_field', `Reference "${ref.name}" (${version.beat}) uses a file that is not on this board`);
        if (kind === 'image') (request.referenceImages ??= []).push({ media: { assetId }, ...(roleOf(ref.kind) ? { role: roleOf(ref.kind)! } : {}) });
        else (request.referenceVideos ??= []).push({ assetId });
      }
      resolved.references.push({ referenceId: ref.id, name: ref.name, kind: ref.kind, versionId: version.id, beat: version.beat, pinned: Boolean(pin), locked: ref.locked, assets: version.assets });
    }
  }

  if (shot.continuesFrom) {
    const tailSeconds = opts.tailSeconds ?? DEFAULT_TAIL_SECONDS;
    if (!snap.source) throw new AppError('invalid_field', `"${shot.title}" continues from a shot that no longer exists; pick another`);
    if (!snap.source.selectedTake || !snap.sourceTake) {
      throw new AppError('conflict', `"${shot.title}" continues from "${snap.source.title}", which has no selected take yet. Select a take there first.`);
    }
    if (snap.sourceTake.status !== 'succeeded') {
      throw new AppError('conflict', `The selected take of "${snap.source.title}" has not finished (${snap.sourceTake.status}); select a finished take`);
    }
    const tail = await takeResult(db, snap.sourceTake.jobId);
    if (!tail) throw new AppError('conflict', `The selected take of "${snap.source.title}" has no tail yet`);
    const attachedAs = model.acceptsReferenceVideo && model.maxReferenceVideos > (request.referenceVideos?.length ?? 0) ? 'reference_video' : 'start_frame';
    if (attachedAs === 'reference_video') (request.referenceVideos ??= []).push({ assetId: tail.tailAssetId });
    else {
      request.firstFrame = { assetId: tail.tailFrameAssetId };
      if (request.mode === 'text') request.mode = 'image';
    }
    resolved.chain = { fromShotId: snap.source.id, takeId: snap.sourceTake.id, tailAssetId: tail.tailAssetId, tailFrameAssetId: tail.tailFrameAssetId, attachedAs, tailSeconds };
  }

  const problems = target.kind === 'hosted' ? target.provider.validate(request) : validateRequest(request, model);
  if (problems.length > 0) throw new AppError('invalid_field', problems.join(' '), { details: { problems } });
  return { request, resolved, target, shot, budgetUsd: meta.budgetUsd ?? null };
}

function roleOf(kind: string): ReferenceRole | undefined {
  return kind === 'character' || kind === 'location' || kind === 'style' || kind === 'prop' ? kind : undefined;
}

async function boardAssetKinds(db: Kysely<Database>, boardId: string): Promise<Map<string, 'image' | 'video'>> {
  const rows = await db.selectFrom('assets').select(['id', 'kind']).where('board_id', '=', boardId).execute();
  return new Map(rows.map((r) => [r.id, r.kind]));
}

export async function takeResult(db: Kysely<Database>, jobId: string): Promise<JobResult | null> {
  const row = await db.selectFrom('jobs').select('result').where('id', '=', jobId).executeTakeFirst();
  return row?.result ? (JSON.parse(row.result) as JobResult) : null;
}
