import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { runOnPostgres } from '../db/postgres-batch.js';
import { appendUpdates, compactDoc, deleteDoc, loadDoc } from './documents.queries.js';
import type { DocStorage } from './storage.js';

/**
 * DocStorage over PostgreSQL: the same statements as the libSQL storage, each batch one
 * transaction on the pool that has committed before `append` resolves (so before the hub relays).
 */
export function createPostgresStorage(db: Kysely<Database>, clock: Clock): DocStorage {
  const run = runOnPostgres(db);
  return {
    load: (boardId) => loadDoc(db, boardId),
    append: (items) => appendUpdates(run, items, clock.now()),
    compact: (boardId, req) => compactDoc(run, boardId, req, clock.now()),
    delete: (boardId) => deleteDoc(run, boardId),
  };
}
