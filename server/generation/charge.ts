/**
 * What a finished take is charged: the same formula as its estimate, fed with what the provider
 * reported it billed (Seedance: its token count) and the seconds of the clip it delivered. The
 * difference from the estimate is the drift the cost report shows per provider. A job queued
 * without a known price is charged 0 (its estimate said so, and the person confirmed it); a job
 * queued before estimates were stored in parts is charged its stored estimate, as it was then.
 */
import type { BilledUsage, ResolvedInputs } from '../../shared/generation/index.js';
import type { MicroUsd } from '../../shared/money.js';
import type { JobsTable } from '../db/schema.js';
import type { ModelCatalog } from './models.js';

export function actualCharge(catalog: ModelCatalog, job: Pick<JobsTable, 'resolved' | 'estimate_micro_usd'>, reported: BilledUsage, clipSeconds: number | undefined): MicroUsd {
  const price = (JSON.parse(job.resolved) as ResolvedInputs).price;
  if (!price) return job.estimate_micro_usd;
  if (!price.estimate.known) return 0;
  // Providers bill whole seconds: a delivered 5.04 s clip is a 5 s clip.
  const delivered = clipSeconds !== undefined && clipSeconds > 0 ? Math.max(1, Math.round(clipSeconds)) : undefined;
  const outputSeconds = reported.outputSeconds ?? delivered;
  const actual = catalog.price(price.input, { ...reported, ...(outputSeconds !== undefined ? { outputSeconds } : {}) });
  // A delivered length the table has no price for (an odd clip length) keeps the estimate rather than guessing.
  return actual.known ? actual.totalMicroUsd : price.estimate.totalMicroUsd;
}
