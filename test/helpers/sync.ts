import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import { parseBoardNotice, SYNC_MESSAGE, type BoardNotice } from '../../shared/sync.js';
import type { TestClient } from './http.js';
import { waitFor } from './wait.js';

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A stock y-websocket provider in Node, sending the test client's session cookie and Origin
 * like a browser would. Records close events so tests can assert the close code.
 */
export function connectBoard(baseUrl: string, boardId: string, client: TestClient | null, opts: { origin?: string; doc?: Y.Doc; connect?: boolean } = {}) {
  const doc = opts.doc ?? new Y.Doc();
  const closes: Closed[] = [];
  const headers: Record<string, string> = { origin: opts.origin ?? client?.origin ?? baseUrl };
  if (client && client.cookies.size > 0) headers.cookie = client.cookieHeader;
  class CookieWebSocket extends WebSocket {
    constructor(url: string, protocols?: string[]) {
      super(url, protocols, { headers });
      this.on('close', (code, reason) => closes.push({ code, reason: reason.toString() }));
    }
  }
  // y-websocket adds a process 'exit' hook per provider in Node; many clients are expected here.
  process.setMaxListeners(process.getMaxListeners() + 1);
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', boardId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: 200,
  });
  // Board notices (role, removed, members) are recorded; auth reasons too ("permission denied").
  const notices: BoardNotice[] = [];
  const denied: string[] = [];
  provider.messageHandlers[SYNC_MESSAGE.board] = (_enc, dec) => {
    const n = parseBoardNotice(decoding.readVarString(dec));
    if (n) notices.push(n);
  };
  provider.messageHandlers[SYNC_MESSAGE.auth] = (_enc, dec) => {
    decoding.readVarUint(dec);
    denied.push(decoding.readVarString(dec));
  };
  let received = 0;
  doc.on('update', (_u: Uint8Array, origin: unknown) => {
    if (origin === provider) received++;
  });
  return {
    doc,
    provider,
    closes,
    notices,
    denied,
    get received() {
      return received;
    },
    synced: () => waitFor(() => provider.synced, `board ${boardId} to sync`),
    closed: () => waitFor(() => closes[0], `socket of board ${boardId} to close`),
    destroy() {
      provider.destroy();
      doc.destroy();
      process.setMaxListeners(Math.max(10, process.getMaxListeners() - 1));
    },
  };
}

export type BoardConnection = ReturnType<typeof connectBoard>;

/** A raw socket for speaking malformed protocol. Resolves once open (or with the close). */
export function rawSocket(baseUrl: string, boardId: string, client: TestClient | null, origin = client?.origin ?? baseUrl) {
  const headers: Record<string, string> = { origin };
  if (client && client.cookies.size > 0) headers.cookie = client.cookieHeader;
  const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/sync/' + boardId, { headers });
  const messages: Buffer[] = [];
  let closed: Closed | null = null;
  ws.on('message', (d: Buffer) => messages.push(d));
  ws.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
  ws.on('error', () => {});
  return {
    ws,
    messages,
    get closed() {
      return closed;
    },
    opened: () => new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    waitClosed: () => waitFor(() => closed, 'raw socket to close'),
  };
}

/** Connections a suite opens, all destroyed at its end (`destroyAll` in afterAll). */
export function connectionPool() {
  const open: BoardConnection[] = [];
  return {
    connect(...args: Parameters<typeof connectBoard>): BoardConnection {
      const c = connectBoard(...args);
      open.push(c);
      return c;
    },
    destroyAll() {
      for (const c of open.splice(0)) c.destroy();
    },
  };
}
