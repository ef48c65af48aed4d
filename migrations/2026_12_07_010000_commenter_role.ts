import { sql, type Kysely } from 'kysely';
import { columnTypes, isPostgres } from './dialect.js';

/**
 * The commenter role (between viewer and editor) for members and invites. SQLite cannot change a
 * CHECK constraint in place, so both tables are rebuilt with the new one and their rows copied.
 * Nothing references either table, so dropping the old ones cascades nowhere. PostgreSQL changes
 * the constraint in place (the name it gave the column's check when the table was created).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, "('owner', 'editor', 'commenter', 'viewer')", "('editor', 'commenter', 'viewer')");
}

export async function down(db: Kysely<any>): Promise<void> {
  // Commenters go back to viewers (the nearest role the old schema knows).
  await db.updateTable('board_members').set({ role: 'viewer' }).where('role', '=', 'commenter').execute();
  await db.updateTable('invites').set({ role: 'viewer' }).where('role', '=', 'commenter').execute();
  await rebuild(db, "('owner', 'editor', 'viewer')", "('editor', 'viewer')");
}

async function rebuild(db: Kysely<any>, memberRoles: string, inviteRoles: string): Promise<void> {
  if (isPostgres(db)) {
    for (const [table, roles] of [['board_members', memberRoles], ['invites', inviteRoles]] as const) {
      const check = sql.id(`${table}_role_check`);
      await sql`alter table ${sql.table(table)} drop constraint ${check}, add constraint ${check} check (role in ${sql.raw(roles)})`.execute(db);
    }
    return;
  }
  const t = columnTypes(db);
  await db.schema
    .createTable('board_members_next')
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ${sql.raw(memberRoles)}`))
    .addColumn('created_at', t.int, (c) => c.notNull())
    .addPrimaryKeyConstraint('board_members_pk', ['board_id', 'user_id'])
    .execute();
  await sql`insert into board_members_next (board_id, user_id, role, created_at) select board_id, user_id, role, created_at from board_members`.execute(db);
  await db.schema.dropTable('board_members').execute();
  await db.schema.alterTable('board_members_next').renameTo('board_members').execute();
  await db.schema.createIndex('board_members_user_id').on('board_members').column('user_id').execute();

  await db.schema
    .createTable('invites_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ${sql.raw(inviteRoles)}`))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.int, (c) => c.notNull())
    .addColumn('expires_at', t.int, (c) => c.notNull())
    .addColumn('revoked_at', t.int)
    .execute();
  await sql`insert into invites_next (id, token_hash, board_id, role, created_by, created_at, expires_at, revoked_at) select id, token_hash, board_id, role, created_by, created_at, expires_at, revoked_at from invites`.execute(db);
  await db.schema.dropTable('invites').execute();
  await db.schema.alterTable('invites_next').renameTo('invites').execute();
  await db.schema.createIndex('invites_board_id').on('invites').column('board_id').execute();
}
