/**
 * What each board event sends to the board's webhooks: the parts that see an event (the worker,
 * enqueue, the hub, exports) call these, and the dispatcher queues one delivery per subscribed
 * endpoint. Ids, not documents: a receiver asks the API for more with a token of its own.
 */
import { SHOT } from '../../shared/doc/index.js';
import type { JobsTable } from '../db/schema.js';
import type { ShotChange } from '../history/shot-changes.js';
import { crossesBudgetWarning } from '../notifications/notifier.js';
import type { MicroUsd } from '../../shared/money.js';
import type { WebhookDispatcher } from './dispatcher.js';

export interface BoardWebhooks {
  /** A take finished (`succeeded`) or failed for good. */
  takeDone(job: JobsTable, status: 'succeeded' | 'failed', error?: string | null): void;
  /** A job was queued: spend went from `before` to `after` of `budget`; sends only when it crosses the warning line. */
  spendQueued(boardId: string, before: MicroUsd, after: MicroUsd, budget: MicroUsd): void;
  /** A client's stored update changed shots (the hub's reading); a status set to approved is sent. */
  shotChanges(boardId: string, userId: string, changes: readonly ShotChange[]): void;
  /** A sequence export finished building (`format`: the file's kind). */
  exportReady(boardId: string, data: Record<string, unknown>): void;
}

export function boardWebhooks(dispatcher: Pick<WebhookDispatcher, 'emit'>): BoardWebhooks {
  return {
    takeDone(job, status, error) {
      const data = { shotId: job.shot_id, takeId: job.take_id, jobId: job.id, model: job.model };
      if (status === 'succeeded') void dispatcher.emit(job.board_id, 'take.succeeded', data);
      else void dispatcher.emit(job.board_id, 'take.failed', { ...data, error: error ?? null });
    },
    spendQueued(boardId, before, after, budget) {
      if (!crossesBudgetWarning(before, after, budget)) return;
      void dispatcher.emit(boardId, 'budget.warning', { spendMicroUsd: after, budgetMicroUsd: budget });
    },
    shotChanges(boardId, userId, changes) {
      for (const c of changes) {
        if (c.field === SHOT.status && c.after === 'approved' && c.before !== 'approved') void dispatcher.emit(boardId, 'shot.approved', { shotId: c.shotId, approvedBy: userId });
      }
    },
    exportReady(boardId, data) {
      void dispatcher.emit(boardId, 'export.ready', data);
    },
  };
}
