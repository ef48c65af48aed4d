import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LIMITS } from '../shared/api.js';
import { authRoutes } from './auth/auth.routes.js';
import { requireUser } from './auth/middleware.js';
import { createBoardEvents, type BoardEvents } from './boards/board-events.js';
import { boardRoutes } from './boards/boards.routes.js';
import { boardInviteRoutes, inviteRoutes } from './boards/invites.routes.js';
import type { AppDeps } from './deps.js';
import { AppError } from './errors.js';
import type { AppEnv } from './http/env.js';
import { errorHandler } from './http/errors.js';
import { requireSameOrigin } from './http/origin.js';
import { mountClient } from './http/static.js';

export interface CreateAppOptions extends AppDeps {
  /** Built client to serve at `/`; a placeholder page when absent. */
  clientDir?: string;
}

export interface TakeboardApp {
  app: Hono<AppEnv>;
  boardEvents: BoardEvents;
  /** Stops background work; the caller closes the HTTP server and the database. */
  close(): Promise<void>;
}

/** Builds the whole HTTP app from its dependencies. Does no I/O until a request arrives. */
export function createApp(opts: CreateAppOptions): TakeboardApp {
  const boardEvents = createBoardEvents();
  const deps = { ...opts, boardEvents };
  const app = new Hono<AppEnv>();

  app.onError(errorHandler(opts.log));
  app.use('/api/*', requireSameOrigin(opts.publicOrigin));
  app.use('/api/*', bodyLimit({ maxSize: LIMITS.jsonBodyMaxBytes }));

  app.get('/api/health', (c) => c.json({ ok: true }));
  app.route('/api/auth', authRoutes(deps));
  app.get('/api/me', requireUser(deps), (c) => c.json(c.get('user')));
  app.route('/api/boards/:boardId/invites', boardInviteRoutes(deps));
  app.route('/api/boards', boardRoutes(deps));
  app.route('/api/invites', inviteRoutes(deps));
  app.all('/api/*', (c) => {
    throw new AppError('not_found', `No API route ${c.req.method} ${c.req.path}`);
  });

  mountClient(app, opts.clientDir);

  return {
    app,
    boardEvents,
    async close() {},
  };
}
