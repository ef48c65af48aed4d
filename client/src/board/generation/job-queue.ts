/**
 * The board's generation queue: the jobs list (GET /api/boards/:boardId/jobs, with measured ETAs
 * and queue positions) and the live job events (SSE GET /api/boards/:boardId/events). Each event
 * updates its take's progress at once and re-reads the list, whose ETAs it changes.
 */
import { createSignal, type Accessor } from 'solid-js';
import { JOB_STATUSES, type JobEvent } from '../../../../shared/generation';
import type { JobListEntry } from '../../../../shared/api';
import type { ApiClient } from '../../api/api-client';
import { createLoad } from '../load';

export function createJobQueue(api: ApiClient, boardId: string) {
  // Estimates in a jobs list count from the moment it was answered.
  const [jobsAt, setJobsAt] = createSignal(Date.now());
  const load = createLoad(() => api.jobs(boardId), () => setJobsAt(Date.now()));
  const [progress, setProgress] = createSignal<Record<string, JobEvent>>({});
  const events = typeof EventSource === 'undefined' ? null : new EventSource(api.eventsUrl(boardId), { withCredentials: true });
  // `event: job` carries one job's status, progress and queue position.
  events?.addEventListener('job', (m) => {
    const e = parseJobEvent((m as MessageEvent<string>).data);
    if (!e) return;
    setProgress((p) => ({ ...p, [e.takeId]: e }));
    void load.reload();
  });

  return {
    ...load,
    /** The board's jobs, newest first (none while loading or after a first failure). */
    jobs: (): JobListEntry[] => load.value() ?? [],
    /** When the jobs list was answered (epoch ms): its ETAs count from then. */
    jobsAt: jobsAt as Accessor<number>,
    /** The latest live event per take id (progress, queue position) while generation runs. */
    progress: progress as Accessor<Record<string, JobEvent>>,
    dispose() {
      load.dispose();
      events?.close();
    },
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;

/** A `job` event's data, or null when it is not one (the stream is the server's, but a proxy may mangle it). */
export function parseJobEvent(data: string): JobEvent | null {
  try {
    const e = JSON.parse(data) as Partial<JobEvent>;
    return typeof e.takeId === 'string' && typeof e.jobId === 'string' && (JOB_STATUSES as readonly unknown[]).includes(e.status) ? (e as JobEvent) : null;
  } catch {
    return null;
  }
}
