import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BilledUsage, JobStatus, ResolvedInputs, VideoJobRequest } from '../../shared/generation/index.js';
import type { JobsTable } from '../db/schema.js';
import { newId } from '../lib/ids.js';
import type { GenerationDeps } from './deps.js';
import { downloadTo, finalizeJob, localCopies } from './finalize.js';
import { chainStep, chainSweep } from './chain-batch.js';
import { claimNext, finishJob, isCancelRequested, releaseLeases, renewLease, updateHeld, type QueueLimits } from './jobs.queries.js';
import { assetBlob } from './job-inputs.queries.js';
import { ProviderError, type MediaAccess, type ProviderAdapter } from './providers/provider.js';
import { MediaError } from '../assets/media.js';
import { AppError, isStorageFull } from '../errors.js';

/** Renders a clip locally (the offline animatic); gets local paths for every input. */
export type LocalRenderer = (job: { request: VideoJobRequest; resolved: ResolvedInputs; title: string; camera?: string; files: Map<string, string> }, outPath: string, signal: AbortSignal) => Promise<void>;

export interface WorkerOptions {
  limits: QueueLimits;
  leaseMs: number;
  /** Base delay of the retry backoff (doubles per attempt, with jitter). */
  retryBaseMs: number;
  /** Replaces each provider's own minimum poll interval: for tests against local fakes only. */
  pollMs?: number;
  /** Largest finished clip taken from a provider (default `MAX_CLIP_BYTES`, 1 GB). */
  maxClipBytes?: number;
  /** A clip download with no byte for this long is abandoned and retried (default 60 s). */
  downloadStallMs?: number;
  /**
   * How often waiting chain-batch takes are looked at (default 60 s): those whose upstream take
   * ended unnoticed move on, those whose upstream job is gone are canceled (chainSweep).
   */
  chainSweepMs?: number;
  renderLocal: LocalRenderer;
  /** Reads what the renderer needs from the document beyond the request (camera move). */
  shotCamera(boardId: string, shotId: string): Promise<string | undefined>;
}

/** How often the worker looks for chain-batch takes left waiting (WorkerOptions.chainSweepMs). */
export const DEFAULT_CHAIN_SWEEP_MS = 60_000;

class Canceled extends Error {}

/**
 * The in-process queue worker. Claims jobs with a lease it keeps renewing; a job whose worker
 * dies is picked up by another after the lease runs out. A paid submission is recorded as
 * 'submitting' before it is sent and its provider id stored right after, so a restart resumes
 * polling instead of paying twice.
 */
export function createWorker(deps: GenerationDeps, opts: WorkerOptions) {
  const { db, clock, log } = deps;
  const owner = `worker-${newId()}`;
  const active = new Map<string, AbortController>();
  /** Cuts a polling wait short: a provider's webhook says the job changed. */
  const nudges = new Map<string, () => void>();
  let timer: NodeJS.Timeout | null = null;
  let chainTimer: NodeJS.Timeout | null = null;
  /** The chain sweep running now: awaited by stop(), so it never writes after the app closed. */
  let chainSweeping: Promise<void> | null = null;
  let ticking = false;
  let again = false;
  let started = false;
  let stopped = false;

  async function tick() {
    if (!started || stopped) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      while (!stopped && active.size < opts.limits.total) {
        const job = await claimNext(db, owner, clock.now(), opts.leaseMs, opts.limits);
        if (!job) break;
        void run(job);
      }
    } catch (err) {
      log.error('queue claim failed', { err });
    } finally {
      ticking = false;
      if (again) {
        again = false;
        void tick();
      }
    }
  }

  async function run(job: JobsTable) {
    const ctl = new AbortController();
    active.set(job.id, ctl);
    const heartbeat = setInterval(async () => {
      const held = await renewLease(db, job.id, owner, clock.now() + opts.leaseMs).catch(() => false);
      if (!held) ctl.abort(new Error('lease lost'));
    }, Math.max(50, opts.leaseMs / 3));
    const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-job-'));
    try {
      await deps.takes.mirror(job.id);
      const target = deps.catalog.resolve(job.model);
      if (!target) throw new ProviderError({ kind: 'permanent', provider: job.provider, providerMessage: `model ${job.model} is no longer available here` });
      // Nothing is rendered or paid for while its take could not be stored (507's reason becomes the
      // take's error). A job already submitted (resumed after a restart) goes on: finalize decides.
      if (job.provider_job_id === null) await deps.storage.assertRoom({ userId: job.created_by, boardId: job.board_id });
      const clip = path.join(workDir, 'clip.mp4');
      // What the provider reported it billed; null for the local animatic, which costs nothing.
      let usage: BilledUsage | null = null;
      if (target.kind === 'local') {
        await renderLocalJob(job, clip, workDir, ctl.signal);
      } else {
        usage = await runHosted(job, target.provider, clip, ctl.signal);
      }
      await finalizeJob(deps, job, clip, workDir, usage).catch((err: unknown) => {
        throw unreadableClip(err, target.kind === 'hosted' ? target.provider.id : null);
      });
      publish(job, 'succeeded');
      void deps.notifier?.takeDone(jobRef(job), 'succeeded');
      deps.webhooks?.takeDone(job, 'succeeded');
      void deps.seams?.takeFinished(job.board_id, job.shot_id, job.take_id).catch((err: unknown) => log.warn('could not queue a seam score', { jobId: job.id, err }));
      // A chain batch's takes waiting for this one get its tail now.
      await chainStep(deps, job, 'succeeded').catch((err: unknown) => log.warn('could not move a chain batch on', { jobId: job.id, err }));
    } catch (err) {
      await fail(job, err).catch((e) => log.error('could not record a job failure', { jobId: job.id, err: e }));
    } finally {
      clearInterval(heartbeat);
      active.delete(job.id);
      await fs.rm(workDir, { recursive: true, force: true });
      void tick();
    }
  }

  async function renderLocalJob(job: JobsTable, clip: string, workDir: string, signal: AbortSignal) {
    const request = JSON.parse(job.request) as VideoJobRequest;
    const resolved = JSON.parse(job.resolved) as ResolvedInputs;
    const ids = [request.firstFrame?.assetId, request.lastFrame?.assetId, ...(request.referenceImages ?? []).map((r) => r.media.assetId), ...(request.referenceAudios ?? []).map((r) => r.assetId)].filter((x): x is string => Boolean(x));
    const files = await localCopies(deps, job.board_id, ids, workDir);
    const camera = await opts.shotCamera(job.board_id, job.shot_id);
    publish(job, 'running', { progress: 0.1 });
    await opts.renderLocal({ request, resolved, title: resolved.shotTitle, ...(camera ? { camera } : {}), files }, clip, signal);
    if (signal.aborted) throw signal.reason;
  }

  async function runHosted(job: JobsTable, provider: ProviderAdapter, clip: string, signal: AbortSignal): Promise<BilledUsage> {
    let providerJobId = job.provider_job_id;
    if (!providerJobId) {
      if (job.phase === 'submitting') {
        throw new ProviderError({ kind: 'permanent', provider: provider.id, providerMessage: 'the server stopped while sending this job; it was not re-sent so it cannot be billed twice. Generate again.' });
      }
      await updateHeld(db, job.id, owner, { phase: 'submitting', updated_at: clock.now() });
      const request = JSON.parse(job.request) as VideoJobRequest;
      let sub;
      try {
        sub = await provider.submit(request, { media: mediaAccess(job.board_id), signal, ...webhookFor(provider, job) });
      } catch (err) {
        // An answer with an error status means the provider refused it: nothing was created, a
        // retry may submit again. Anything else (no answer in time, a broken connection, a 2xx
        // whose body cannot be read) may mean it was accepted: the 'submitting' mark stays and
        // the job fails now, in words, rather than risk paying twice.
        if (sentNothing(err)) {
          await updateHeld(db, job.id, owner, { phase: null, updated_at: clock.now() });
          throw err;
        }
        if (signal.aborted) throw err;
        const why = err instanceof ProviderError ? err.providerMessage : messageOf(err);
        throw new ProviderError({
          kind: 'permanent',
          provider: provider.id,
          code: 'submission_unknown',
          providerMessage: `${why}. The request may have been accepted all the same, so it was not sent again (that could bill twice); generate again if you still want this take.`,
        });
      }
      providerJobId = sub.providerJobId;
      await updateHeld(db, job.id, owner, { provider_job_id: providerJobId, phase: 'submitted', updated_at: clock.now() });
    }
    const interval = opts.pollMs ?? provider.minPollIntervalMs;
    for (;;) {
      if (await isCancelRequested(db, job.id)) {
        const outcome = await provider.cancel(providerJobId, { signal });
        log.info('asked the provider to cancel', { jobId: job.id, outcome });
        throw new Canceled();
      }
      const status = await provider.poll(providerJobId, { signal });
      if (status.state === 'queued' || status.state === 'running') {
        publish(job, 'running', { ...(status.progress !== undefined ? { progress: status.progress } : {}), ...(status.queuePosition !== undefined ? { queuePosition: status.queuePosition } : {}) });
      } else if (status.state === 'succeeded') {
        await downloadTo((s) => provider.download(status.videoUrl, { signal: s }), clip, {
          provider: provider.id,
          signal,
          ...(opts.maxClipBytes !== undefined ? { maxBytes: opts.maxClipBytes } : {}),
          ...(opts.downloadStallMs !== undefined ? { stallMs: opts.downloadStallMs } : {}),
        });
        return status.usage ?? {};
      } else if (status.state === 'canceled') {
        throw new Canceled();
      } else if (status.state === 'failed') {
        throw new ProviderError({ kind: status.safety ? 'safety' : status.permanent ? 'permanent' : 'transient', provider: provider.id, providerMessage: status.reason, ...(status.code ? { code: status.code } : {}) });
      }
      await sleep(interval, signal, (wake) => nudges.set(job.id, wake));
      nudges.delete(job.id);
    }
  }

  async function fail(job: JobsTable, err: unknown) {
    const now = clock.now();
    const canceled = err instanceof Canceled || (await isCancelRequested(db, job.id));
    if (canceled) {
      await finish(job, 'canceled', null);
      return;
    }
    const retryable = err instanceof ProviderError && err.retryable;
    const attempts = job.attempts + 1;
    if (retryable && attempts < job.max_attempts) {
      const backoff = opts.retryBaseMs * 2 ** (attempts - 1);
      // Whole milliseconds: next_attempt_at is a 64-bit integer on PostgreSQL, which refuses a fraction (SQLite stored one as a real).
      const wait = Math.ceil(Math.max((err as ProviderError).retryAfterMs ?? 0, backoff / 2 + Math.random() * backoff));
      await updateHeld(db, job.id, owner, { status: 'queued', attempts, next_attempt_at: now + wait, lease_owner: null, lease_expires_at: null, error: messageOf(err), updated_at: now });
      await deps.takes.mirror(job.id);
      publish(job, 'queued', { error: `retrying: ${messageOf(err)}` });
      setTimeout(() => void tick(), wait + 5).unref();
      return;
    }
    log.info('job failed', { jobId: job.id, reason: messageOf(err) });
    await finish(job, 'failed', messageOf(err), attempts);
  }

  async function finish(job: JobsTable, status: 'failed' | 'canceled', error: string | null, attempts = job.attempts) {
    const now = clock.now();
    await finishJob(db, job.id, { status, error, attempts, now });
    await deps.takes.mirror(job.id);
    await chainStep(deps, job, status).catch((err: unknown) => log.warn('could not cancel a chain batch', { jobId: job.id, err }));
    publish(job, status, error ? { error } : {});
    if (status === 'failed') {
      void deps.notifier?.takeDone(jobRef(job), 'failed', error);
      deps.webhooks?.takeDone(job, 'failed', error);
    }
  }

  /** One chain sweep at a time (a slow database never stacks them up). */
  function sweepChains(): Promise<void> {
    if (chainSweeping || stopped) return chainSweeping ?? Promise.resolve();
    chainSweeping = chainSweep(deps)
      .catch((err: unknown) => log.warn('could not sweep chain batches', { err }))
      .finally(() => (chainSweeping = null));
    return chainSweeping;
  }

  function publish(job: JobsTable, status: JobStatus, extra: { progress?: number; queuePosition?: number; error?: string } = {}) {
    deps.events.publish(job.board_id, { jobId: job.id, shotId: job.shot_id, takeId: job.take_id, status, ...extra });
  }

  /** Providers can only call back to a public https origin; locally we poll. */
  function webhookFor(provider: ProviderAdapter, job: JobsTable): { webhookUrl?: string } {
    if (!provider.parseWebhook || !deps.publicOrigin.startsWith('https:')) return {};
    return { webhookUrl: `${deps.publicOrigin}/api/webhooks/${provider.id}/${job.id}` };
  }

  function mediaAccess(boardId: string): MediaAccess {
    const load = async (assetId: string) => {
      const row = await assetBlob(db, boardId, assetId);
      const stream = await deps.blobs.createReadStream(row.sha256);
      const chunks: Buffer[] = [];
      for await (const c of stream!) chunks.push(c as Buffer);
      return { base64: Buffer.concat(chunks).toString('base64'), mimeType: row.mime };
    };
    return {
      toBase64: (ref) => load(ref.assetId),
      toDataUrl: async (ref) => {
        const { base64, mimeType } = await load(ref.assetId);
        return `data:${mimeType};base64,${base64}`;
      },
    };
  }

  return {
    owner,
    /** How many jobs run at once (queue estimates count in rounds of these). */
    limits: opts.limits,
    start() {
      started = true;
      deps.takes.startSweeping();
      void sweepChains();
      chainTimer = setInterval(() => void sweepChains(), opts.chainSweepMs ?? DEFAULT_CHAIN_SWEEP_MS);
      chainTimer.unref();
      timer = setInterval(() => void tick(), 1000);
      timer.unref();
      void tick();
    },
    wake: () => void tick(),
    /** Aborts a job running in this process (a cancel of a local render). */
    /** Polls a running job now instead of at its next interval. */
    nudge(jobId: string) {
      nudges.get(jobId)?.();
    },
    abort(jobId: string) {
      active.get(jobId)?.abort(new Canceled());
    },
    /** Stops claiming and hands running jobs back (lease released) for another worker or restart. */
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (chainTimer) clearInterval(chainTimer);
      await chainSweeping;
      const ids = [...active.keys()];
      for (const c of active.values()) c.abort(new Error('server stopping'));
      await releaseLeases(db, ids, owner);
    },
    get running() {
      return active.size;
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;

function sleep(ms: number, signal: AbortSignal, onWake?: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    onWake?.(() => {
      clearTimeout(t);
      resolve();
    });
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}

/** True when a failed submission surely created nothing: the provider answered with an error status, or was never reached. */
function sentNothing(err: unknown): boolean {
  if (!(err instanceof ProviderError)) return false;
  if (err.code === 'egress_refused') return true; // refused before any connection
  if (err.status !== undefined) return (err.status < 200 || err.status >= 300) && err.code !== 'timeout';
  return err.code === 'network' && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(err.providerMessage);
}

/**
 * A clip ffprobe/ffmpeg cannot read, in words: their output names our temp files, which mean
 * nothing to a producer and are nobody else's business.
 */
function unreadableClip(err: unknown, provider: string | null): unknown {
  if (!(err instanceof MediaError) || isStorageFull(err)) return err;
  const what = provider ? 'the finished clip' : 'the rendered clip';
  const why = err.code === 'corrupt' ? 'it is truncated or damaged' : err.code === 'probe_failed' || err.code === 'refused' ? 'it is not a readable video' : 'it could not be processed';
  // A limit (a frame bomb, a day-long clip, the memory cap) is named by the media layer, with no path.
  const providerMessage = err.code === 'over_limit' ? `${what} was refused. ${err.message}` : `${what} was refused: ${why}`;
  return new ProviderError({ kind: 'permanent', provider: provider ?? 'animatic', code: `clip_${err.code}`, providerMessage });
}

/** What a failed take says when the server's disk was full while storing its files. */
const TAKE_STORAGE_FULL = "storage full: the server had no space left to save this take's files; generate again once space is freed";

function messageOf(err: unknown): string {
  // Our own guard's refusal already names the quota or the reserve; a full disk underneath does not.
  if (err instanceof AppError && err.code === 'storage_full') return err.message;
  if (isStorageFull(err)) return TAKE_STORAGE_FULL;
  if (err instanceof ProviderError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

function jobRef(job: JobsTable) {
  return { boardId: job.board_id, shotId: job.shot_id, takeId: job.take_id };
}
