import { Hono, type HonoRequest } from 'hono';
import { z } from 'zod';
import type { JobListEntry, Role } from '../../shared/api.js';
import { MAX_BATCH_TAKES } from '../../shared/generation/index.js';
import { streamBoardEvents } from '../http/sse.js';
import { oncePerRequest } from '../http/once-per-request.js';
import { getMeta, listReferences, shotsInOrder } from '../../shared/doc/index.js';
import { attachmentFor } from '../export/download-name.js';
import { requireUser } from '../auth/middleware.js';
import { boardRoles, watchAccess } from '../boards/access.js';
import { getRole } from '../boards/boards.queries.js';
import { AppError } from '../errors.js';
import { readJson, readQuery } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import type { JobsTable } from '../db/schema.js';
import type { GenerationDeps } from './deps.js';
import { enqueueGeneration, enqueueTakes } from './enqueue.js';
import { chainStep, enqueueChainTakes } from './chain-batch.js';
import { resolveShot, snapshotFor } from './resolve.js';
import { openJobEtas } from './eta.js';
import { waitingOn } from './pending-tail.js';
import { buildCostReport } from './cost-report.js';
import { costLedgerCsv } from './cost-ledger-csv.js';
import { boardJobs, boardQueuePositions, cancelQueued, costRows, getJob, requestCancel, toJobView } from './jobs.queries.js';
import type { Worker } from './worker.js';

export const GenerateBody = z.object({
  model: z.string().min(1).max(200).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  confirmUnpriced: z.boolean().optional(),
});

export const GenerateBatchBody = GenerateBody.extend({ count: z.number().int().min(1).max(MAX_BATCH_TAKES) });

/** N takes of a shot and of every shot continuing from it (each shot keeps its own model and seeds, so neither is taken). */
export const GenerateChainBatchBody = z.strictObject(
  { ...GenerateBody.pick({ idempotencyKey: true, confirmUnpriced: true }).shape, count: GenerateBatchBody.shape.count },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.join(', ')}: not taken by a chain batch (each shot keeps its own model and seeds); send count (1-${MAX_BATCH_TAKES}), idempotencyKey or confirmUnpriced`
        : undefined,
  },
);


const MODEL_ID = 'a model id of at most 200 characters';
export const EstimateQuery = z.object({ model: z.string().min(1, MODEL_ID).max(200, MODEL_ID).optional() });

/** Generation routes under /api: enqueue, jobs, cancel, events, models, costs. */
export function generationRoutes(deps: GenerationDeps, worker: Worker) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  const boardRole = boardRoles(db);
  /** Job routes name a job: its board is the job's, and a stranger's answer is the one for a made-up job id. */
  const jobOfRequest = oncePerRequest((req) => getJob(db, req.param('jobId')!));
  /** Routes on one board or job: open to API tokens too (their grant is applied by `boardRole`). */
  const withToken = requireUser(deps, { tokens: true });
  const jobRole = (needed: Role) => boardRole(needed, { boardOf: async (req) => (await jobOfRequest(req))?.board_id, notFound: jobNotFound });

  app.get('/models', requireUser(deps), (c) =>
    c.json(deps.catalog.list().map(({ model, available, reason }) => ({ ...model, available, ...(reason ? { reason } : {}) }))),
  );

  app.post('/boards/:boardId/shots/:shotId/generate', withToken, boardRole('editor'), async (c) => {
    const boardId = c.get('board').id;
    const shotId = c.req.param('shotId');
    const userId = c.get('user').id;
    const body = await readJson(c, GenerateBody);
    const res = await enqueueGeneration(deps, { boardId, shotId, userId, ...body });
    return c.json(res, 202);
  });

  // Several takes of one shot at once, each with its own seed: all or none, one budget check for their total.
  app.post('/boards/:boardId/shots/:shotId/generate-batch', withToken, boardRole('editor'), async (c) => {
    const boardId = c.get('board').id;
    const { count, ...body } = await readJson(c, GenerateBatchBody);
    const res = await enqueueTakes(deps, { boardId, shotId: c.req.param('shotId'), userId: c.get('user').id, ...body }, count);
    return c.json(res, 202);
  });

  // N takes of every shot of the chain from this shot down, in order: take k of a shot continues
  // take k of its upstream shot (queued waiting, due when that take finishes). All or none, one budget check.
  app.post('/boards/:boardId/shots/:shotId/generate-chain-batch', withToken, boardRole('editor'), async (c) => {
    const boardId = c.get('board').id;
    const { count, ...body } = await readJson(c, GenerateChainBatchBody);
    const res = await enqueueChainTakes(deps, { boardId, shotId: c.req.param('shotId'), userId: c.get('user').id, ...body }, count);
    return c.json(res, 202);
  });

  // What Generate would cost, priced exactly as enqueue will (same resolver, same formula), in parts.
  app.get('/boards/:boardId/shots/:shotId/estimate', withToken, boardRole('viewer'), async (c) => {
    const boardId = c.get('board').id;
    const { model } = readQuery(c, EstimateQuery);
    const snap = await deps.hub.read(boardId, (doc) => snapshotFor(doc, c.req.param('shotId')));
    const res = await resolveShot(db, deps.catalog, boardId, snap, model ? { model } : {});
    return c.json({ estimate: res.estimate });
  });

  app.get('/boards/:boardId/jobs', withToken, boardRole('viewer'), async (c) => {
    const boardId = c.get('board').id;
    const rows = await boardJobs(db, boardId, 500);
    const position = await boardQueuePositions(db, boardId);
    const etas = await openJobEtas(db, rows, deps.clock.now(), worker.limits);
    const list: JobListEntry[] = rows.map((r) => {
      // A chain batch's take waiting for the take it continues has no place in the queue: it says what it waits for.
      const waitsFor = waitingOn(r);
      return {
        ...toJobView(r),
        ...(position.has(r.id) ? { queuePosition: position.get(r.id) } : {}),
        ...(etas.has(r.id) ? { eta: etas.get(r.id) } : {}),
        ...(waitsFor ? { waitsFor } : {}),
      };
    });
    return c.json(list);
  });

  app.get('/jobs/:jobId', withToken, jobRole('viewer'), async (c) => {
    const job = await jobOf(c.req);
    return c.json(toJobView(job));
  });

  app.post('/jobs/:jobId/cancel', withToken, jobRole('editor'), async (c) => {
    const job = await jobOf(c.req);
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'canceled') {
      throw new AppError('conflict', `This job already ${job.status === 'canceled' ? 'was canceled' : job.status}`);
    }
    const now = deps.clock.now();
    if (await cancelQueued(db, job.id, now)) {
      await markTakeCanceled(job);
      return c.json({ status: 'canceled' as const }, 200);
    }
    await requestCancel(db, job.id, now);
    worker.abort(job.id);
    return c.json({ status: 'cancel_requested' as const }, 202);
  });

  app.get('/boards/:boardId/costs', withToken, boardRole('viewer'), async (c) => {
    const boardId = c.get('board').id;
    const [rows, board] = await Promise.all([costRows(db, boardId), costContext(boardId)]);
    return c.json(buildCostReport(rows, board));
  });

  app.get('/boards/:boardId/costs.csv', withToken, boardRole('viewer'), async (c) => {
    const boardId = c.get('board').id;
    const [rows, board] = await Promise.all([costRows(db, boardId), costContext(boardId)]);
    return c.body(costLedgerCsv(rows, board.shotTitles), 200, {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': attachmentFor(board.title, 'cost ledger.csv'),
      'Cache-Control': 'private, no-cache',
    });
  });

  app.get('/boards/:boardId/events', requireUser(deps), boardRole('viewer'), async (c) => {
    const boardId = c.get('board').id;
    const userId = c.get('user').id;
    const sessionId = c.get('session').id;
    const release = deps.streams.acquire(userId);
    return streamBoardEvents(c, deps.events, boardId, 'job', {
      release,
      stillMember: async () => Boolean(await getRole(db, boardId, userId)),
      watch: (end) => watchAccess(deps.boardEvents, { boardId, userId, sessionId }, end),
    });
  });

  /** The job `jobRole` let through (gone only if its board was deleted meanwhile). */
  async function jobOf(req: HonoRequest) {
    const job = await jobOfRequest(req);
    if (!job) throw jobNotFound();
    return job;
  }

  async function markTakeCanceled(job: JobsTable) {
    await deps.takes.mirror(job.id);
    deps.events.publish(job.board_id, { jobId: job.id, shotId: job.shot_id, takeId: job.take_id, status: 'canceled' });
    // The cancel is done; takes waiting on it are moved on by the worker's sweep if this fails.
    await chainStep(deps, job, 'canceled').catch((err: unknown) => deps.log.warn('could not cancel a chain batch', { jobId: job.id, err }));
  }

  /** What the cost report and the ledger need from the board document. */
  function costContext(boardId: string) {
    return deps.hub.read(boardId, (doc) => {
      const meta = getMeta(doc);
      return {
        title: meta.title,
        budgetMicroUsd: meta.budgetMicroUsd ?? null,
        references: listReferences(doc),
        shotTitles: new Map(shotsInOrder(doc).map((s) => [s.id, s.title])),
      };
    });
  }

  return app;
}

const jobNotFound = () => new AppError('not_found', 'Job not found');
