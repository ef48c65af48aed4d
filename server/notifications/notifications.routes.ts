import { Hono } from 'hono';
import { z } from 'zod';
import type { NotificationList } from '../../shared/api.js';
import { getCookie } from 'hono/cookie';
import { requireUser } from '../auth/middleware.js';
import { SESSION_COOKIE, validateSessionToken } from '../auth/sessions.js';
import type { BoardEvents } from '../boards/board-events.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { limitParam, readJson, readQuery } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { streamBoardEvents } from '../http/sse.js';
import type { StreamCaps } from '../http/stream-caps.js';
import { countUnread, listNotifications, markRead, ownIds } from './notifications.queries.js';
import type { Notifier } from './notifier.js';

/** At most this many entries are listed, and marked read by id in one request. */
export const MAX_NOTIFICATIONS = 100;
const DEFAULT_LIMIT = 50;

export const ListQuery = z.object({ limit: limitParam(MAX_NOTIFICATIONS, DEFAULT_LIMIT) });

export const ReadBody = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1, 'name at least one notification').max(MAX_NOTIFICATIONS, `at most ${MAX_NOTIFICATIONS} at once`),
});

export interface NotificationRouteDeps extends AppDeps {
  notifier: Notifier;
  streams: StreamCaps;
  boardEvents?: BoardEvents;
}

/** The caller's inbox under /api/notifications: list, mark read, mark all read, live unread count. */
export function notificationRoutes(deps: NotificationRouteDeps) {
  const { db, clock, notifier } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(deps));

  const answer = async (userId: string, limit = DEFAULT_LIMIT): Promise<NotificationList> => ({
    items: await listNotifications(db, userId, limit),
    unread: await countUnread(db, userId),
  });

  app.get('/', async (c) => {
    const { limit } = readQuery(c, ListQuery);
    return c.json(await answer(c.get('user').id, limit));
  });

  app.post('/read', async (c) => {
    const userId = c.get('user').id;
    const { ids } = await readJson(c, ReadBody);
    const own = await ownIds(db, userId, ids);
    const stranger = ids.findIndex((id) => !own.has(id));
    if (stranger >= 0) throw new AppError('not_found', `ids[${stranger}]: not one of your notifications`, { field: `ids.${stranger}` });
    await markRead(db, userId, ids, clock.now());
    await notifier.recount(userId);
    return c.json(await answer(userId));
  });

  app.post('/read-all', async (c) => {
    const userId = c.get('user').id;
    await markRead(db, userId, null, clock.now());
    await notifier.recount(userId);
    return c.json(await answer(userId));
  });

  /** `unread` events ({ unread }) on every change, for every tab of the user; ends with the session. */
  app.get('/events', async (c) => {
    const userId = c.get('user').id;
    const sessionId = c.get('session').id;
    const token = getCookie(c, SESSION_COOKIE)!;
    const release = deps.streams.acquire(userId);
    return streamBoardEvents(c, notifier.unread, userId, 'unread', {
      release,
      // The inbox spans boards: the stream lasts as long as the session does.
      stillMember: async () => Boolean(await validateSessionToken(db, clock, token)),
      watch: (end) => deps.boardEvents?.on((e) => e.type === 'sessions-ended' && e.sessionIds.includes(sessionId) && end()) ?? (() => {}),
    });
  });

  return app;
}
