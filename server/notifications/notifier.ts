/**
 * Creates inbox entries when things happen on a board and tells the people concerned live. The
 * events arrive from the parts that see them: the sync hub (comments stored), the worker (takes
 * finished or failed, and the note a take answers), enqueue (spend passing the budget warning),
 * the guest routes (a guest's comment). Nobody is told about their own act, and only current
 * members of the board are told anything.
 */
import type { Kysely } from 'kysely';
import { roleAtLeast, type UnreadEvent } from '../../shared/api.js';
import * as Y from 'yjs';
import { getShot, getTake, listComments, type CommentView } from '../../shared/doc/index.js';
import { rankedShots } from '../../shared/doc/shot-view.js';
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
/**
 * Guest comments of one review link that reach the team's inboxes per minute (burst: twice that),
 * however many guests share the link. Past it the comments still land on the take, untold.
 */
export const GUEST_COMMENTS_NOTIFIED_PER_MINUTE = 5;
/** A guest's comment is quoted shorter than a member's: it comes from outside the team. */
const GUEST_QUOTE_CHARS = 140;

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
  /**
   * A take finished or failed for good: its shot's assignee is told, and when the take answers a
   * note ("Regenerate from note") the note's author is told instead (once), unless they queued it.
   */
  takeDone(job: { boardId: string; shotId: string; takeId: string }, status: 'succeeded' | 'failed', error?: string | null): Promise<void>;
  /** A guest left `comment` through review link `linkId`: the shot's assignee and the board's owners are told. */
  guestCommented(boardId: string, linkId: string, comment: GuestCommentEvent): Promise<void>;
  /** A job was queued: spend (spent + queued) went from `before` to `after` of `budget` (integer micro-dollars). */
  spendQueued(boardId: string, actorId: string, before: MicroUsd, after: MicroUsd, budget: MicroUsd): Promise<void>;
  /** Sends `userId`'s current unread count to their open streams (after a change elsewhere). */
  recount(userId: string): Promise<void>;
}

/** What the guest routes report of a comment they stored. */
export interface GuestCommentEvent {
  id: string;
  guestName: string;
  shotId: string;
  takeId: string;
  atSec: number;
  text: string;
}

type Entry = Omit<NotificationsTable, 'id' | 'board_id' | 'created_at' | 'read_at' | 'actor_id' | 'shot_id' | 'take_id' | 'comment_id' | 'at_sec'> &
  Partial<Pick<NotificationsTable, 'actor_id' | 'shot_id' | 'take_id' | 'comment_id' | 'at_sec'>>;

export function createNotifier(deps: NotifierDeps): Notifier {
  const { db, clock, log } = deps;
  const unread = createBoardChannel<UnreadEvent>(CHANNELS.notifications, deps.bus);
  const budgets = new Map<string, ReturnType<typeof tokenBucket>>();
  /** Whether `who` (an author, a review link) may still create one more now (per instance, like the sync rate limits). */
  const allowance = (who: string, perMinute: number) => {
    let bucket = budgets.get(who);
    if (!bucket) budgets.set(who, (bucket = tokenBucket(clock, perMinute / 60, perMinute * 2)));
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
        const allowed = entries.filter(() => allowance(`author:${authorId}`, COMMENT_ENTRIES_PER_MINUTE));
        if (allowed.length < entries.length) log.warn('dropped comment notifications past the per-author rate', { boardId, authorId, dropped: entries.length - allowed.length });
        await deliver(boardId, allowed);
      }),
    takeDone: (job, status, error) =>
      guard('take', async () => {
        const done = await deps.hub.read(job.boardId, (doc) => {
          const shot = getShot(doc, job.shotId);
          const take = getTake(doc, job.shotId, job.takeId);
          const n = take?.number;
          const what = `Take${n ? ` ${n}` : ''} of “${shot?.title || 'Untitled shot'}”`;
          const note = take?.answers ? listComments(doc, { shotId: job.shotId }).find((c) => c.id === take.answers) : undefined;
          return {
            assignee: shot?.assignee,
            text: status === 'succeeded' ? `${what} is ready to review` : quote(`${what} failed: ${error ?? 'no reason given'}`),
            // Guests have no inbox; a removed note has nobody to answer.
            note: note && note.guestName === undefined && note.removedBy === undefined ? { author: note.author, queuedBy: take!.createdBy, text: noteOutcome(shotName(doc, job.shotId, shot?.title), n, status, error) } : undefined,
          };
        });
        const ref = { shot_id: job.shotId, take_id: job.takeId };
        const entries: Entry[] = [];
        const noteTold = done.note !== undefined && done.note.author !== done.note.queuedBy;
        if (done.note && noteTold) entries.push({ ...ref, user_id: done.note.author, actor_id: done.note.queuedBy, kind: status === 'succeeded' ? 'note_take_succeeded' : 'note_take_failed', text: done.note.text });
        // An assignee who wrote the note hears it once, as the note's answer.
        if (done.assignee && !(noteTold && done.assignee === done.note!.author)) entries.push({ ...ref, user_id: done.assignee, kind: status === 'succeeded' ? 'take_succeeded' : 'take_failed', text: done.text });
        await deliver(job.boardId, entries);
      }),
    guestCommented: (boardId, linkId, comment) =>
      guard('guest comment', async () => {
        if (!allowance(`link:${linkId}`, GUEST_COMMENTS_NOTIFIED_PER_MINUTE)) {
          log.warn('dropped guest comment notifications past the per-link rate', { boardId, linkId, commentId: comment.id });
          return;
        }
        const { assignee, where } = await deps.hub.read(boardId, (doc) => {
          const shot = getShot(doc, comment.shotId);
          return { assignee: shot?.assignee, where: shotName(doc, comment.shotId, shot?.title) };
        });
        const owners = (await membersOf(db, boardId)).filter((m) => roleAtLeast(m.role, 'owner')).map((m) => m.userId);
        const text = `Guest ${comment.guestName} commented on ${where} at ${clockTime(comment.atSec)}: ${quote(comment.text, GUEST_QUOTE_CHARS)}`;
        const about = { shot_id: comment.shotId, take_id: comment.takeId, comment_id: comment.id, at_sec: comment.atSec, text };
        await deliver(boardId, [...new Set([...(assignee ? [assignee] : []), ...owners])].map((userId) => ({ ...about, user_id: userId, kind: 'guest_comment' as const })));
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

function quote(text: string, max = QUOTE_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "shot 3 “Harbour”": the shot's place on the board as the team counts it (1-based), and its title. */
function shotName(doc: Y.Doc, shotId: string, title: string | undefined): string {
  const position = rankedShots(doc).findIndex((s) => s.id === shotId) + 1;
  return `${position > 0 ? `shot ${position}` : 'a removed shot'} “${title || 'Untitled shot'}”`;
}

/** "Your note on shot 3 “Harbour” was answered: take 4 is ready", or which take failed and why. */
function noteOutcome(shot: string, takeNumber: number | undefined, status: 'succeeded' | 'failed', error?: string | null): string {
  const take = `take${takeNumber ? ` ${takeNumber}` : ''}`;
  return status === 'succeeded' ? `Your note on ${shot} was answered: ${take} is ready` : quote(`The ${take} for your note on ${shot} failed: ${error ?? 'no reason given'}`);
}

/** "0:04": a time in a take as the player shows it. */
function clockTime(sec: number): string {
  return `${Math.floor(sec / 60)}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;
}
