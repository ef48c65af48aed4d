import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.js';

/** Uploaded and generated media of a board; bytes live in the blob store under their SHA-256. */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image', 'video')`))
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
  await db.schema.createIndex('assets_board_sha').on('assets').columns(['board_id', 'sha256']).unique().execute();
  await db.schema.createIndex('assets_sha').on('assets').column('sha256').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assets').execute();
}
