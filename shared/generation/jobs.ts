/** Generation API shapes: jobs, their resolved inputs, SSE events, costs. */
import type { ReviewNote } from './review-note.js';
import type { TakeSent } from '../doc/index.js';
import type { MicroUsd } from '../money.js';
import type { PriceEstimate, PriceInput } from './prices.js';
import type { VideoJobRequest } from './types.js';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * How a chained shot got its source's tail: the model extended the clip itself (Veo 3.1 on Vertex),
 * took it as a reference video (Seedance 2.0, Kling 3.0 Omni), or started from its last frame.
 */
export type TailAttachment = 'reference_video' | 'start_frame' | 'extend';

/** Each way of continuing a clip in a producer's words (the shot detail, the take, the docs). */
export const CONTINUATION_WORDS: Readonly<Record<TailAttachment, string>> = {
  extend: 'native extend',
  reference_video: 'reference video',
  start_frame: 'last frame as first frame',
};

export interface ResolvedInputs {
  shotTitle: string;
  references: { referenceId: string; name: string; kind: string; versionId: string; beat: string; pinned: boolean; locked: boolean; assets: string[] }[];
  chain?: { fromShotId: string; takeId: string; tailAssetId: string; tailFrameAssetId: string; attachedAs: TailAttachment; tailSeconds: number };
  /** What the request carried and what was left out, as the take records it (jobs queued before it: absent). */
  sent?: TakeSent;
  /** What the job was priced on and its estimate in parts, when queued (jobs queued before it: absent). */
  price?: { input: PriceInput; estimate: PriceEstimate };
  /** The review comment this take answers, its text as sent after the prompt (review-note.ts). */
  note?: ReviewNote;
  /**
   * A chain batch's take waiting for the upstream take it continues (queued in the same batch):
   * that job, and the chain record and sent tail to complete with its tail once it finishes.
   */
  waitsFor?: {
    jobId: string;
    takeId: string;
    chain: Omit<NonNullable<ResolvedInputs['chain']>, 'tailAssetId' | 'tailFrameAssetId'>;
    sentTail: Omit<NonNullable<TakeSent['tail']>, 'assetId' | 'frameAssetId'>;
  };
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
  /** Integer micro-dollars (shared/money.ts), as every amount below. */
  estimateMicroUsd: MicroUsd;
  costMicroUsd: MicroUsd | null;
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
  estimateMicroUsd: MicroUsd;
  /** The estimate in parts (absent when the same idempotency key returned an older job). */
  estimate?: PriceEstimate;
  /** The seed sent (null when the model takes none). */
  seed?: number | null;
}

/** Most takes of one shot queued by one Generate (each with its own seed). */
export const MAX_BATCH_TAKES = 8;

/** What queuing several takes of a shot at once answers: every take, and their total. */
export interface BatchEnqueueResponse {
  takes: EnqueueResponse[];
  totalMicroUsd: MicroUsd;
}

/**
 * What queuing N takes of every shot of a chain answers: per shot (upstream first) its takes,
 * take k continuing from take k of its upstream shot, and the batch's total.
 */
export interface ChainBatchResponse {
  count: number;
  totalMicroUsd: MicroUsd;
  shots: { shotId: string; title: string; perTakeMicroUsd: MicroUsd; estimate?: PriceEstimate; takes: EnqueueResponse[] }[];
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

/**
 * Money on one line of a breakdown, in integer micro-dollars (exact sums of the jobs' amounts).
 * `spentMicroUsd` is what the ledger charged; `estimateMicroUsd` is what those same charged jobs
 * were estimated at when queued (so the two compare like for like); `committedMicroUsd` is the
 * estimate of this line's jobs still queued or running. `jobs` counts charged jobs, `openJobs`
 * the queued and running ones. Failed and canceled jobs cost nothing.
 */
export interface CostLine {
  jobs: number;
  openJobs: number;
  estimateMicroUsd: MicroUsd;
  spentMicroUsd: MicroUsd;
  committedMicroUsd: MicroUsd;
}

export interface CostReport extends CostLine {
  budgetMicroUsd: MicroUsd | null;
  shots: ({ shotId: string } & CostLine)[];
  /**
   * "Cost to lock a look": for each reference, the jobs that sent it while it was not yet locked
   * (the exploring that led to the look). Jobs sent after it was locked use the look and are not
   * counted here; a job that sent several unlocked references counts toward each of them.
   */
  references: ({ referenceId: string; name: string; locked: boolean } & CostLine)[];
  /** Per provider and model, as the job was queued. */
  models: ({ provider: string; model: string } & CostLine)[];
  /**
   * Per provider: estimate beside charge for its charged jobs (the drift is `spentMicroUsd -
   * estimateMicroUsd`), and how many of its jobs were queued with no price known (charged 0).
   */
  providers: ({ provider: string; unpricedJobs: number } & CostLine)[];
  /** Per person who queued the jobs (a former member keeps their name here). */
  people: ({ userId: string; name: string } & CostLine)[];
}
