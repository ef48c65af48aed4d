import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { INVITE_ROLES, type Invite, type InvitePreview } from '../../shared/api.js';
import { requireUser } from '../auth/middleware.js';
import { linkGuessKey, openGuessThrottled, type AuthThrottleRules, type ThrottleRule } from '../auth/throttle.js';
import type { ClientAddress } from '../http/client-address.js';
import type { Database, InvitesTable } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { BoardEvents } from './board-events.js';
import type { AppEnv } from '../http/env.js';
import { hashToken, newId, newToken } from '../lib/ids.js';
import { boardRoles } from './access.js';
import { insertInvite, inviteByTokenHash, invitesOf, joinByInvite, revokeInvite } from './invites.queries.js';

const DEFAULT_INVITE_HOURS = 7 * 24;
export const CreateInvite = z.object({
  role: z.enum(INVITE_ROLES),
  expiresInHours: z.number().int().min(1).max(30 * 24).optional(),
});

const iso = (ms: number) => new Date(ms).toISOString();
const toInvite = (r: InvitesTable): Invite => ({
  id: r.id,
  role: r.role,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
});

/** Owner-side invite management, mounted under /api/boards/:boardId/invites. */
export function boardInviteRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const owner = boardRoles(db)('owner');
  app.use('*', requireUser(deps));

  app.post('/', owner, async (c) => {
    const boardId = c.get('board').id;
    const body = await readJson(c, CreateInvite);
    const token = newToken();
    const now = clock.now();
    const row: InvitesTable = {
      id: newId(),
      token_hash: hashToken(token),
      board_id: boardId,
      role: body.role,
      created_by: c.get('user').id,
      created_at: now,
      expires_at: now + (body.expiresInHours ?? DEFAULT_INVITE_HOURS) * 3_600_000,
      revoked_at: null,
    };
    await insertInvite(db, row);
    return c.json({ ...toInvite(row), token, url: `${deps.publicOrigin}/invite/${token}` }, 201);
  });

  app.get('/', owner, async (c) => c.json((await invitesOf(db, c.get('board').id)).map(toInvite)));

  app.delete('/:inviteId', owner, async (c) => {
    if (!(await revokeInvite(db, c.get('board').id, c.req.param('inviteId'), clock.now()))) throw new AppError('not_found', 'Invite not found or already revoked');
    return c.body(null, 204);
  });

  return app;
}

/**
 * The invitee's side, mounted under /api/invites: preview a link and accept it. Links that turn
 * out unknown, revoked or expired count against the address (and the account, when signed in):
 * guessing tokens is throttled like guessing passwords; a link that works gives its slot back.
 * Review links' secrets that do not work count against the same per-address allowance.
 */
export function inviteRoutes(deps: AppDeps & { clientAddress: ClientAddress; authRules: AuthThrottleRules; boardEvents: BoardEvents }) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();

  async function throttledInvite(c: Context<AppEnv>, userId: string | null) {
    const keys: [string, ThrottleRule][] = [[linkGuessKey(deps.clientAddress(c)), deps.authRules.inviteIp]];
    if (userId) keys.unshift([`invite-user:${userId}`, deps.authRules.inviteUser]);
    return openGuessThrottled(db, clock, keys, 'Too many invite links that did not work', () => usableInvite(db, clock.now(), c.req.param('token')!));
  }

  app.get('/:token', async (c) => {
    const { invite, title } = await throttledInvite(c, null);
    const preview: InvitePreview = { boardTitle: title, role: invite.role, expiresAt: iso(invite.expires_at) };
    return c.json(preview);
  });

  app.post('/:token/accept', requireUser(deps), async (c) => {
    const userId = c.get('user').id;
    const { invite } = await throttledInvite(c, userId);
    const { role, before } = await joinByInvite(db, invite, userId, clock.now());
    // Open boards show the newcomer at once; a member raised by the link gets the role live.
    const user = c.get('user');
    if (before === null) deps.boardEvents.emit({ type: 'member-added', boardId: invite.board_id, userId });
    else if (before !== role) deps.boardEvents.emit({ type: 'member-role-changed', boardId: invite.board_id, userId, role, by: { id: user.id, name: user.name } });
    return c.json({ boardId: invite.board_id, role });
  });

  return app;
}

async function usableInvite(db: Kysely<Database>, now: number, token: string) {
  const row = await inviteByTokenHash(db, hashToken(token));
  if (!row) throw new AppError('not_found', 'This invite link is not valid');
  if (row.revoked_at !== null) throw new AppError('gone', 'This invite link was revoked by the board owner');
  if (now >= row.expires_at) throw new AppError('gone', 'This invite link has expired; ask the board owner for a new one');
  const { title, ...invite } = row;
  return { invite: invite as InvitesTable, title };
}
