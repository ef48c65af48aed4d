/**
 * What a guest reaches through a review link, mounted under /api/guest. Opening the link shows the
 * board's title (`GET /links/:secret`); typing a name starts a guest session (`POST /session`, the
 * HttpOnly cookie scoped to /api/guest). With it: the board as a guest sees it (`GET /board`),
 * the media of the takes shown there (`GET /assets/:assetId[/poster]`, served as members' media
 * are) and comments on a take at a time (`POST /comments`), written into the board document by
 * the server on the guest's behalf, marked with their name (the shot's assignee and the owners
 * get an inbox entry, a few a minute per link). Nothing else: no socket, no member
 * route (those read only the members' session cookie), no other board.
 */
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type * as Y from 'yjs';
import { z } from 'zod';
import { BIDI_CONTROLS, LINE_BREAKS } from '../../shared/one-line.js';
import { addComment, getTake } from '../../shared/doc/index.js';
import {
  MAX_GUEST_COMMENT_CHARS,
  MAX_GUEST_NAME_CHARS,
  MAX_GUESTS_PER_LINK,
  type GuestBoardView,
  type GuestComment,
  type GuestIdentity,
  type ReviewLinkPreview,
} from '../../shared/review-links.js';
import { assetById } from '../assets/assets.queries.js';
import { assetNotFound, assetResponse, posterResponse, type ServeDeps } from '../assets/asset-response.js';
import { linkGuessKey, openGuessThrottled, reserveAll, type AuthThrottleRules } from '../auth/throttle.js';
import { userNames } from '../auth/auth.queries.js';
import { releaseAttempt } from '../auth/throttle.queries.js';
import type { Database } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { ClientAddress } from '../http/client-address.js';
import { hashToken, newId, newToken } from '../lib/ids.js';
import type { Notifier } from '../notifications/notifier.js';
import type { DocHub } from '../sync/hub.js';
import { GUEST_COOKIE, guestCookieOptions, linkClosed, linkRequests, requireGuest, throttleComments, type GuestEnv, type ReviewLinkRules } from './guest-session.js';
import { guestMedia, hideMentions, readGuestContent } from './guest-view.js';
import { countGuests, insertGuestSession, linkBySecretHash } from './review-links.queries.js';

export interface GuestDeps extends AppDeps, ServeDeps {
  hub: DocHub;
  notifier: Pick<Notifier, 'guestCommented'>;
  clientAddress: ClientAddress;
  authRules: AuthThrottleRules;
  reviewLinkRules: ReviewLinkRules;
}

const NAME_RULE = `name: type the name the team will see beside your comments (1 to ${MAX_GUEST_NAME_CHARS} characters)`;

/** `POST /api/guest/session`: the link's secret (from its URL) and the name the guest typed. */
export const GuestJoinBody = z.object({
  secret: z.string({ error: 'secret: the review link’s code, from its URL' }).min(1, 'secret: the review link’s code, from its URL').max(200, 'secret: at most 200 characters'),
  name: z
    .string({ error: NAME_RULE })
    .transform((s) => s.replace(LINE_BREAKS, ' ').replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, NAME_RULE).max(MAX_GUEST_NAME_CHARS, NAME_RULE)),
});

/** `POST /api/guest/comments`: a comment on one take of one shot, at a time in its clip. */
export const GuestCommentBody = z.object({
  shotId: z.string({ error: 'shotId: the id of a shot on this board' }).min(1, 'shotId: the id of a shot on this board').max(64, 'shotId: at most 64 characters'),
  takeId: z.string({ error: 'takeId: the id of a finished take of that shot' }).min(1, 'takeId: the id of a finished take of that shot').max(64, 'takeId: at most 64 characters'),
  atSec: z.number({ error: 'atSec: seconds into the take, 0 or more' }).min(0, 'atSec: seconds into the take, 0 or more').finite(),
  text: z
    .string({ error: `text: the comment, 1 to ${MAX_GUEST_COMMENT_CHARS} characters` })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'text: the comment is empty').max(MAX_GUEST_COMMENT_CHARS, `text: at most ${MAX_GUEST_COMMENT_CHARS} characters`)),
});

const iso = (ms: number) => new Date(ms).toISOString();

export function guestRoutes(deps: GuestDeps) {
  const { db, clock, hub } = deps;
  const app = new Hono<GuestEnv>();
  const requests = linkRequests(deps, deps.reviewLinkRules.requests);
  const guest = requireGuest(deps, requests);

  /**
   * The link behind a secret, or why not. Secrets nobody issued count against the address
   * together with invite links' (one allowance for guessing either), so guessing them is
   * throttled.
   */
  function openLink(c: Context<GuestEnv>, secret: string) {
    const entries = [[linkGuessKey(deps.clientAddress(c)), deps.authRules.inviteIp]] as const;
    return openGuessThrottled(db, clock, entries, 'Too many review links that did not work', () => usableLink(db, clock.now(), secret));
  }

  app.get('/links/:secret', async (c) => {
    const link = await openLink(c, c.req.param('secret'));
    const preview: ReviewLinkPreview = { boardTitle: link.board_title, expiresAt: iso(link.expires_at), linkId: link.id };
    return c.json(preview);
  });

  app.post('/session', async (c) => {
    const body = await readJson(c, GuestJoinBody);
    const link = await openLink(c, body.secret);
    requests.count(link.id);
    if ((await countGuests(db, link.id)) >= MAX_GUESTS_PER_LINK) {
      throw new AppError('conflict', `This review link already has ${MAX_GUESTS_PER_LINK} reviewers; ask the board owner for a new link`);
    }
    const token = newToken();
    const id = newId();
    const now = clock.now();
    await insertGuestSession(db, { id, token_hash: hashToken(token), link_id: link.id, name: body.name, created_at: now });
    setCookie(c, GUEST_COOKIE, token, guestCookieOptions(deps.publicOrigin, link.expires_at, now));
    const you: GuestIdentity = { id, name: body.name, expiresAt: iso(link.expires_at), linkId: link.id };
    return c.json(you, 201);
  });

  app.get('/board', guest, async (c) => {
    const g = c.get('guest');
    const content = await hub.read(g.boardId, (doc) => readGuestContent(doc, g.id));
    const names = await userNames(db, [...new Set(content.comments.flatMap((c) => c.mentions))]);
    const view: GuestBoardView = {
      board: { title: content.title, aspectRatio: content.aspectRatio },
      you: { id: g.id, name: g.name, expiresAt: iso(g.expiresAt), linkId: g.linkId },
      readOnly: g.archived,
      plan: content.plan,
      shots: content.shots,
      comments: hideMentions(content.comments, names),
    };
    return c.json(view);
  });

  /** The asset, when it is the clip or poster of a take this guest may watch; else the made-up id's 404. */
  async function guestAsset(c: Context<GuestEnv>) {
    const g = c.get('guest');
    const id = c.req.param('assetId')!;
    // The document's media set first (kept per document version): no database read for ids outside it.
    if (!(await hub.read(g.boardId, guestMedia)).has(id)) throw assetNotFound();
    const asset = await assetById(db, id);
    if (!asset || asset.board_id !== g.boardId) throw assetNotFound();
    return asset;
  }
  app.get('/assets/:assetId', guest, async (c) => assetResponse(c, deps, await guestAsset(c)));
  app.get('/assets/:assetId/poster', guest, async (c) => posterResponse(c, deps, await guestAsset(c)));

  /**
   * A guest's comment. The take is checked inside the very document change that writes the
   * comment, so a take (or shot) deleted meanwhile is a 400 naming `takeId`, never a comment
   * pointing at nothing.
   */
  app.post('/comments', guest, async (c) => {
    const g = c.get('guest');
    if (g.archived) throw new AppError('conflict', 'This board is archived, so it is read-only; comments are closed');
    const body = await readJson(c, GuestCommentBody);
    const held = await throttleComments(deps, g.linkId, deps.reviewLinkRules.comments);
    const createdAt = iso(clock.now());
    const atSec = Math.round(body.atSec * 10) / 10;
    const out: { id: string; problem: CommentProblem | null } = { id: '', problem: null };
    // A comment refused or not written is not one of the link's comments.
    const giveBack = async () => {
      for (const k of held) await releaseAttempt(db, k);
    };
    try {
      await hub.change(g.boardId, (doc) => {
        // Should the hub run the change again, the last run's verdict is the one that counts.
        out.problem = commentProblem(doc, body);
        if (!out.problem) out.id = addComment(doc, { shotId: body.shotId, takeId: body.takeId, atSec, author: g.id, text: body.text, createdAt, guestName: g.name });
      });
    } catch (err) {
      await giveBack();
      throw err;
    }
    const { id, problem } = out;
    if (problem) {
      await giveBack();
      throw new AppError('invalid_field', problem.message, { field: problem.field });
    }
    const comment: GuestComment = { id, shotId: body.shotId, takeId: body.takeId, atSec, text: body.text, createdAt, author: g.name, guest: true, mine: true };
    void deps.notifier.guestCommented(g.boardId, g.linkId, { id, guestName: g.name, shotId: body.shotId, takeId: body.takeId, atSec, text: body.text });
    return c.json(comment, 201);
  });

  return app;
}

interface CommentProblem {
  field: 'takeId' | 'atSec';
  message: string;
}

/** Why a guest may not comment on that take at that time (the field and what is wrong), or null. */
function commentProblem(doc: Y.Doc, body: z.infer<typeof GuestCommentBody>): CommentProblem | null {
  const take = getTake(doc, body.shotId, body.takeId);
  if (!take || take.status !== 'succeeded' || !take.clip) return { field: 'takeId', message: 'takeId: not a finished take of that shot on this board' };
  if (body.atSec > take.durationSec + 0.5) return { field: 'atSec', message: `atSec: the take is ${take.durationSec} s long` };
  return null;
}

async function usableLink(db: Kysely<Database>, now: number, secret: string) {
  const row = await linkBySecretHash(db, hashToken(secret));
  if (!row) throw new AppError('not_found', 'This review link is not valid; check that the whole link was copied');
  const closed = linkClosed(row, now);
  if (closed) throw closed;
  return row;
}
