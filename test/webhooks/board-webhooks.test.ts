/**
 * Which board events become which webhook: the budget warning is sent once, as spend crosses the
 * same 80% line the owners' inbox uses; an approval only when a status becomes approved.
 */
import { describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../shared/webhooks.js';
import { boardWebhooks } from '../../server/outgoing-webhooks/events.js';

function recorder() {
  const sent: { boardId: string; event: WebhookEvent; data: Record<string, unknown> }[] = [];
  const hooks = boardWebhooks({ emit: async (boardId, event, data) => void sent.push({ boardId, event, data }) });
  return { sent, hooks };
}

describe('board webhooks', () => {
  it('sends budget.warning only when spend crosses 80% of a budget', () => {
    const { sent, hooks } = recorder();
    hooks.spendQueued('b1', 1_000_000, 3_999_999, 5_000_000); // under
    hooks.spendQueued('b1', 3_000_000, 4_000_000, 5_000_000); // reaches 80%: sent
    hooks.spendQueued('b1', 4_000_000, 4_500_000, 5_000_000); // past it already
    hooks.spendQueued('b1', 0, 9_000_000, 0); // no budget
    expect(sent).toEqual([{ boardId: 'b1', event: 'budget.warning', data: { spendMicroUsd: 4_000_000, budgetMicroUsd: 5_000_000 } }]);
  });

  it('sends shot.approved for a status that becomes approved, not for other fields or re-approvals', () => {
    const { sent, hooks } = recorder();
    hooks.shotChanges('b1', 'u1', [
      { shotId: 's1', field: 'status', before: 'review', after: 'approved' },
      { shotId: 's2', field: 'status', before: 'draft', after: 'review' },
      { shotId: 's3', field: 'title', before: 'a', after: 'approved' },
      { shotId: 's4', field: 'status', before: 'approved', after: 'approved' },
    ]);
    expect(sent).toEqual([{ boardId: 'b1', event: 'shot.approved', data: { shotId: 's1', approvedBy: 'u1' } }]);
  });
});
