/** The `invites` table, and joining a board through one. */
import type { Kysely } from 'kysely';
import { roleAtLeast, type Role } from '../../shared/api.js';
import type { Database, InvitesTable } from '../db/schema.js';
import { serializeOn } from '../db/engine.js';

export async function insertInvite(db: Kysely<Database>, row: InvitesTable): Promise<void> {
  await db.insertInto('invites').values(row).execute();
}

/** A board's invites, revoked and expired ones too, newest first. */
export function invitesOf(db: Kysely<Database>, boardId: string): Promise<InvitesTable[]> {
  return db.selectFrom('invites').selectAll().where('board_id', '=', boardId).orderBy('created_at', 'desc').execute();
}

/** Revokes one of the board's invites; false when it is not the board's or was revoked already. */
export async function revokeInvite(db: Kysely<Database>, boardId: string, inviteId: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('invites')
    .set({ revoked_at: now })
    .where('id', '=', inviteId)
    .where('board_id', '=', boardId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** The invite whose token hashes to `tokenHash`, with its board's title; revoked and expired ones too. */
export function inviteByTokenHash(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('invites')
    .innerJoin('boards', 'boards.id', 'invites.board_id')
    .selectAll('invites')
    .select('boards.title')
    .where('invites.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Makes `userId` a member with the invite's role, in one transaction; an invite never lowers a
 * role someone already has. Returns the role they now have and the one they had (null: newcomer).
 */
export function joinByInvite(db: Kysely<Database>, invite: Pick<InvitesTable, 'board_id' | 'role'>, userId: string, now: number): Promise<{ role: Role; before: Role | null }> {
  return db.transaction().execute(async (tx) => {
    await serializeOn(tx, `board:${invite.board_id}`);
    const current = await tx
      .selectFrom('board_members')
      .select('role')
      .where('board_id', '=', invite.board_id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (current && roleAtLeast(current.role, invite.role)) return { role: current.role, before: current.role };
    await tx
      .insertInto('board_members')
      .values({ board_id: invite.board_id, user_id: userId, role: invite.role, created_at: now })
      .onConflict((oc) => oc.columns(['board_id', 'user_id']).doUpdateSet({ role: invite.role }))
      .execute();
    return { role: invite.role, before: current?.role ?? null };
  });
}
