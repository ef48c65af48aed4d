/**
 * Every statement about outgoing webhooks: endpoints, the delivery queue and the attempts log.
 * Kysely's builder only, so PostgreSQL runs them as they are.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../db/schema.js';

export async function endpointsOf(db: Kysely<Database>, boardId: string): Promise<WebhookEndpointsTable[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('board_id', '=', boardId).orderBy('created_at').orderBy('id').execute();
}

export async function insertEndpoint(db: Kysely<Database>, row: WebhookEndpointsTable): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

/** Changes one endpoint of the board; the row as it is now, or undefined when there is none. */
export async function updateEndpoint(
  db: Kysely<Database>,
  boardId: string,
  endpointId: string,
  set: Partial<Pick<WebhookEndpointsTable, 'url' | 'events' | 'secret' | 'previous_secret' | 'previous_secret_until'>>,
): Promise<WebhookEndpointsTable | undefined> {
  await db.updateTable('webhook_endpoints').set(set).where('board_id', '=', boardId).where('id', '=', endpointId).execute();
  return endpointOf(db, boardId, endpointId);
}

/**
 * A new signing secret, the current one kept as the previous until `previousUntil`: one statement,
 * so two rotations at once cannot lose the secret the first one showed.
 */
export async function rotateSecret(db: Kysely<Database>, boardId: string, endpointId: string, secret: string, previousUntil: number): Promise<WebhookEndpointsTable | undefined> {
  await db
    .updateTable('webhook_endpoints')
    .set({ previous_secret: sql.ref('secret'), secret, previous_secret_until: previousUntil })
    .where('board_id', '=', boardId)
    .where('id', '=', endpointId)
    .execute();
  return endpointOf(db, boardId, endpointId);
}

export async function endpointOf(db: Kysely<Database>, boardId: string, endpointId: string): Promise<WebhookEndpointsTable | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('board_id', '=', boardId).where('id', '=', endpointId).executeTakeFirst();
}

/**
 * Queues a finished delivery of the endpoint again, from its first attempt, keeping its id and body
 * (so its `webhook-id`) and its log; new attempts are appended. Only a finished one: a pending
 * delivery is still being tried. What happened: 'queued', 'pending' or 'missing'.
 */
export async function requeueDelivery(db: Kysely<Database>, boardId: string, endpointId: string, deliveryId: string, now: number): Promise<'queued' | 'pending' | 'missing'> {
  const res = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now })
    .where('board_id', '=', boardId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .where('status', '!=', 'pending')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) > 0) return 'queued';
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('status')
    .where('board_id', '=', boardId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  return row ? 'pending' : 'missing';
}

/** Deletes one endpoint of the board (its deliveries and their log go with it); whether it existed. */
export async function deleteEndpoint(db: Kysely<Database>, boardId: string, endpointId: string): Promise<boolean> {
  const res = await db.deleteFrom('webhook_endpoints').where('board_id', '=', boardId).where('id', '=', endpointId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function insertDeliveries(db: Kysely<Database>, rows: readonly WebhookDeliveriesTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('webhook_deliveries').values([...rows]).execute();
}

/** Pending deliveries due at `now`, oldest first, with what sending them needs. */
export async function dueDeliveries(db: Kysely<Database>, now: number, limit: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.body', 'd.attempts', 'd.next_attempt_at', 'e.url', 'e.secret', 'e.previous_secret', 'e.previous_secret_until'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .orderBy('d.next_attempt_at')
    .limit(limit)
    .execute();
}

/** The next time a pending delivery is due, or null when none is pending. */
export async function nextDueAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('status', '=', 'pending').executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}

/**
 * Takes a due delivery for one attempt by moving its due time to `leaseUntil`, only if nobody
 * else moved it first (another instance, or an earlier loop): whether this caller has it now.
 */
export async function claimDelivery(db: Kysely<Database>, id: string, seenDueAt: number, leaseUntil: number): Promise<boolean> {
  const res = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '=', seenDueAt)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Stores one attempt's answer and where the delivery stands after it. */
export async function recordAttempt(
  db: Kysely<Database>,
  attempt: Omit<WebhookAttemptsTable, 'id'>,
  next: Pick<WebhookDeliveriesTable, 'status' | 'attempts' | 'next_attempt_at'>,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('webhook_attempts').values(attempt).execute();
    await tx.updateTable('webhook_deliveries').set(next).where('id', '=', attempt.delivery_id).execute();
  });
}

/**
 * Forgets deliveries that finished before `before` (their attempts go with them by cascade). A
 * finished row's `next_attempt_at` is when its last attempt ended (`recordAttempt` sets it so), so
 * an old delivery resent by hand stays its full time after the resend finishes, not after it was
 * first created; pending ones stay whatever their age, so pruning never drops a retry. Uses the
 * (status, next_attempt_at) index. How many went.
 */
export async function pruneFinished(db: Kysely<Database>, before: number): Promise<number> {
  const res = await db.deleteFrom('webhook_deliveries').where('status', 'in', ['succeeded', 'failed']).where('next_attempt_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** The latest deliveries of a board's endpoint (newest first) with every attempt of each. */
export async function deliveriesOf(db: Kysely<Database>, boardId: string, endpointId: string, limit: number) {
  const deliveries = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('board_id', '=', boardId)
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  const attempts =
    deliveries.length === 0
      ? []
      : await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveries.map((d) => d.id)).orderBy('id').execute();
  return { deliveries, attempts };
}
