/** Generation API shapes: jobs, their resolved inputs, SSE events, costs. */
import type { TakeSent } from '../doc/index.js';
import type { VideoJobRequest } from './types.js';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** How a chained shot got its source's tail. */
export type TailAttachment = 'reference_video' | 'start_frame';

export interface ResolvedInputs {
  shotTitle: string;
  references: { referenceId: string; name: string; kind: string; versionId: string; beat: string; pinned: boolean; locked: boolean; assets: string[] }[];
  chain?: { fromShotId: string; takeId: string; tailAssetId: string; tailFrameAssetId: string; attachedAs: TailAttachment; tailSeconds: number };
  /** What the request carried and what was left out, as the take records it (jobs queued before it: absent). */
  sent?: TakeSent;
}

export interface JobResult {
  clipAssetId: string;
  posterAssetId: string;
  tailAssetId: string;
  tailFrameAssetId: string;
  durationSec: number;
}

export interface JobView {
  id: string;
  boardId: string;
  shotId: string;
  takeId: string;
  createdBy: string;
  model: string;
  provider: string;
  status: JobStatus;
  request: VideoJobRequest;
  resolved: ResolvedInputs;
  result: JobResult | null;
  estimateUsd: number;
  costUsd: number | null;
  seed: number | null;
  attempts: number;
  error: string | null;
  providerJobId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface EnqueueResponse {
  jobId: string;
  takeId: string;
  estimateUsd: number;
}

/** What GET /api/boards/:boardId/events streams (SSE `event: job`). */
export interface JobEvent {
  jobId: string;
  shotId: string;
  takeId: string;
  status: JobStatus;
  progress?: number;
  queuePosition?: number;
  error?: string;
}

export interface CostReport {
  budgetUsd: number | null;
  spentUsd: number;
  /** Estimates of queued and running jobs: money already promised. */
  committedUsd: number;
  shots: { shotId: string; spentUsd: number; jobs: number }[];
  /** "Cost to lock a look": spend on jobs that used a reference while it was not yet locked. */
  references: { referenceId: string; name: string; spentUsd: number; jobs: number; locked: boolean }[];
}
