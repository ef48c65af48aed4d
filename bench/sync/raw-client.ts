import WebSocket from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ServerInfo } from './server-child.js';

/**
 * A y-protocols client with none of a provider's per-message work, so one client process can
 * offer thousands of updates per second: it syncs a Y.Doc once, then sends prepared updates
 * and hands every later incoming update, undecoded, to `onUpdate` (or ignores it).
 * Speaks what y-websocket speaks (`<url>/<room>`, message 0 = sync), with the session cookie
 * and Origin a browser would send; or, for Hocuspocus, its framing (every message prefixed with
 * the document name, an auth message first, sync replies as type 4).
 */
export interface RawClient {
  doc: Y.Doc;
  synced: Promise<void>;
  send(update: Uint8Array): void;
  /** Incoming updates after the initial sync. */
  onUpdate: ((update: Uint8Array) => void) | null;
  close(): void;
}

export type Framing = 'y-websocket' | 'hocuspocus';

const HOCUSPOCUS = { auth: 2, syncReply: 4 } as const;

export function connectRaw(info: ServerInfo, index: number, framing: Framing = 'y-websocket'): RawClient {
  const headers: Record<string, string> = {};
  if (info.origin) headers.origin = info.origin;
  if (info.cookies?.length) headers.cookie = info.cookies[index % info.cookies.length]!;
  const ws = new WebSocket(framing === 'hocuspocus' ? info.url : `${info.url}/${info.room}`, { headers });
  /** A new message with the framing's prefix and the sync type written. */
  const syncMessage = () => {
    const enc = encoding.createEncoder();
    if (framing === 'hocuspocus') encoding.writeVarString(enc, info.room);
    encoding.writeVarUint(enc, 0);
    return enc;
  };
  const headerBytes = encoding.length(syncMessage());
  ws.binaryType = 'nodebuffer';
  const doc = new Y.Doc();
  let live = false;
  let markSynced!: () => void;
  let fail!: (err: Error) => void;
  const synced = new Promise<void>((resolve, reject) => {
    markSynced = resolve;
    fail = reject;
  });
  const client: RawClient = {
    doc,
    synced,
    onUpdate: null,
    send(update) {
      const enc = syncMessage();
      syncProtocol.writeUpdate(enc, update);
      ws.send(encoding.toUint8Array(enc));
    },
    close() {
      ws.terminate();
      doc.destroy();
    },
  };
  ws.on('open', () => {
    if (framing === 'hocuspocus') {
      const auth = encoding.createEncoder();
      encoding.writeVarString(auth, info.room);
      encoding.writeVarUint(auth, HOCUSPOCUS.auth);
      encoding.writeVarUint(auth, 0); // token
      encoding.writeVarString(auth, '');
      ws.send(encoding.toUint8Array(auth));
    }
    const enc = syncMessage();
    syncProtocol.writeSyncStep1(enc, doc);
    ws.send(encoding.toUint8Array(enc));
  });
  ws.on('message', (data: Buffer) => {
    const dec = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (framing === 'hocuspocus' && decoding.readVarString(dec) !== info.room) return;
    const type = decoding.readVarUint(dec);
    if (type !== 0 && !(framing === 'hocuspocus' && type === HOCUSPOCUS.syncReply)) return; // presence, acks, notices
    if (live) {
      if (!client.onUpdate) return;
      decoding.readVarUint(dec); // step 2 or update: both carry one update
      return client.onUpdate(decoding.readVarUint8Array(dec));
    }
    const reply = syncMessage();
    const sub = syncProtocol.readSyncMessage(dec, reply, doc, ws);
    if (encoding.length(reply) > headerBytes) ws.send(encoding.toUint8Array(reply));
    if (sub === syncProtocol.messageYjsSyncStep2) {
      live = true;
      markSynced();
    }
  });
  ws.on('close', (code) => fail(new Error(`closed with ${code} before syncing`)));
  ws.on('error', (err) => fail(err));
  return client;
}
