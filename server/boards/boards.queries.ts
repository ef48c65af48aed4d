import type { Kysely } from 'kysely';
import type { BoardSummary, Member, Role } from '../../shared/api.js';
import { newId } from '../lib/ids.js';
import type { Database } from '../db/schema.js';
import { serializeOn } from '../db/engine.js';

const iso = (ms: number) => new Date(ms).toISOString();

export async function getRole(db: Kysely<Database>, boardId: string, userId: string): Promise<Role | null> {
  const row = await db
    .selectFrom('board_members')
    .select('role')
    .where('board_id', '=', boardId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** A member's role on a board and whether the board is archived (read-only for everyone). */
export async function getAccess(db: Kysely<Database>, boardId: string, userId: string): Promise<{ role: Role; archived: boolean } | null> {
  const row = await db
    .selectFrom('board_members')
    .innerJoin('boards', 'boards.id', 'board_members.board_id')
    .select(['board_members.role', 'boards.archived_at'])
    .where('board_members.board_id', '=', boardId)
    .where('board_members.user_id', '=', userId)
    .executeTakeFirst();
  return row ? { role: row.role, archived: row.archived_at !== null } : null;
}

function boardsOf(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('boards')
    .innerJoin('board_members', 'board_members.board_id', 'boards.id')
    .select(['boards.id', 'boards.title', 'board_members.role', 'boards.created_at', 'boards.updated_at', 'boards.archived_at'])
    .where('board_members.user_id', '=', userId);
}

type BoardRow = { id: string; title: string; role: Role; created_at: number; updated_at: number; archived_at: number | null };
const toSummary = (r: BoardRow): BoardSummary => ({
  id: r.id,
  title: r.title,
  role: r.role,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  archivedAt: r.archived_at === null ? null : iso(r.archived_at),
});

/** The boards a user belongs to, most recently changed first; archived ones only when asked for. */
export async function listBoardsOf(db: Kysely<Database>, userId: string, opts: { archived: boolean } = { archived: false }): Promise<BoardSummary[]> {
  let q = boardsOf(db, userId);
  if (!opts.archived) q = q.where('boards.archived_at', 'is', null);
  const rows = await q.orderBy('boards.updated_at', 'desc').execute();
  return rows.map(toSummary);
}

export async function getBoard(db: Kysely<Database>, boardId: string, userId: string): Promise<BoardSummary | null> {
  const r = await boardsOf(db, userId).where('boards.id', '=', boardId).executeTakeFirst();
  return r ? toSummary(r) : null;
}

export async function renameBoard(db: Kysely<Database>, boardId: string, title: string, now: number) {
  await db.updateTable('boards').set({ title, updated_at: now }).where('id', '=', boardId).execute();
}

/** Archives (`at` a time) or restores (`at` null) a board. */
export async function setArchived(db: Kysely<Database>, boardId: string, at: number | null, now: number) {
  await db.updateTable('boards').set({ archived_at: at, updated_at: now }).where('id', '=', boardId).execute();
}

/** Bytes of those of `assetIds` that belong to the board (what copying them counts against quotas). */
export async function assetBytes(db: Kysely<Database>, boardId: string, assetIds: readonly string[]): Promise<number> {
  if (assetIds.length === 0) return 0;
  const r = await db
    .selectFrom('assets')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('bytes'), eb.val(0)).as('n'))
    .where('board_id', '=', boardId)
    .where('id', 'in', [...assetIds])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Makes assets of one board usable on another (assets belong to a board; a member of the copy may
 * not be one of the source): a new row per asset over the same stored bytes (the blob store is
 * keyed by SHA-256, so nothing is copied on disk). Returns old id -> new id; ids that are not
 * assets of the source board are left out.
 */
export async function copyAssets(db: Kysely<Database>, from: string, to: string, assetIds: readonly string[], by: string, now: number): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  if (assetIds.length === 0) return map;
  const rows = await db.selectFrom('assets').selectAll().where('board_id', '=', from).where('id', 'in', [...assetIds]).execute();
  for (const r of rows) {
    const id = newId();
    map.set(r.id, id);
    await db.insertInto('assets').values({ ...r, id, board_id: to, created_by: by, created_at: now }).execute();
  }
  return map;
}

export async function createBoard(db: Kysely<Database>, board: { id: string; title: string; ownerId: string; now: number }) {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('boards')
      .values({ id: board.id, title: board.title, created_by: board.ownerId, created_at: board.now, updated_at: board.now })
      .execute();
    await tx
      .insertInto('board_members')
      .values({ board_id: board.id, user_id: board.ownerId, role: 'owner', created_at: board.now })
      .execute();
  });
}

export async function listMembers(db: Kysely<Database>, boardId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('board_members')
    .innerJoin('users', 'users.id', 'board_members.user_id')
    .select(['users.id', 'users.name', 'users.email', 'users.city', 'board_members.role', 'board_members.created_at'])
    .where('board_members.board_id', '=', boardId)
    .orderBy('board_members.created_at')
    .execute();
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email, city: r.city, role: r.role, joinedAt: iso(r.created_at) }));
}

async function countOwners(db: Kysely<Database>, boardId: string): Promise<number> {
  const r = await db
    .selectFrom('board_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('board_id', '=', boardId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Deletes a board; its members, invites, assets and jobs go with it (foreign keys cascade). */
export async function deleteBoard(db: Kysely<Database>, boardId: string): Promise<void> {
  await db.deleteFrom('boards').where('id', '=', boardId).execute();
}

/** Why a membership change was refused: no such member, or it would leave the board without an owner. */
export type MemberChange = 'done' | 'not-member' | 'last-owner';

/** Gives a member another role, in one transaction with the check that an owner remains. */
export function setMemberRole(db: Kysely<Database>, boardId: string, userId: string, role: Role): Promise<MemberChange> {
  return db.transaction().execute(async (tx) => {
    await serializeOn(tx, `board:${boardId}`);
    const current = await getRole(tx, boardId, userId);
    if (!current) return 'not-member';
    if (current === 'owner' && role !== 'owner' && (await countOwners(tx, boardId)) <= 1) return 'last-owner';
    await tx.updateTable('board_members').set({ role }).where('board_id', '=', boardId).where('user_id', '=', userId).execute();
    return 'done';
  });
}

/** Removes a member, in one transaction with the check that an owner remains. */
export function removeMember(db: Kysely<Database>, boardId: string, userId: string): Promise<MemberChange> {
  return db.transaction().execute(async (tx) => {
    await serializeOn(tx, `board:${boardId}`);
    const current = await getRole(tx, boardId, userId);
    if (!current) return 'not-member';
    if (current === 'owner' && (await countOwners(tx, boardId)) <= 1) return 'last-owner';
    await tx.deleteFrom('board_members').where('board_id', '=', boardId).where('user_id', '=', userId).execute();
    return 'done';
  });
}
