import type { TestClient } from '../helpers/http.js';
import { waitFor } from '../helpers/wait.js';

/** Polls a job over the API until it reaches `status` (or any final one, which then fails the wait). */
export async function jobReaches(client: TestClient, jobId: string, status: string, timeoutMs = 60_000) {
  if (!jobId) throw new Error('no job id: the enqueue failed');
  const job = await waitFor(async () => {
    const j = (await client.get(`/api/jobs/${jobId}`)).body;
    return j.status === status || ['succeeded', 'failed', 'canceled'].includes(j.status) ? j : null;
  }, `job ${jobId} to be ${status}`, timeoutMs);
  if (job.status !== status) throw new Error(`job ${jobId} ended ${job.status} instead of ${status}: ${job.error}`);
  return job;
}
