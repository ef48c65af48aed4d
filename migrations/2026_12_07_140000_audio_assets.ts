import { sql, type Kysely } from 'kysely';
import { columnTypes, isPostgres } from './dialect.js';

/**
 * Audio assets (voice lines, music, ambience for references): `kind` may be 'audio', whose rows
 * keep width and height 0. SQLite cannot change a CHECK constraint in place, so the table is
 * rebuilt with the new one and its rows copied (nothing references `assets`, so the drop cascades
 * nowhere); PostgreSQL changes the constraint it named when the table was created.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, "('image', 'video', 'audio')");
}

export async function down(db: Kysely<any>): Promise<void> {
  // The old schema has no place for audio: those rows go (their blobs become orphans the sweep removes).
  await db.deleteFrom('assets').where('kind', '=', 'audio').execute();
  await rebuild(db, "('image', 'video')");
}

async function rebuild(db: Kysely<any>, kinds: string): Promise<void> {
  if (isPostgres(db)) {
    const check = sql.id('assets_kind_check');
    await sql`alter table assets drop constraint ${check}, add constraint ${check} check (kind in ${sql.raw(kinds)})`.execute(db);
    return;
  }
  const t = columnTypes(db);
  await db.schema
    .createTable('assets_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ${sql.raw(kinds)}`))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', t.int, (c) => c.notNull())
    .addColumn('width', t.int, (c) => c.notNull())
    .addColumn('height', t.int, (c) => c.notNull())
    .addColumn('duration_sec', t.real)
    .addColumn('fps', t.real)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('upload', 'take', 'derived')`))
    .addColumn('poster_sha256', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.int, (c) => c.notNull())
    .execute();
  const columns = sql.raw('id, board_id, sha256, kind, mime, bytes, width, height, duration_sec, fps, name, origin, poster_sha256, created_by, created_at');
  await sql`insert into assets_next (${columns}) select ${columns} from assets`.execute(db);
  await db.schema.dropTable('assets').execute();
  await db.schema.alterTable('assets_next').renameTo('assets').execute();
  await db.schema.createIndex('assets_board_sha').on('assets').columns(['board_id', 'sha256']).unique().execute();
  await db.schema.createIndex('assets_sha').on('assets').column('sha256').execute();
  await db.schema.createIndex('assets_by_creator').on('assets').columns(['created_by', 'bytes']).execute();
}
