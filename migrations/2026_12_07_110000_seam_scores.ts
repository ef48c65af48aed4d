import type { Kysely } from 'kysely';

/**
 * Seam scores: how well each chained cut holds, per pair of takes (the upstream take whose end
 * meets the downstream take's start). Scored in the background by server/seams; a pair that
 * cannot be scored keeps its reason (`why`) instead of figures. Gone with the board.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('seam_scores')
    .addColumn('upstream_take_id', 'text', (c) => c.notNull())
    .addColumn('downstream_take_id', 'text', (c) => c.notNull())
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
    .addColumn('upstream_shot_id', 'text', (c) => c.notNull())
    .addColumn('downstream_shot_id', 'text', (c) => c.notNull())
    // 'scored' with the figures below, or 'not-scored' with `why`.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision')
    .addColumn('ssim', 'double precision')
    .addColumn('colour_distance', 'double precision')
    .addColumn('motion', 'double precision')
    .addColumn('why', 'text')
    .addColumn('scored_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('seam_scores_pk', ['upstream_take_id', 'downstream_take_id'])
    .execute();
  await db.schema.createIndex('seam_scores_by_board').on('seam_scores').column('board_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('seam_scores').execute();
}
