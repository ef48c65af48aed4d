import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { serializeOn } from '../db/engine.js';

/**
 * A member's presence colour slot on a board: the one they were given, while no other current
 * member holds it; otherwise the smallest slot no current member holds, kept from then on. So
 * colours follow the order people came to the board, stay put per user, and the first twelve
 * people present never share one (presence.ts has twelve colours).
 */
export async function colourSlot(db: Kysely<Database>, boardId: string, userId: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await serializeOn(tx, `board:${boardId}`);
    const rows = await tx
      .selectFrom('presence_colours as p')
      .innerJoin('board_members as m', (j) => j.onRef('m.board_id', '=', 'p.board_id').onRef('m.user_id', '=', 'p.user_id'))
      .select(['p.user_id', 'p.slot'])
      .where('p.board_id', '=', boardId)
      .execute();
    const own = rows.find((r) => r.user_id === userId)?.slot;
    const taken = new Set(rows.filter((r) => r.user_id !== userId).map((r) => r.slot));
    if (own !== undefined && !taken.has(own)) return own;
    let slot = 0;
    while (taken.has(slot)) slot += 1;
    await tx
      .insertInto('presence_colours')
      .values({ board_id: boardId, user_id: userId, slot })
      .onConflict((oc) => oc.columns(['board_id', 'user_id']).doUpdateSet({ slot }))
      .execute();
    return slot;
  });
}
