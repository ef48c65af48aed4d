import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import type { WebSocket } from 'ws';
import type { Role } from '../../shared/api.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { SESSION_COOKIE, validateSessionToken } from '../auth/sessions.js';
import { getRole } from '../boards/boards.queries.js';
import type { AppDeps } from '../deps.js';
import type { DocHub, HubConnection } from './hub.js';

type Admission =
  | { ok: true; user: { id: string; name: string; city: string | null }; role: Role; token: string; expiresAt: number }
  | { ok: false; code: number; reason: string };

/** Longest wait between session checks of an open socket (timers cannot span a 30-day session). */
const RECHECK_MS = 6 * 3_600_000;

/**
 * The thin WebSocket adapter: authenticates the upgrade (session cookie, Origin, membership)
 * before a single document byte is sent, then hands the socket to the hub. Refusals are
 * accepted-then-closed with a documented 4xxx code, so clients can tell why.
 */
export function syncRoutes(deps: AppDeps, hub: DocHub, upgradeWebSocket: UpgradeWebSocket<WebSocket>) {
  const app = new Hono();

  app.get(
    '/:boardId',
    upgradeWebSocket(async (c) => {
      const boardId = c.req.param('boardId')!;
      const admission = await admit(deps, c.req.header('origin'), getCookie(c, SESSION_COOKIE), boardId);
      let conn: HubConnection | null = null;
      let expiry: NodeJS.Timeout | null = null;
      return {
        onOpen(_evt, ws: WSContext<WebSocket>) {
          const raw = ws.raw!;
          if (!admission.ok) {
            ws.close(admission.code, admission.reason);
            return;
          }
          conn = hub.connect(boardId, admission.user, admission.role, {
            send: (data) => raw.send(data),
            close: (code, reason) => {
              raw.close(code, reason);
              // A slow or stuck reader will not read a close frame either.
              setTimeout(() => raw.terminate(), 1000).unref();
            },
            bufferedAmount: () => raw.bufferedAmount,
          });
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
        onError() {
          conn?.closed();
        },
      };
    }),
  );
  return app;
}

async function admit(deps: AppDeps, origin: string | undefined, token: string | undefined, boardId: string): Promise<Admission> {
  if (origin !== deps.publicOrigin) return { ok: false, code: SYNC_CLOSE.badOrigin, reason: 'origin not allowed' };
  const session = token ? await validateSessionToken(deps.db, deps.clock, token) : null;
  if (!session) return { ok: false, code: SYNC_CLOSE.unauthorized, reason: 'log in to sync this board' };
  const role = await getRole(deps.db, boardId, session.user.id);
  if (!role) return { ok: false, code: SYNC_CLOSE.notFound, reason: 'board not found' };
  return { ok: true, user: { id: session.user.id, name: session.user.name, city: session.user.city }, role, token: token!, expiresAt: session.session.expiresAt };
}
