/**
 * Creates inbox entries when things happen on a board and tells the people concerned live. The
 * events arrive from the parts that see them: the sync hub (comments stored), the worker (takes
 * finished or failed), enqueue (spend passing the budget warning). Nobody is told about their
 * own act, and only current members of the board are told anything.
 */
import type { Kysely } from 'kysely';
import { roleAtLeast, type UnreadEvent } from '../../shared/api.js';
import { getShot, getTake, listComments, type CommentView } from '../../shared/doc/index.js';
import type { Database, NotificationsTable } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Logger } from '../lib/log.js';
import { createBoardChannel, type BoardChannel } from '../scale/board-channel.js';
import { CHANNELS, type Bus } from '../scale/bus.js';
import type { DocHub } from '../sync/hub.js';
import { tokenBucket } from '../sync/rate-limit.js';
import { countUnread, insertNotifications, membersOf } from './notifications.queries.js';
import { usdText, type MicroUsd } from '../../shared/money.js';

/** Owners are warned once the board's spent and queued cost passes this percentage of its budget. */
export const BUDGET_WARNING_PERCENT = 80;
/** An inbox entry quotes at most this much of a comment or an error. */
const QUOTE_CHARS = 280;
/**
 * Entries one person's comments may create per minute (burst: twice that): a script posting
 * comments that mention the whole board cannot flood everyone's inbox. Past it they are dropped.
 */
export const COMMENT_ENTRIES_PER_MINUTE = 120;

export interface NotifierDeps {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  hub: Pick<DocHub, 'read'>;
  bus?: Bus;
}

export interface Notifier {
  /** Unread counts per user id, for the inbox's event stream (all instances). */
  unread: BoardChannel<UnreadEvent>;
  /** A client's stored update created `comments`, written by `authorId`. */
  commentsAdded(boardId: string, authorId: string, comments: readonly CommentView[]): Promise<void>;
  /** A take finished or failed for good: its shot's assignee is told. */
  takeDone(job: { boardId: string; shotId: string; takeId: string }, status: 'succeeded' | 'failed', error?: string | null): Promise<void>;
  /** A job was queued: spend (spent + queued) went from `before` to `after` of `budget` (integer micro-dollars). */
  spendQueued(boardId: string, actorId: string, before: MicroUsd, after: MicroUsd, budget: MicroUsd): Promise<void>;
  /** Sends `userId`'s current unread count to their open streams (after a change elsewhere). */
  recount(userId: string): Promise<void>;
}

type Entry = Omit<NotificationsTable, 'id' | 'board_id' | 'created_at' | 'read_at' | 'actor_id' | 'shot_id' | 'take_id' | 'comment_id' | 'at_sec'> &
  Partial<Pick<NotificationsTable, 'actor_id' | 'shot_id' | 'take_id' | 'comment_id' | 'at_sec'>>;

export function createNotifier(deps: NotifierDeps): Notifier {
  const { db, clock, log } = deps;
  const unread = createBoardChannel<UnreadEvent>(CHANNELS.notifications, deps.bus);
  const budgets = new Map<string, ReturnType<typeof tokenBucket>>();
  /** Whether `authorId` may still create an entry now (per instance, like the sync rate limits). */
  const allowance = (authorId: string) => {
    let bucket = budgets.get(authorId);
    if (!bucket) budgets.set(authorId, (bucket = tokenBucket(clock, COMMENT_ENTRIES_PER_MINUTE / 60, COMMENT_ENTRIES_PER_MINUTE * 2)));
    return bucket.take();
  };

  async function recount(userId: string) {
    unread.publish(userId, { unread: await countUnread(db, userId) });
  }

  /** Stores entries for current members only, then tells each of them their new count. */
  async function deliver(boardId: string, entries: Entry[]) {
    if (entries.length === 0) return;
    const members = new Set((await membersOf(db, boardId)).map((m) => m.userId));
    const now = clock.now();
    const rows = entries
      .filter((e) => members.has(e.user_id) && e.user_id !== e.actor_id)
      .map((e): NotificationsTable => ({ actor_id: null, shot_id: null, take_id: null, comment_id: null, at_sec: null, ...e, id: newId(), board_id: boardId, created_at: now, read_at: null }));
    await insertNotifications(db, rows);
    for (const userId of new Set(rows.map((r) => r.user_id))) await recount(userId);
  }

  const guard = (what: string, work: () => Promise<void>) =>
    work().catch((err) => log.warn(`could not create ${what} notifications`, { err }));

  return {
    unread,
    recount,
    commentsAdded: (boardId, authorId, comments) =>
      guard('comment', async () => {
        const entries: Entry[] = [];
        for (const c of comments) {
          const about = { actor_id: authorId, shot_id: c.shotId, take_id: c.takeId ?? null, comment_id: c.id, at_sec: c.atSec ?? null, text: quote(c.text) };
          const mentioned = new Set(c.mentions.filter((id) => id !== authorId));
          for (const userId of mentioned) entries.push({ ...about, user_id: userId, kind: 'mention' });
          // A flat thread per take (or per shot, for comments on no take): a new comment there
          // answers everyone who spoke in it before.
          const earlier = await deps.hub.read(boardId, (doc) => listComments(doc, { shotId: c.shotId }));
          const repliedTo = new Set(earlier.filter((e) => e.id !== c.id && e.takeId === c.takeId && e.createdAt <= c.createdAt && e.removedBy === undefined && e.author !== authorId).map((e) => e.author));
          for (const userId of repliedTo) if (!mentioned.has(userId)) entries.push({ ...about, user_id: userId, kind: 'reply' });
        }
        const allowed = entries.filter(() => allowance(authorId));
        if (allowed.length < entries.length) log.warn('dropped comment notifications past the per-author rate', { boardId, authorId, dropped: entries.length - allowed.length });
        await deliver(boardId, allowed);
      }),
    takeDone: (job, status, error) =>
      guard('take', async () => {
        const { assignee, text } = await deps.hub.read(job.boardId, (doc) => {
          const shot = getShot(doc, job.shotId);
          const n = getTake(doc, job.shotId, job.takeId)?.number;
          const what = `Take${n ? ` ${n}` : ''} of “${shot?.title || 'Untitled shot'}”`;
          return { assignee: shot?.assignee, text: status === 'succeeded' ? `${what} is ready to review` : quote(`${what} failed: ${error ?? 'no reason given'}`) };
        });
        if (!assignee) return;
        await deliver(job.boardId, [{ user_id: assignee, kind: status === 'succeeded' ? 'take_succeeded' : 'take_failed', shot_id: job.shotId, take_id: job.takeId, text }]);
      }),
    spendQueued: (boardId, actorId, before, after, budget) =>
      guard('budget', async () => {
        if (!crossesBudgetWarning(before, after, budget)) return;
        const owners = (await membersOf(db, boardId)).filter((m) => roleAtLeast(m.role, 'owner'));
        const text = `${usdText(after)} of the ${usdText(budget)} budget is spent or queued (${Math.round((after / budget) * 100)}%)`;
        // The owner who queued it is told too: the warning is about the board, not their act.
        await deliver(boardId, owners.map((o) => ({ user_id: o.userId, kind: 'budget' as const, actor_id: o.userId === actorId ? null : actorId, text })));
      }),
  };
}

/** Whether spend going from `before` to `after` passes the warning line of `budget` (owners are warned once, as it crosses). */
export function crossesBudgetWarning(before: MicroUsd, after: MicroUsd, budget: MicroUsd): boolean {
  return budget > 0 && !reachesWarning(before, budget) && reachesWarning(after, budget);
}

/** Whether `spend` is at least the warning share of `budget`, compared exactly (as big integers: no float rounding at the line). */
function reachesWarning(spend: MicroUsd, budget: MicroUsd): boolean {
  return BigInt(spend) * 100n >= BigInt(budget) * BigInt(BUDGET_WARNING_PERCENT);
}

function quote(text: string): string {
  return text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS - 1)}…` : text;
}
