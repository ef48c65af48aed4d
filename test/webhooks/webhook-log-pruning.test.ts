/**
 * The owner's delivery log does not grow forever: finished deliveries older than the kept window
 * leave it (with their attempts), pending ones stay whatever their age. A real migrated libSQL file
 * and the dispatcher itself, on a manual clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openLibsql, type LibsqlDb } from '../../server/db/open.js';
import { createWebhookDispatcher } from '../../server/outgoing-webhooks/dispatcher.js';
import { manualClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { waitFor } from '../helpers/wait.js';

const DAY = 86_400_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-webhook-prune-'));
let database: LibsqlDb;

beforeAll(async () => {
  database = await openLibsql(`file:${path.join(dir, 'takeboard.db')}`);
  await migrateToLatest(database.db);
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('webhook delivery log', () => {
  it('forgets finished deliveries after the kept window, keeps pending ones and everything newer', async () => {
    const db = database.db;
    const clock = manualClock(100 * DAY);
    const now = clock.now();
    await db.insertInto('users').values({ id: 'u1', email: 'u1@example.test', name: 'Olga', city: null, password_hash: 'x', created_at: 0 }).execute();
    await db.insertInto('boards').values({ id: 'b1', title: 'Hooked', created_by: 'u1', created_at: 0, updated_at: 0 }).execute();
    await db.insertInto('webhook_endpoints').values({ id: 'e1', board_id: 'b1', url: 'https://hooks.example.com/x', events: '["take.succeeded"]', secret: 'whsec_x', created_by: 'u1', created_at: 0 }).execute();
    const row = (id: string, status: 'pending' | 'succeeded' | 'failed', ageDays: number) => ({
      id, endpoint_id: 'e1', board_id: 'b1', event: 'take.succeeded', body: '{}', status, attempts: 1,
      // Pending rows are due far in the future, so the dispatcher does not try to send them here.
      next_attempt_at: now + 365 * DAY, created_at: now - ageDays * DAY,
    });
    await db.insertInto('webhook_deliveries').values([row('old-ok', 'succeeded', 40), row('old-failed', 'failed', 31), row('old-pending', 'pending', 45), row('recent-ok', 'succeeded', 29)]).execute();
    await db.insertInto('webhook_attempts').values([
      { delivery_id: 'old-ok', at: now - 40 * DAY, status_code: 200, error: null, body_excerpt: 'thanks', duration_ms: 5 },
      { delivery_id: 'recent-ok', at: now - 29 * DAY, status_code: 200, error: null, body_excerpt: 'thanks', duration_ms: 5 },
    ]).execute();

    const dispatcher = createWebhookDispatcher({ db, clock, log: createLogger('silent') }, { keepLogMs: 30 * DAY, pollMs: 60_000 });
    dispatcher.start();
    const ids = async () => (await db.selectFrom('webhook_deliveries').select('id').orderBy('id').execute()).map((r) => r.id);
    try {
      await waitFor(async () => ((await ids()).length === 2 ? true : null), 'the old finished deliveries forgotten');
    } finally {
      await dispatcher.close();
    }
    expect(await ids()).toEqual(['old-pending', 'recent-ok']);
    const attempts = await db.selectFrom('webhook_attempts').select('delivery_id').execute();
    expect(attempts.map((a) => a.delivery_id)).toEqual(['recent-ok']);
  });
});
