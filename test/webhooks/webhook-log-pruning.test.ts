/**
 * The owner's delivery log does not grow forever: finished deliveries older than the kept window
 * leave it (with their attempts), pending ones stay whatever their age; the window runs from when a
 * delivery finished, so an old one resent by hand stays its full time after the resend. A real
 * migrated libSQL file, the dispatcher itself on a manual clock, and a real receiver on loopback.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openLibsql, type LibsqlDb } from '../../server/db/open.js';
import { createWebhookDispatcher } from '../../server/outgoing-webhooks/dispatcher.js';
import { requeueDelivery } from '../../server/outgoing-webhooks/webhooks.queries.js';
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
      // Pending rows are due far in the future, so the dispatcher does not try to send them here;
      // a finished row's next_attempt_at is when it finished (as the dispatcher writes it), here a minute after it was made.
      next_attempt_at: status === 'pending' ? now + 365 * DAY : now - ageDays * DAY + 60_000, created_at: now - ageDays * DAY,
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

  it('keeps an old delivery resent by hand for the whole window after the resend finishes, then forgets it', async () => {
    const db = database.db;
    const clock = manualClock(200 * DAY);
    const now = clock.now();
    const got: string[] = [];
    const receiver = http.createServer((req, res) => {
      got.push(String(req.headers['webhook-id']));
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    await db.insertInto('users').values({ id: 'u2', email: 'u2@example.test', name: 'Rae', city: null, password_hash: 'x', created_at: 0 }).execute();
    await db.insertInto('boards').values({ id: 'b2', title: 'Resent', created_by: 'u2', created_at: 0, updated_at: 0 }).execute();
    await db.insertInto('webhook_endpoints').values({ id: 'e2', board_id: 'b2', url: `http://${host}/hooks`, events: '["take.succeeded"]', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', created_by: 'u2', created_at: 0 }).execute();
    // Made and failed 40 days ago; one beside it that nobody resends.
    const old = (id: string) => ({ id, endpoint_id: 'e2', board_id: 'b2', event: 'take.succeeded', body: '{"type":"take.succeeded"}', status: 'failed' as const, attempts: 5, next_attempt_at: now - 40 * DAY + 3 * 3_600_000, created_at: now - 40 * DAY });
    await db.insertInto('webhook_deliveries').values([old('msg_resent'), old('msg_left')]).execute();
    await db.insertInto('webhook_attempts').values([
      { delivery_id: 'msg_resent', at: now - 40 * DAY + 3 * 3_600_000, status_code: 500, error: null, body_excerpt: 'down', duration_ms: 5 },
    ]).execute();
    const ids = async () => (await db.selectFrom('webhook_deliveries').select('id').where('board_id', '=', 'b2').orderBy('id').execute()).map((r) => r.id);
    /** One dispatcher run: started (it prunes at once), stopped when `until` holds. */
    const run = async (until: () => Promise<boolean>, what: string) => {
      const dispatcher = createWebhookDispatcher({ db, clock, log: createLogger('silent') }, { keepLogMs: 30 * DAY, pollMs: 50, allowHosts: [host] });
      dispatcher.start();
      try {
        await waitFor(async () => ((await until()) ? true : null), what);
      } finally {
        await dispatcher.close();
      }
    };
    try {
      expect(await requeueDelivery(db, 'b2', 'e2', 'msg_resent', now)).toBe('queued');
      const status = async () => (await db.selectFrom('webhook_deliveries').select('status').where('id', '=', 'msg_resent').executeTakeFirst())?.status;
      await run(async () => (await status()) === 'succeeded', 'the resent delivery delivered');
      expect(got).toEqual(['msg_resent']);

      // The next pruning (a dispatcher starting prunes at once; an old row to see that it ran) keeps it.
      clock.advance(DAY);
      await db.insertInto('webhook_deliveries').values(old('msg_marker')).execute();
      await run(async () => !(await ids()).includes('msg_marker'), 'a prune pass');
      expect(await ids()).toEqual(['msg_resent']);
      const attempts = await db.selectFrom('webhook_attempts').select(['at', 'status_code']).where('delivery_id', '=', 'msg_resent').orderBy('id').execute();
      expect(attempts.map((a) => a.status_code)).toEqual([500, 200]);

      // 30 days after the resend finished, it goes too.
      clock.advance(29 * DAY + 1);
      await run(async () => (await ids()).length === 0, 'the resent delivery forgotten 30 days after the resend');
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});
