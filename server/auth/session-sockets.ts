/**
 * Live sync sockets by the session that opened them, so that logging out (or out everywhere)
 * also ends the sockets that session holds: a lost laptop stops receiving the board at once,
 * not when someone closes its tab. Sits between the WebSocket adapter (server/http/ws-upgrade.ts) and the sync route, knowing
 * nothing of the protocol: it only remembers sockets and closes them with 4401.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { UpgradeWebSocket, WSContext, WSEvents } from 'hono/ws';
import type { WebSocket } from 'ws';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { hashToken } from '../lib/ids.js';
import { SESSION_COOKIE } from './sessions.js';

export interface SessionSockets {
  /** Wraps `upgradeWebSocket` so every socket is remembered under its session until it closes. */
  track(upgrade: UpgradeWebSocket<WebSocket>): UpgradeWebSocket<WebSocket>;
  /** Closes every socket opened with one of these sessions (4401: log in again). */
  end(sessionIds: readonly string[]): void;
  /** The sessions that hold open sockets. */
  open(): string[];
}

export function createSessionSockets(): SessionSockets {
  const bySession = new Map<string, Set<WSContext<WebSocket>>>();

  const remember = (sid: string, ws: WSContext<WebSocket>) => {
    const set = bySession.get(sid) ?? new Set();
    set.add(ws);
    bySession.set(sid, set);
  };
  const forget = (sid: string, ws: WSContext<WebSocket>) => {
    const set = bySession.get(sid);
    set?.delete(ws);
    if (set?.size === 0) bySession.delete(sid);
  };

  return {
    track(upgrade) {
      type Events = WSEvents<WebSocket>;
      const wrapped = (createEvents: (c: Context) => Events | Promise<Events>, options?: unknown) =>
        upgrade(async (c) => {
          const events = await createEvents(c);
          const token = getCookie(c, SESSION_COOKIE);
          if (!token) return events;
          const sid = hashToken(token);
          return {
            ...events,
            onOpen(evt, ws) {
              remember(sid, ws);
              events.onOpen?.(evt, ws);
            },
            onClose(evt, ws) {
              forget(sid, ws);
              events.onClose?.(evt, ws);
            },
            onError(evt, ws) {
              forget(sid, ws);
              events.onError?.(evt, ws);
            },
          } satisfies Events;
        }, options);
      return wrapped as UpgradeWebSocket<WebSocket>;
    },
    end(sessionIds) {
      for (const sid of sessionIds) {
        for (const ws of bySession.get(sid) ?? []) {
          ws.close(SYNC_CLOSE.unauthorized, 'you logged out');
          // A reader that never reads will not answer the close frame either.
          setTimeout(() => ws.raw?.terminate(), 1000).unref();
        }
        bySession.delete(sid);
      }
    },
    open: () => [...bySession.keys()],
  };
}
