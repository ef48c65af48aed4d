import type { Kysely } from 'kysely';
import { ETA_WINDOW, jobEta, renderTime, type JobEta, type RenderTime } from '../../shared/generation/index.js';
import type { Database, JobsTable } from '../db/schema.js';
import { providerQueue, recentRenderSeconds, type QueueLimits } from './jobs.queries.js';
import { waitingOn } from './pending-tail.js';

/**
 * Finish estimates for the open jobs among `rows`, by job id: each from the moving median of its
 * own provider and model's recent render times on this instance (or the provider's prior), with
 * as many rendering at once as the queue allows for that provider. A chain batch's take waiting
 * for the take it continues finishes its own typical time after that take does (when that take is
 * not among `rows`, after one typical time of its own).
 */
export async function openJobEtas(db: Kysely<Database>, rows: readonly JobsTable[], now: number, limits: QueueLimits): Promise<Map<string, JobEta>> {
  const open = rows.filter((r) => r.status === 'queued' || r.status === 'running');
  const out = new Map<string, JobEta>();
  if (open.length === 0) return out;
  const typical = new Map<string, RenderTime>();
  for (const r of open) {
    const key = JSON.stringify([r.provider, r.model]);
    if (!typical.has(key)) typical.set(key, renderTime(r.provider, await recentRenderSeconds(db, r.provider, r.model, ETA_WINDOW)));
  }
  const queue = open.some((r) => r.status === 'queued') ? await providerQueue(db) : { positions: new Map<string, number>(), running: new Map<string, number>() };
  const byId = new Map(open.map((r) => [r.id, r]));
  const waits = new Map(open.flatMap((r) => {
    const w = waitingOn(r);
    return w ? [[r.id, w.jobId] as const] : [];
  }));
  const etaOf = (r: JobsTable, seen: Set<string>): JobEta => {
    const known = out.get(r.id);
    if (known) return known;
    const t = typical.get(JSON.stringify([r.provider, r.model]))!;
    const up = waits.get(r.id);
    if (up !== undefined) {
      const upstream = byId.get(up);
      seen.add(r.id);
      const upstreamFinishSec = upstream && !seen.has(up) ? etaOf(upstream, seen).finishInSec : 0;
      const eta = jobEta({ status: 'waiting', upstreamFinishSec }, t);
      out.set(r.id, eta);
      return eta;
    }
    const eta =
      r.status === 'running'
        ? jobEta({ status: 'running', runningForSec: r.started_at === null ? 0 : (now - r.started_at) / 1000 }, t)
        : jobEta(
            {
              status: 'queued',
              providerPosition: queue.positions.get(r.id),
              running: queue.running.get(r.provider),
              slots: Math.min(limits.total, limits.perProvider[r.provider] ?? limits.perProvider.default),
            },
            t,
          );
    out.set(r.id, eta);
    return eta;
  };
  for (const r of open) etaOf(r, new Set());
  return out;
}
