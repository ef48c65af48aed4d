/**
 * What a finished take is charged: the same formula as its estimate, fed with what the provider
 * reported it billed (Seedance: its token count and clip seconds). Providers that report nothing
 * bill what was asked, so their charge is the estimate. The difference from the estimate is the
 * drift the cost report shows per provider. (The probed length of the delivered file is not used:
 * containers round, and providers bill the seconds they were asked for or say otherwise.) A job queued
 * without a known price is charged 0 (its estimate said so, and the person confirmed it); a job
 * queued before estimates were stored in parts is charged its stored estimate, as it was then.
 */
import type { BilledUsage, ResolvedInputs } from '../../shared/generation/index.js';
import type { MicroUsd } from '../../shared/money.js';
import type { JobsTable } from '../db/schema.js';
import type { ModelCatalog } from './models.js';

export function actualCharge(catalog: ModelCatalog, job: Pick<JobsTable, 'resolved' | 'estimate_micro_usd'>, reported: BilledUsage): MicroUsd {
  const price = (JSON.parse(job.resolved) as ResolvedInputs).price;
  if (!price) return job.estimate_micro_usd;
  if (!price.estimate.known) return 0;
  const actual = catalog.price(price.input, reported);
  // A reported length the table has no price for (an odd clip length) keeps the estimate rather than guessing.
  return actual.known ? actual.totalMicroUsd : price.estimate.totalMicroUsd;
}
