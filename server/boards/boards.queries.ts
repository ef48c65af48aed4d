import type { Kysely } from 'kysely';
import type { BoardSummary, Member, Role } from '../../shared/api.js';
import type { Database } from '../db/schema.js';

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

export async function listBoardsOf(db: Kysely<Database>, userId: string): Promise<BoardSummary[]> {
  const rows = await db
    .selectFrom('boards')
    .innerJoin('board_members', 'board_members.board_id', 'boards.id')
    .select(['boards.id', 'boards.title', 'board_members.role', 'boards.created_at', 'boards.updated_at'])
    .where('board_members.user_id', '=', userId)
    .orderBy('boards.updated_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, role: r.role, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) }));
}

export async function getBoard(db: Kysely<Database>, boardId: string, userId: string): Promise<BoardSummary | null> {
  const r = await db
    .selectFrom('boards')
    .innerJoin('board_members', 'board_members.board_id', 'boards.id')
    .select(['boards.id', 'boards.title', 'board_members.role', 'boards.created_at', 'boards.updated_at'])
    .where('boards.id', '=', boardId)
    .where('board_members.user_id', '=', userId)
    .executeTakeFirst();
  return r ? { id: r.id, title: r.title, role: r.role, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) } : null;
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

export async function countOwners(db: Kysely<Database>, boardId: string): Promise<number> {
  const r = await db
    .selectFrom('board_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('board_id', '=', boardId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
