/**
 * The caller's personal access tokens, under /api/auth/tokens: create (the secret answered once),
 * list, revoke. Signed-in people only: a token can never make, see or revoke tokens.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { API_TOKEN_ACCESS, API_TOKEN_MAX_DAYS, API_TOKENS_MAX_ACTIVE, type ApiTokenCreated } from '../../shared/api.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { createApiToken, describeApiTokens } from './api-tokens.js';
import { countActiveApiTokens, listUserApiTokens, memberBoardTitles, revokeApiToken } from './api-tokens.queries.js';
import { requireUser } from './middleware.js';
import { reserveAll, type AuthThrottleRules } from './throttle.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const NAME_MAX = 80;
/** More boards than anyone is a member of is a mistake or an attack; "all" is there for that. */
const BOARDS_MAX = 200;

export const CreateToken = z.object({
  name: z.string().trim().min(1, 'is required: a name that says where the token is used').max(NAME_MAX, `must be at most ${NAME_MAX} characters`),
  boards: z.union([z.literal('all'), z.array(z.string().min(1).max(64)).min(1, 'must name at least one board, or be "all"').max(BOARDS_MAX, `must name at most ${BOARDS_MAX} boards, or be "all"`)], {
    message: 'must be "all" or a list of board ids you are a member of',
  }),
  access: z.enum(API_TOKEN_ACCESS, { message: `must be one of ${API_TOKEN_ACCESS.join(', ')}` }),
  expiresInDays: z
    .number({ message: `must be a whole number of days from 1 to ${API_TOKEN_MAX_DAYS}, or null for never` })
    .int(`must be a whole number of days from 1 to ${API_TOKEN_MAX_DAYS}, or null for never`)
    .min(1, `must be a whole number of days from 1 to ${API_TOKEN_MAX_DAYS}, or null for never`)
    .max(API_TOKEN_MAX_DAYS, `must be a whole number of days from 1 to ${API_TOKEN_MAX_DAYS}, or null for never`)
    .nullable()
    .default(null),
});

const TOKEN_ID = /^[a-z2-7]{24}$/;

export function apiTokenRoutes(deps: AppDeps & { authRules: AuthThrottleRules }) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(deps));

  app.get('/', async (c) => {
    const userId = c.get('user').id;
    return c.json(await describeApiTokens(db, userId, await listUserApiTokens(db, userId), clock.now()));
  });

  app.post('/', async (c) => {
    const userId = c.get('user').id;
    const body = await readJson(c, CreateToken);
    const boards = body.boards === 'all' ? null : [...new Set(body.boards)];
    if (boards) {
      const mine = new Set((await memberBoardTitles(db, userId, boards)).map((b) => b.id));
      const stranger = boards.find((id) => !mine.has(id));
      if (stranger !== undefined) throw new AppError('invalid_field', `boards: ${stranger} is not a board you are a member of`, { field: 'boards' });
    }
    const now = clock.now();
    if ((await countActiveApiTokens(db, userId, now)) >= API_TOKENS_MAX_ACTIVE) {
      throw new AppError('conflict', `You have ${API_TOKENS_MAX_ACTIVE} active API tokens, the most allowed; revoke one you no longer use first`);
    }
    await reserveAll(db, clock, [[`token-create:${userId}`, deps.authRules.tokenCreate]], 'Too many API tokens created');
    const expiresAt = body.expiresInDays === null ? null : now + body.expiresInDays * DAY_MS;
    const { id, secret } = await createApiToken(db, clock, userId, { name: body.name, boards, access: body.access, expiresAt });
    const [token] = await describeApiTokens(db, userId, [{ id, name: body.name, boards: boards && JSON.stringify(boards), access: body.access, created_at: now, last_used_at: null, expires_at: expiresAt, revoked_at: null }], now);
    return c.json({ token: token!, secret } satisfies ApiTokenCreated, 201);
  });

  app.delete('/:id', async (c) => {
    const id = c.req.param('id');
    if (!TOKEN_ID.test(id)) throw new AppError('invalid_field', 'id must be a token id as GET /api/auth/tokens lists it', { field: 'id' });
    if (!(await revokeApiToken(db, c.get('user').id, id, clock.now()))) throw new AppError('not_found', 'No such token of yours; it may have been revoked already');
    return c.body(null, 204);
  });

  return app;
}
