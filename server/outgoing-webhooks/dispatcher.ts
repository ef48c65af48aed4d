/**
 * The durable queue of outgoing webhook deliveries. `emit` writes one row per subscribed endpoint
 * (table `webhook_deliveries`, so a restart loses nothing) and wakes the loop; the loop claims due
 * rows (a conditional update, so two instances never send the same attempt at once), sends each
 * (`send.ts`), logs the answer (`webhook_attempts`) and either finishes the row or schedules the
 * next attempt after a growing delay. A 2xx ends it; anything else is retried until the attempts
 * run out. Finished deliveries leave the log `keepLogMs` (30 days) after they finished (a resend
 * by hand starts that again). An attempt cut short
 * by a crash is sent again once its lease expires: receivers drop
 * duplicates by `webhook-id`, which every attempt of one delivery shares (a resend by hand too).
 */
import type { Kysely } from 'kysely';
import type { WebhookEvent, WebhookPayload } from '../../shared/webhooks.js';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Logger } from '../lib/log.js';
import { claimDelivery, dueDeliveries, endpointsOf, insertDeliveries, nextDueAt, pruneFinished, recordAttempt } from './webhooks.queries.js';
import { sendOnce, type SendOptions } from './send.js';

export interface DispatcherOptions extends SendOptions {
  /** Delay before each retry; the attempts are these plus the first (default 5 in all). */
  retryDelaysMs: readonly number[];
  /** How often to look for due rows that another instance queued (ms). */
  pollMs: number;
  /** Attempts in flight at once. */
  concurrency: number;
  /** How long a finished delivery and its attempts stay in the owner's log (ms). */
  keepLogMs: number;
  /** How often the loop forgets deliveries that finished longer ago than that (ms). */
  pruneEveryMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  allowHosts: [],
  retryDelaysMs: [30_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000],
  pollMs: 15_000,
  concurrency: 4,
  keepLogMs: 30 * 86_400_000,
  pruneEveryMs: 3_600_000,
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
};

export interface WebhookDispatcher {
  /** Queues `event` for every endpoint of the board that subscribed to it. Never throws (logged). */
  emit(boardId: string, event: WebhookEvent, data: Record<string, unknown>): Promise<void>;
  /** Looks for due rows now (a delivery was queued outside `emit`, e.g. resent by hand). */
  wake(): void;
  start(): void;
  close(): Promise<void>;
}

export function createWebhookDispatcher(deps: { db: Kysely<Database>; clock: Clock; log: Logger }, options: Partial<DispatcherOptions> = {}): WebhookDispatcher {
  const o = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
  const { db, clock, log } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let looping: Promise<void> | null = null;
  let again = false;
  let prunedAt = Number.NEGATIVE_INFINITY;
  const inFlight = new Set<Promise<void>>();

  async function attempt(row: Awaited<ReturnType<typeof dueDeliveries>>[number]) {
    // Within a rotation's grace window the secret it replaced signs too (signature.ts).
    const previous = row.previous_secret && Number(row.previous_secret_until) > clock.now() ? [row.previous_secret] : [];
    const result = await sendOnce({ url: row.url, secrets: [row.secret, ...previous], id: row.id, body: row.body }, () => clock.now(), o);
    const attempts = Number(row.attempts) + 1;
    const delay = o.retryDelaysMs[attempts - 1];
    const status = result.ok ? 'succeeded' : delay === undefined ? 'failed' : 'pending';
    await recordAttempt(
      db,
      { delivery_id: row.id, at: clock.now(), status_code: result.statusCode, error: result.error, body_excerpt: result.bodyExcerpt, duration_ms: result.durationMs },
      // Finished: `next_attempt_at` keeps when, which is what the log's pruning goes by.
      { status, attempts, next_attempt_at: status === 'pending' ? clock.now() + delay! : clock.now() },
    );
  }

  /** Claims and sends what is due, then sleeps until the next due row (or the poll interval). */
  async function loop() {
    do {
      again = false;
      const free = o.concurrency - inFlight.size;
      if (free > 0) {
        for (const row of await dueDeliveries(db, clock.now(), free)) {
          if (!(await claimDelivery(db, row.id, Number(row.next_attempt_at), clock.now() + o.timeoutMs * 2))) continue;
          const p = attempt(row)
            .catch((err) => log.warn('could not record a webhook attempt', { err, deliveryId: row.id }))
            .finally(() => {
              inFlight.delete(p);
              wake();
            });
          inFlight.add(p);
        }
      }
    } while (again && running);
    if (!running) return;
    if (clock.now() - prunedAt >= o.pruneEveryMs) {
      prunedAt = clock.now();
      const gone = await pruneFinished(db, prunedAt - o.keepLogMs);
      if (gone > 0) log.info('forgot old webhook deliveries', { count: gone });
    }
    const next = await nextDueAt(db);
    const wait = Math.max(0, Math.min(o.pollMs, next === null ? o.pollMs : next - clock.now()));
    if (timer) clearTimeout(timer);
    timer = setTimeout(wake, wait);
    timer.unref();
  }

  function wake() {
    if (!running) return;
    if (looping) {
      again = true;
      return;
    }
    looping = loop()
      .catch((err) => log.warn('webhook delivery loop failed', { err }))
      .finally(() => {
        looping = null;
        if (again) wake();
      });
  }

  return {
    async emit(boardId, event, data) {
      try {
        const endpoints = (await endpointsOf(db, boardId)).filter((e) => (JSON.parse(e.events) as string[]).includes(event));
        if (endpoints.length === 0) return;
        const now = clock.now();
        const payload: WebhookPayload = { type: event, timestamp: new Date(now).toISOString(), data: { boardId, ...data } };
        const body = JSON.stringify(payload);
        await insertDeliveries(
          db,
          endpoints.map((e) => ({ id: `msg_${newId()}`, endpoint_id: e.id, board_id: boardId, event, body, status: 'pending' as const, attempts: 0, next_attempt_at: now, created_at: now })),
        );
        wake();
      } catch (err) {
        log.warn('could not queue webhook deliveries', { err, boardId, event });
      }
    },
    wake,
    start() {
      running = true;
      wake();
    },
    async close() {
      running = false;
      if (timer) clearTimeout(timer);
      await looping;
      await Promise.all(inFlight);
    },
  };
}
