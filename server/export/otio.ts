/**
 * OpenTimelineIO JSON, written the way OTIO's own serializer writes it: Timeline.1 > Stack.1 >
 * Track.1 (kind "Video") > Clip.2, each clip with one ExternalReference.1 under "DEFAULT_MEDIA",
 * times as RationalTime.1 at the board's rate. Each clip carries its generation provenance
 * under `metadata.takeboard`, so an editor's tools can trace a shot back to how it was made.
 * A slate is a named Gap.1 of its length. A crossfade is a Transition.1 (SMPTE_Dissolve) after
 * the outgoing clip, which ends where the dissolve starts: `out_offset` reaches into the incoming
 * clip, and the outgoing clip's frames under it are its handle (as in the EDL). Review comments
 * at a time in the cut's take are `Marker.2`s on its clip (markers.ts), `marked_range` in the
 * clip's own time as OTIO counts markers; those left out are listed with why in the metadata.
 */
import type { ExportShot } from './board-snapshot.js';
import { chainMetadata } from './chain-state.js';
import { markerName, markerNote, type ReviewMarker, type ReviewMarkers } from './markers.js';
import { seamMetadata } from './seam-fields.js';
import { fadeIn, slates, type Cut, type Timeline } from './timeline.js';
import { oneHourFrames, type FrameRate } from './timecode.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const rationalTime = (value: number, rate: FrameRate): Json => ({ OTIO_SCHEMA: 'RationalTime.1', rate: rate.value, value });
const timeRange = (start: number, duration: number, rate: FrameRate): Json => ({
  OTIO_SCHEMA: 'TimeRange.1',
  duration: rationalTime(duration, rate),
  start_time: rationalTime(start, rate),
});

/** The timeline as an OTIO document (a plain object; `JSON.stringify` it). */
export function toOtio(timeline: Timeline, origin: string, boardId: string, review: ReviewMarkers): Json {
  const { rate } = timeline;
  const clips = timeline.cuts.flatMap((cut, i): Json[] => {
    const shown = cut.frames - fadeIn(timeline.cuts[i + 1]);
    const item = cut.kind === 'take' ? clip(cut, shown, rate, origin, review.byCut.get(cut.index) ?? []) : gap(cut, rate);
    const fade = fadeIn(cut);
    return fade > 0 ? [transition(fade, rate), item] : [item];
  });
  const track = {
    OTIO_SCHEMA: 'Track.1',
    metadata: {},
    name: 'V1',
    source_range: null,
    effects: [],
    markers: [],
    enabled: true,
    children: clips,
    kind: 'Video',
  };
  return {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: {
      takeboard: {
        boardId,
        title: timeline.title,
        fps: rate.value,
        width: timeline.width,
        height: timeline.height,
        trimOverlap: timeline.options.trimOverlap,
        crossfadeSec: timeline.options.crossfadeSec,
        slates: slates(timeline).map((s) => ({ shotId: s.shotId, title: s.title, reason: s.reason })),
        markersLeftOut: review.leftOut.map((m) => ({ ...m })),
      },
    },
    name: timeline.title,
    // Record time starts at 01:00:00:00, as in the EDL and most editing rooms.
    global_start_time: rationalTime(oneHourFrames(rate), rate),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      metadata: {},
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children: [track],
    },
  };
}

type TakeCutOf = Extract<Cut, { kind: 'take' }>;

function transition(frames: number, rate: FrameRate): Json {
  return {
    OTIO_SCHEMA: 'Transition.1',
    metadata: {},
    name: 'Cross Dissolve',
    in_offset: rationalTime(0, rate),
    out_offset: rationalTime(frames, rate),
    transition_type: 'SMPTE_Dissolve',
  };
}

function gap(cut: Extract<Cut, { kind: 'slate' }>, rate: FrameRate): Json {
  return {
    OTIO_SCHEMA: 'Gap.1',
    metadata: { takeboard: { shotId: cut.shotId, shotTitle: cut.title, shotOrder: cut.index, slate: true, reason: cut.reason, chain: chainMetadata(cut.entry.chain) } },
    name: cut.label,
    source_range: timeRange(0, cut.frames, rate),
    effects: [],
    markers: [],
    enabled: true,
  };
}

function clip(cut: TakeCutOf, frames: number, rate: FrameRate, origin: string, markers: readonly ReviewMarker[]): Json {
  return {
    OTIO_SCHEMA: 'Clip.2',
    metadata: { takeboard: provenance(cut) },
    name: cut.title || `Shot ${cut.index}`,
    source_range: timeRange(cut.inFrame, frames, rate),
    effects: [],
    markers: markers.map((m) => marker(m, rate)),
    enabled: true,
    media_references: {
      DEFAULT_MEDIA: {
        OTIO_SCHEMA: 'ExternalReference.1',
        metadata: { takeboard: { assetId: cut.clip.id, sha256: cut.clip.sha256, width: cut.clip.width, height: cut.clip.height } },
        name: cut.clip.name,
        available_range: timeRange(0, cut.sourceFrames, rate),
        available_image_bounds: null,
        target_url: `${origin}/api/assets/${cut.clip.id}`,
      },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  };
}

/** One review comment as an OTIO marker: one frame long, red while open, green once resolved. */
function marker(m: ReviewMarker, rate: FrameRate): Json {
  return {
    OTIO_SCHEMA: 'Marker.2',
    metadata: { takeboard: { commentId: m.commentId, author: m.author, atSec: m.atSec, resolved: m.resolved } },
    name: markerName(m),
    color: m.resolved ? 'GREEN' : 'RED',
    marked_range: timeRange(m.sourceFrame, 1, rate),
    comment: markerNote(m),
  };
}

/** What made this take: the inputs as the job resolved and sent them, not the shot as it reads now. */
export function provenance(cut: TakeCutOf): { [key: string]: Json } {
  const e: ExportShot = cut.entry;
  const p = e.provenance;
  const chain = p?.resolved.chain;
  return {
    shotId: cut.shotId,
    shotTitle: cut.title,
    shotOrder: e.order,
    takeId: cut.takeId,
    clipId: cut.clipId,
    jobId: p?.jobId ?? e.take?.jobId ?? null,
    mode: p?.request.mode ?? e.shot.mode,
    model: p?.model ?? e.take?.model ?? e.shot.model,
    provider: p?.provider ?? null,
    prompt: p?.request.prompt ?? e.shot.prompt,
    durationSec: e.take?.durationSec ?? null,
    references: (p?.resolved.references ?? []).map((r) => ({
      referenceId: r.referenceId,
      name: r.name,
      kind: r.kind,
      versionId: r.versionId,
      beat: r.beat,
      pinned: r.pinned,
      locked: r.locked,
    })),
    chain: chainMetadata(e.chain),
    seam: seamMetadata(e.seam),
    seed: e.take?.seed ?? p?.seed ?? null,
    costMicroUsd: e.take?.costMicroUsd ?? p?.costMicroUsd ?? 0,
    tailSource: chain
      ? {
          fromShotId: chain.fromShotId,
          takeId: chain.takeId,
          tailAssetId: chain.tailAssetId,
          attachedAs: chain.attachedAs,
          tailSeconds: chain.tailSeconds,
          trimmedFrames: cut.chain?.trimmedFrames ?? 0,
        }
      : null,
    crossfadeFrames: fadeIn(cut),
  };
}
