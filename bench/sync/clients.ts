import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { SYNC_MESSAGE } from '../../shared/sync.js';
import type { ServerInfo } from './server-child.js';
import { connectHocuspocusLite } from './hocuspocus-lite.js';

/**
 * One simulated teammate: a Y.Doc kept in sync with the server by a real client provider. No
 * presence state is published: presence renewals (every client, every 15 s, fanned out to
 * every client) would add N² bursts unrelated to the edits measured here.
 */
export interface BenchClient {
  doc: Y.Doc;
  synced(): Promise<void>;
  destroy(): void;
}

export type ClientKind = 'y-websocket' | '@hocuspocus/provider' | 'hocuspocus-lite';

/**
 * The stock y-websocket provider (what Takeboard's own client uses, and what the floor relay
 * speaks), sending the session cookie and Origin a browser would send.
 */
export function connectYWebsocket(info: ServerInfo, index: number): BenchClient {
  const doc = new Y.Doc();
  const headers: Record<string, string> = {};
  if (info.origin) headers.origin = info.origin;
  if (info.cookies?.length) headers.cookie = info.cookies[index % info.cookies.length]!;
  class HeaderWebSocket extends WebSocket {
    constructor(url: string, protocols?: string[]) {
      super(url, protocols, { headers });
    }
  }
  const provider = new WebsocketProvider(info.url, info.room, doc, {
    WebSocketPolyfill: HeaderWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  });
  provider.awareness.setLocalState(null);
  // Board notices (the role on connect, membership changes) are not what is measured here.
  provider.messageHandlers[SYNC_MESSAGE.board] = () => {};
  return {
    doc,
    synced: () => (provider.synced ? Promise.resolve() : new Promise((resolve) => provider.once('sync', () => resolve()))),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The documented v3 provider API, typed here because the package is optional. */
interface HocuspocusModule {
  HocuspocusProviderWebsocket: new (cfg: { url: string; WebSocketPolyfill: unknown }) => { destroy(): void };
  HocuspocusProvider: new (cfg: { websocketProvider: unknown; name: string; document: Y.Doc }) => {
    isSynced: boolean;
    isAttached?: boolean;
    awareness: { setLocalState(state: null): void } | null;
    attach?(): void;
    on(event: 'synced', fn: () => void): void;
    destroy(): void;
  };
}

/**
 * A client for Hocuspocus: `@hocuspocus/provider` when installed (HocuspocusProviderWebsocket +
 * HocuspocusProvider with `ws` as the WebSocket), else a minimal client speaking the same
 * Hocuspocus 3 framing (document name + message type + y-protocols payload).
 */
export async function hocuspocusClients(): Promise<{ kind: ClientKind; connect(info: ServerInfo, index: number): BenchClient }> {
  const spec = '@hocuspocus/provider';
  const mod = (await import(spec).catch(() => null)) as HocuspocusModule | null;
  if (!mod?.HocuspocusProvider) return { kind: 'hocuspocus-lite', connect: (info) => connectHocuspocusLite(info.url, info.room) };
  return {
    kind: '@hocuspocus/provider',
    connect(info) {
      const doc = new Y.Doc();
      const socket = new mod.HocuspocusProviderWebsocket({ url: info.url, WebSocketPolyfill: WebSocket });
      const provider = new mod.HocuspocusProvider({ websocketProvider: socket, name: info.room, document: doc });
      // v3: a provider given a shared socket attaches explicitly.
      if (provider.attach && !provider.isAttached) provider.attach();
      provider.awareness?.setLocalState(null);
      return {
        doc,
        synced: () => (provider.isSynced ? Promise.resolve() : new Promise((resolve) => provider.on('synced', () => resolve()))),
        destroy() {
          provider.destroy();
          socket.destroy();
          doc.destroy();
        },
      };
    },
  };
}
