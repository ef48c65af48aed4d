import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import type { WebSocket } from 'ws';
import type { Role } from '../../shared/api.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { SESSION_COOKIE, validateSessionToken } from '../auth/sessions.js';
import { getAccess } from '../boards/boards.queries.js';
import type { AppDeps } from '../deps.js';
import { binarySender } from '../http/ws-frames.js';
import { hashToken } from '../lib/ids.js';
import { colourSlot } from './colours.queries.js';
import type { DocHub, HubConnection } from './hub.js';
import type { SyncUser } from './presence.js';
import { createUpgradeGuard, isOffence, type Refusal, type UpgradeGuard } from './upgrade-guard.js';

type Admission =
  | { ok: true; user: SyncUser; role: Role; archived: boolean; token: string; expiresAt: number }
  | { ok: false; code: number; reason: string };

/** Longest wait between session checks of an open socket (timers cannot span a 30-day session). */
const RECHECK_MS = 6 * 3_600_000;

type Env = { Variables: { admission: Admission; sessionKey: string | null } };

/** A refused closed socket is dropped this long after its close frame, answered or not. */
const CLOSE_GRACE_MS = 1000;

/**
 * The thin WebSocket adapter: authenticates the upgrade (session cookie, Origin, membership)
 * before a single document byte is sent, then hands the socket to the hub. Refusals are
 * accepted-then-closed with a documented 4xxx code, so clients can tell why. Before any of
 * that, the upgrade guard turns away malformed handshakes, sessions that keep misbehaving and
 * admissions past its limits with a plain HTTP status.
 */
export function syncRoutes(deps: AppDeps, hub: DocHub, upgradeWebSocket: UpgradeWebSocket<WebSocket>, guard: UpgradeGuard = createUpgradeGuard({ clock: deps.clock })) {
  const app = new Hono<Env>();

  app.get(
    '/:boardId',
    async (c, next) => {
      const req = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      const token = getCookie(c, SESSION_COOKIE);
      const sessionKey = token ? hashToken(token) : null;
      if (!req) return next(); // not over a socket: nothing to upgrade
      const early = guard.precheck(req, sessionKey);
      if (early) return refuse(c, early);
      const admission = await guard.admit(() => admit(deps, c.req.header('origin'), token, c.req.param('boardId')!));
      if ('status' in admission) return refuse(c, admission);
      // A socket that left during the lookups is not upgraded.
      if (!guard.present(req)) return c.body(null, 400);
      c.set('admission', admission);
      c.set('sessionKey', sessionKey);
      return next();
    },
    upgradeWebSocket(async (c) => {
      const boardId = c.req.param('boardId')!;
      const admission = (c as unknown as Context<Env>).get('admission');
      const sessionKey = (c as unknown as Context<Env>).get('sessionKey');
      let conn: HubConnection | null = null;
      let expiry: NodeJS.Timeout | null = null;
      return {
        onOpen(_evt, ws: WSContext<WebSocket>) {
          const raw = ws.raw!;
          // A slow, stuck or hostile peer may never answer a close frame: it is dropped anyway.
          const close = (code: number, reason: string) => {
            raw.close(code, reason);
            setTimeout(() => raw.terminate(), CLOSE_GRACE_MS).unref();
          };
          if (!admission.ok) return close(admission.code, admission.reason);
          conn = hub.connect(boardId, admission.user, admission.role, {
            send: binarySender(raw),
            close: (code, reason) => {
              if (sessionKey && isOffence(code)) guard.offence(sessionKey);
              close(code, reason);
            },
            bufferedAmount: () => raw.bufferedAmount,
          }, { archived: admission.archived });
          // A demotion or removal between the admission lookup and now announced itself before
          // the hub knew this socket: one more look closes that window.
          getAccess(deps.db, boardId, admission.user.id).then(
            (access) => {
              if (!access) return hub.removeMember(boardId, admission.user.id);
              if (access.role !== admission.role) hub.setRole(boardId, admission.user.id, access.role);
              hub.setArchived(boardId, access.archived);
            },
            () => {
              // the events that follow still apply
            },
          );
          // A session that runs out while its socket is open ends the socket too (4401); one
          // that slid forward through HTTP use is checked again at its new end.
          const watch = (at: number) => {
            expiry = setTimeout(async () => {
              const still = await validateSessionToken(deps.db, deps.clock, admission.token).catch(() => null);
              if (raw.readyState !== raw.OPEN) return;
              if (still) watch(still.session.expiresAt);
              else raw.close(SYNC_CLOSE.unauthorized, 'your session ended; log in again');
            }, Math.min(RECHECK_MS, Math.max(1000, at - deps.clock.now())));
            expiry.unref();
          };
          watch(admission.expiresAt);
        },
        onMessage(evt) {
          const data = evt.data;
          conn?.receive(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
        },
        onClose() {
          if (expiry) clearTimeout(expiry);
          conn?.closed();
        },
        onError(evt, ws: WSContext<WebSocket>) {
          // ws refused a frame (bad framing, bad UTF-8, past the size limit) and sent its close
          // frame; it would then read and discard whatever else comes for up to 30 s: drop it now.
          const code = (evt as ErrorEvent).error?.code;
          if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
            if (sessionKey) guard.offence(sessionKey);
            setImmediate(() => ws.raw?.terminate());
          }
          if (expiry) clearTimeout(expiry);
          conn?.closed();
        },
      };
    }),
  );
  return app;
}

function refuse(c: Context, r: Refusal) {
  if (r.retryAfterSec) c.header('retry-after', String(r.retryAfterSec));
  return c.text(r.reason, r.status);
}

async function admit(deps: AppDeps, origin: string | undefined, token: string | undefined, boardId: string): Promise<Admission> {
  if (origin !== deps.publicOrigin) return { ok: false, code: SYNC_CLOSE.badOrigin, reason: 'origin not allowed' };
  const session = token ? await validateSessionToken(deps.db, deps.clock, token) : null;
  if (!session) return { ok: false, code: SYNC_CLOSE.unauthorized, reason: 'log in to sync this board' };
  const access = await getAccess(deps.db, boardId, session.user.id);
  if (!access) return { ok: false, code: SYNC_CLOSE.notFound, reason: 'board not found' };
  const slot = await colourSlot(deps.db, boardId, session.user.id);
  return { ok: true, user: { id: session.user.id, name: session.user.name, city: session.user.city, slot }, role: access.role, archived: access.archived, token: token!, expiresAt: session.session.expiresAt };
}
