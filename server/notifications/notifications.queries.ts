/**
 * The inbox's SQL. Every read joins the user's current membership, so entries from a board they
 * left or were removed from are neither listed, counted nor marked: access ends with membership.
 */
import { sql, type Kysely } from 'kysely';
import type { NotificationView } from '../../shared/api.js';
import type { Database, NotificationsTable } from '../db/schema.js';

const iso = (ms: number) => new Date(ms).toISOString();

export async function insertNotifications(db: Kysely<Database>, rows: NotificationsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('notifications').values(rows).execute();
}

/** The user's entries on boards they are still a member of, newest first. */
export async function listNotifications(db: Kysely<Database>, userId: string, limit: number): Promise<NotificationView[]> {
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('board_members as m', (j) => j.onRef('m.board_id', '=', 'n.board_id').onRef('m.user_id', '=', 'n.user_id'))
    .innerJoin('boards as b', 'b.id', 'n.board_id')
    .leftJoin('users as a', 'a.id', 'n.actor_id')
    .select(['n.id', 'n.kind', 'n.board_id', 'b.title', 'n.actor_id', 'a.name as actor_name', 'n.shot_id', 'n.take_id', 'n.comment_id', 'n.at_sec', 'n.text', 'n.created_at', 'n.read_at'])
    .where('n.user_id', '=', userId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    boardId: r.board_id,
    boardTitle: r.title,
    actor: r.actor_id && r.actor_name !== null ? { id: r.actor_id, name: r.actor_name } : null,
    shotId: r.shot_id,
    takeId: r.take_id,
    commentId: r.comment_id,
    atSec: r.at_sec,
    text: r.text,
    createdAt: iso(r.created_at),
    readAt: r.read_at === null ? null : iso(r.read_at),
  }));
}

export async function countUnread(db: Kysely<Database>, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications as n')
    .innerJoin('board_members as m', (j) => j.onRef('m.board_id', '=', 'n.board_id').onRef('m.user_id', '=', 'n.user_id'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('n.user_id', '=', userId)
    .where('n.read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// The reader is still a member of the entry's board (entries of boards they left stay hidden).
const stillMember = sql<boolean>`exists (select 1 from board_members m where m.board_id = notifications.board_id and m.user_id = notifications.user_id)`;

/** Which of `ids` are the user's own visible entries. */
export async function ownIds(db: Kysely<Database>, userId: string, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db.selectFrom('notifications').select('id').where('user_id', '=', userId).where('id', 'in', ids).where(stillMember).execute();
  return new Set(rows.map((r) => r.id));
}

/** Marks the user's own visible entries read: `ids`, or all of them when null. */
export async function markRead(db: Kysely<Database>, userId: string, ids: readonly string[] | null, now: number): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where(stillMember)
    .$if(ids !== null, (qb) => qb.where('id', 'in', ids!))
    .execute();
}

/** Current members of a board with their roles (who may be told about it). */
export async function membersOf(db: Kysely<Database>, boardId: string): Promise<{ userId: string; role: Database['board_members']['role'] }[]> {
  const rows = await db.selectFrom('board_members').select(['user_id', 'role']).where('board_id', '=', boardId).execute();
  return rows.map((r) => ({ userId: r.user_id, role: r.role }));
}
