/**
 * Personal access tokens: a secret `tb_pat_…` shown once at creation, stored as its SHA-256 like
 * a session token. A token carries a grant (which boards, read or write) that `boardRole` applies
 * on top of the owner's current membership, so a token never does more than its owner may now.
 */
import type { Kysely } from 'kysely';
import { API_TOKEN_PREFIX, type ApiTokenAccess, type ApiTokenInfo, type User } from '../../shared/api.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { hashToken, newId, newToken } from '../lib/ids.js';
import { apiTokenWithUser, insertApiToken, memberBoardTitles, touchApiToken, type ApiTokenRow } from './api-tokens.queries.js';
import { SEEN_EVERY_MS } from './sessions.js';

/** What a token lets its bearer do, set on the request as `c.get('token')`. */
export interface TokenGrant {
  id: string;
  /** null: every board the owner is a member of. */
  boards: readonly string[] | null;
  access: ApiTokenAccess;
}

const SECRET = new RegExp(`^${API_TOKEN_PREFIX}[a-z2-7]{32}$`);

export interface NewApiToken {
  name: string;
  boards: readonly string[] | null;
  access: ApiTokenAccess;
  expiresAt: number | null;
}

/** Stores a new token for `userId`; the secret is returned here and nowhere else. */
export async function createApiToken(db: Kysely<Database>, clock: Clock, userId: string, t: NewApiToken): Promise<{ id: string; secret: string }> {
  const secret = API_TOKEN_PREFIX + newToken();
  const id = newId();
  await insertApiToken(db, {
    id,
    user_id: userId,
    secret_hash: hashToken(secret),
    name: t.name,
    boards: t.boards === null ? null : JSON.stringify(t.boards),
    access: t.access,
    created_at: clock.now(),
    last_used_at: null,
    expires_at: t.expiresAt,
    revoked_at: null,
  });
  return { id, secret };
}

/**
 * The account and grant behind a bearer secret, or a 401 that says plainly why not: not a token,
 * unknown, revoked, expired. Records when it was last used (to the minute, like sessions).
 */
export async function validateApiToken(db: Kysely<Database>, clock: Clock, secret: string): Promise<{ user: User; grant: TokenGrant }> {
  if (!SECRET.test(secret)) throw new AppError('unauthorized', `This is not a Takeboard API token (they start with ${API_TOKEN_PREFIX}); create one on your account page`);
  const row = await apiTokenWithUser(db, hashToken(secret));
  if (!row) throw new AppError('unauthorized', 'This API token is unknown; create one on your account page');
  if (row.revoked_at !== null) throw new AppError('unauthorized', 'This API token was revoked');
  const now = clock.now();
  if (row.expires_at !== null && now >= row.expires_at) {
    throw new AppError('unauthorized', `This API token expired on ${new Date(row.expires_at).toISOString()}`);
  }
  if (row.last_used_at === null || now - row.last_used_at >= SEEN_EVERY_MS) await touchApiToken(db, row.id, now);
  return {
    user: { id: row.user_id, email: row.email, name: row.name, city: row.city },
    grant: { id: row.id, boards: parseBoards(row.boards), access: row.access },
  };
}

function parseBoards(stored: string | null): string[] | null {
  return stored === null ? null : (JSON.parse(stored) as string[]);
}

/** The tokens as the account page lists them, with the titles of the boards they name. */
export async function describeApiTokens(db: Kysely<Database>, userId: string, rows: readonly ApiTokenRow[], now: number): Promise<ApiTokenInfo[]> {
  const named = [...new Set(rows.flatMap((r) => parseBoards(r.boards) ?? []))];
  const titles = new Map((await memberBoardTitles(db, userId, named)).map((b) => [b.id, b.title]));
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return rows.map((r) => {
    const boards = parseBoards(r.boards);
    return {
      id: r.id,
      name: r.name,
      boards: boards === null ? 'all' : boards.map((id) => ({ id, title: titles.get(id) ?? null })),
      access: r.access,
      createdAt: iso(r.created_at)!,
      lastUsedAt: iso(r.last_used_at),
      expiresAt: iso(r.expires_at),
      expired: r.expires_at !== null && now >= r.expires_at,
    };
  });
}
