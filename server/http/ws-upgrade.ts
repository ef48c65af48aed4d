/**
 * WebSocket upgrades for the Hono app over Node's HTTP server, in place of @hono/node-ws: the
 * same contract (the route runs as a normal request, `upgradeWebSocket` answers it, then `ws`
 * completes the handshake and the route's events fire), but an open socket keeps only what it
 * uses. @hono/node-ws wires each socket's listeners inside a closure over the request's Hono
 * context, so every open socket kept its Context, Request, Headers, Response, URL and the
 * IncomingMessage with all its headers alive (~3 kB of the ~19 kB a connection cost, measured
 * with `npm run bench -- --only memory --heap-snapshots`). Here the listeners are made in a
 * function that sees only the socket and the route's events.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Hono } from 'hono';
import { defineWebSocketHelper, WSContext, type UpgradeWebSocket, type WSEvents } from 'hono/ws';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { registerSocket } from './ws-frames.js';

/** Node 20 has no CloseEvent global; the route's onClose gets one of these there. */
const SocketCloseEvent: typeof CloseEvent =
  globalThis.CloseEvent ??
  (class extends Event {
    readonly code: number;
    readonly reason: string;
    readonly wasClean: boolean;
    constructor(type: string, init: CloseEventInit = {}) {
      super(type);
      this.code = init.code ?? 0;
      this.reason = init.reason ?? '';
      this.wasClean = init.wasClean ?? false;
    }
  } as unknown as typeof CloseEvent);

/** What the upgrade listener hands the route through `c.env`, and what the route answers with. */
interface UpgradeEnv {
  incoming: IncomingMessage;
  outgoing: undefined;
  /** Set by `upgradeWebSocket` when the route accepted: where the opened socket goes. */
  accept?: (ws: WebSocket) => void;
}

export interface WsUpgrade {
  wss: WebSocketServer;
  upgradeWebSocket: UpgradeWebSocket<WebSocket>;
  /** Listens for upgrade requests on `server` and runs them through the app. */
  injectWebSocket(server: Server): void;
}

export function createWsUpgrade(app: Hono<any>): WsUpgrade {
  // No compression: ws-frames.ts writes whole frames beside ws's own, which compression would queue.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const upgradeWebSocket = defineWebSocketHelper<WebSocket>((c, events, options?: { onError?: (err: unknown) => void }) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return;
    const protocol = c.req.header('sec-websocket-protocol') ?? null;
    (c.env as UpgradeEnv).accept = (ws) => wire(ws, protocol, events, options?.onError ?? console.error);
    return new Response();
  });

  return {
    wss,
    upgradeWebSocket,
    injectWebSocket(server) {
      server.on('upgrade', (request: IncomingMessage, socket, head) => {
        // Node takes its own error listener off an upgrading socket, and `ws` adds one only in
        // handleUpgrade: a client that resets during the admission lookups must not throw an
        // unhandled 'error' (which would end the process).
        const dropped = () => socket.destroy();
        socket.on('error', dropped);
        void (async () => {
          const url = new URL(request.url ?? '/', 'http://localhost');
          const headers = new Headers();
          for (const [key, value] of Object.entries(request.headers)) if (value) headers.append(key, Array.isArray(value) ? value[0]! : value);
          const env: UpgradeEnv = { incoming: request, outgoing: undefined };
          const response = await app.request(url, { headers }, env);
          const accept = env.accept;
          if (!accept) {
            socket.end(`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
            return;
          }
          socket.off('error', dropped);
          wss.handleUpgrade(request, socket, head, (ws) => {
            registerSocket(ws, socket);
            wss.emit('connection', ws, request);
            accept(ws);
          });
        })().catch(dropped);
      });
    },
  };
}

/** The route's events on an open socket; nothing of the request is reachable from here. */
function wire(ws: WebSocket, protocol: string | null, events: WSEvents<WebSocket>, onError: (err: unknown) => void) {
  const ctx = new WSContext<WebSocket>({
    raw: ws,
    protocol: ws.protocol || protocol,
    send: (data, opts) => ws.send(data, { compress: opts.compress }),
    close: (code, reason) => ws.close(code, reason),
    get readyState() {
      return ws.readyState as 0 | 1 | 2 | 3;
    },
  });
  const guarded = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      onError(err);
    }
  };
  guarded(() => events.onOpen?.(new Event('open'), ctx));
  ws.on('message', (data: RawData, isBinary: boolean) => {
    for (const part of Array.isArray(data) ? data : [data]) {
      const payload = isBinary ? (part instanceof ArrayBuffer ? part : part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength)) : part.toString('utf-8');
      guarded(() => events.onMessage?.(new MessageEvent('message', { data: payload }), ctx));
    }
  });
  ws.on('close', (code: number, reason: Buffer) => guarded(() => events.onClose?.(new SocketCloseEvent('close', { code, reason: reason.toString() }), ctx)));
  ws.on('error', (error: Error) => guarded(() => events.onError?.(new ErrorEvent('error', { error }), ctx)));
}
