import { Hono } from 'hono';
import type { GenerationDeps } from './deps.js';
import { getJob } from './jobs.queries.js';
import type { Worker } from './worker.js';

/**
 * Provider callbacks, mounted under /api/webhooks (exempt from the Origin check: providers send
 * none). A callback is only a hint: it makes the worker poll that job now, and the poll's answer
 * is what counts, so a forged callback can at most cause one extra poll. Signatures are still
 * checked where the provider documents them (Replicate). No URL in a callback body is ever fetched:
 * the clip comes from the poll's answer, through the egress checks. The answer never says whether a job exists.
 */
export function webhookRoutes(deps: GenerationDeps, worker: Worker) {
  const app = new Hono();
  app.post('/:providerId/:jobId', async (c) => {
    const { providerId, jobId } = c.req.param();
    const provider = deps.catalog.registry.get(providerId);
    const job = await getJob(deps.db, jobId);
    if (provider?.parseWebhook && job && job.provider === providerId && job.status === 'running' && job.provider_job_id) {
      const parsed = await provider.parseWebhook(c.req.raw);
      if (parsed.ok && parsed.event.requestId === provider.requestIdOf(job.provider_job_id)) worker.nudge(jobId);
      else if (!parsed.ok) deps.log.info('ignored a provider callback', { providerId, jobId, reason: parsed.reason });
    }
    return c.body(null, 204);
  });
  return app;
}
