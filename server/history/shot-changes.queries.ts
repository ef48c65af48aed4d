import type { Kysely } from 'kysely';
import type { ShotChangeEntry, ShotChangeField } from '../../shared/api.js';
import type { Database } from '../db/schema.js';
import type { Stmt } from '../db/batch.js';
import { CREATED, type ShotChange } from './shot-changes.js';

/**
 * Longest before/after text kept per entry, in characters. Above the prompt limit
 * (shared/generation MAX_PROMPT_CHARS) so every prompt that can be sent can be restored; an
 * entry cut to it says so and is shown, not restored.
 */
export const MAX_CHANGE_CHARS = 8000;
/** Typing by one person in one field with pauses shorter than this is one entry. */
export const COALESCE_MS = 2 * 60_000;

/**
 * The entry this change may extend: the person's latest in this field, recent enough. Per person,
 * so two people typing in one prompt at once make two growing entries, not one row per keystroke.
 * ?1 board ?2 shot ?3 field ?4 user ?5 cutoff
 */
const EXTENDABLE = `SELECT id FROM shot_changes
WHERE id = (SELECT max(id) FROM shot_changes WHERE board_id = ?1 AND shot_id = ?2 AND field = ?3 AND user_id = ?4)
  AND changed_at >= ?5`;

/**
 * ?6 after ?7 truncated ?8 now. Never with an older text than the entry holds: a journal replayed
 * after a crash (server/sync/journaled-storage.ts) may write an extension a second time.
 */
const EXTEND = `UPDATE shot_changes SET after_text = ?6, truncated = CASE WHEN truncated > ?7 THEN truncated ELSE ?7 END, changed_at = ?8
WHERE id = (${EXTENDABLE}) AND changed_at <= ?8`;

/** ?6 before ?7 after ?8 truncated ?9 now; only when there was no entry to extend (EXTEND just made the latest one current). */
const INSERT_UNLESS_EXTENDED = `INSERT INTO shot_changes (board_id, shot_id, field, user_id, before_text, after_text, truncated, created_at, changed_at)
SELECT ?1, ?2, ?3, ?4, ?6, ?7, ?8, ?9, ?9
WHERE NOT EXISTS (${EXTENDABLE})`;

const INSERT = `INSERT INTO shot_changes (board_id, shot_id, field, user_id, before_text, after_text, truncated, created_at, changed_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The statements recording `changes` by `userId`, to run in the transaction that stores the
 * update they came from (server/sync/documents.queries.ts): both are stored, or neither. Indexed lookups
 * only, no read back to this thread. An extend-only change moves the open entry's text on and
 * never starts one (its `before` is not known).
 */
export function recordChangeStmts(boardId: string, userId: string, changes: readonly ShotChange[], now: number): Stmt[] {
  const out: Stmt[] = [];
  for (const c of changes) {
    const before = bound(c.before);
    const after = bound(c.after);
    const truncated = before.cut || after.cut ? 1 : 0;
    if (c.field === CREATED) {
      out.push({ sql: INSERT, args: [boardId, c.shotId, c.field, userId, before.text, after.text, truncated, now, now] });
      continue;
    }
    const cutoff = now - COALESCE_MS;
    out.push({ sql: EXTEND, args: [boardId, c.shotId, c.field, userId, cutoff, after.text, truncated, now] });
    if (!c.extendOnly) out.push({ sql: INSERT_UNLESS_EXTENDED, args: [boardId, c.shotId, c.field, userId, cutoff, before.text, after.text, truncated, now] });
  }
  return out;
}

export const DELETE_BOARD_CHANGES = 'DELETE FROM shot_changes WHERE board_id = ?';

function bound(text: string): { text: string; cut: boolean } {
  return text.length <= MAX_CHANGE_CHARS ? { text, cut: false } : { text: text.slice(0, MAX_CHANGE_CHARS), cut: true };
}

/** A shot's history, newest first; entries whose typing ended where it began are left out. */
export async function shotHistory(db: Kysely<Database>, boardId: string, shotId: string, limit: number): Promise<ShotChangeEntry[]> {
  const rows = await db
    .selectFrom('shot_changes')
    .leftJoin('users', 'users.id', 'shot_changes.user_id')
    .select([
      'shot_changes.id', 'shot_changes.field', 'shot_changes.user_id', 'users.name', 'shot_changes.before_text',
      'shot_changes.after_text', 'shot_changes.truncated', 'shot_changes.created_at', 'shot_changes.changed_at',
    ])
    .where('shot_changes.board_id', '=', boardId)
    .where('shot_changes.shot_id', '=', shotId)
    .whereRef('shot_changes.before_text', '!=', 'shot_changes.after_text')
    .orderBy('shot_changes.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    field: r.field as ShotChangeField,
    userId: r.user_id,
    userName: r.name ?? '',
    before: r.before_text,
    after: r.after_text,
    truncated: r.truncated === 1,
    startedAt: new Date(r.created_at).toISOString(),
    changedAt: new Date(r.changed_at).toISOString(),
  }));
}
