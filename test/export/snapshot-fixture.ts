import type { ExportShot, ExportSnapshot } from '../../server/export/board-snapshot.js';

/** A snapshot of clips on disk, as the board would describe them; `chained` continues from the previous clip. */
export function snapshot(clips: { width: number; height: number; durationSec: number; chained?: 'start_frame' | 'reference_video' }[], fps = 24): ExportSnapshot {
  const shots = clips.map((c, i): ExportShot => ({
    order: i + 1,
    shot: { id: `shot_${i}`, rank: String(i), title: `Clip ${i}`, prompt: '', mode: 'text', durationSec: c.durationSec, model: 'm', refs: {}, status: 'review', notes: '', selectedTake: `take_${i}` },
    references: [],
    take: {
      id: `take_${i}`, jobId: `job_${i}`, status: 'succeeded', model: 'm', durationSec: c.durationSec, costMicroUsd: 500_000, createdBy: 'u', createdAt: '', clip: `clip_${i}`,
      ...(c.chained ? { fromShot: `shot_${i - 1}`, fromTake: `take_${i - 1}`, fromTail: 't', tailAs: c.chained, tailSec: 1 } : {}),
    },
    provenance: {
      jobId: `job_${i}`, model: 'm', provider: 'p', request: { model: 'm', mode: 'text', durationSec: c.durationSec, aspectRatio: '16:9' }, result: null, seed: null, costMicroUsd: 500_000,
      resolved: { shotTitle: `Clip ${i}`, references: [], ...(c.chained ? { chain: { fromShotId: `shot_${i - 1}`, takeId: `take_${i - 1}`, tailAssetId: 't', tailFrameAssetId: 'f', attachedAs: c.chained, tailSeconds: 1 } } : {}) },
    },
    clip: { id: `clip_${i}`, board_id: 'b', sha256: String(i).repeat(64), kind: 'video', mime: 'video/mp4', bytes: 1, width: c.width, height: c.height, duration_sec: c.durationSec, fps: null, name: 'x', origin: 'take', poster_sha256: null, created_by: null, created_at: 0 },
  }));
  return { boardId: 'b', title: 'T', meta: { title: 'T', aspectRatio: '16:9', defaultModel: 'm', fps, trimOverlap: false, crossfadeSec: 0 }, shots, memberNames: new Map(), comments: [], origin: 'http://x' };
}
