import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { BenchClient } from './clients.js';

// Hocuspocus 3 message types (packages/server/src/types.ts) and auth sub-types (common/src/auth.ts).
const MSG = { sync: 0, awareness: 1, auth: 2, syncReply: 4, close: 7, syncStatus: 8 } as const;
const AUTH_TOKEN = 0;
const AUTH_DENIED = 1;

/**
 * Stand-in for `@hocuspocus/provider` when it is not installed: the same frames the provider
 * sends (every message is `[documentName][type][payload]`; an auth token message first, then
 * sync step 1; awareness when there is a local state), the same replies applied to a Y.Doc. It does
 * what the provider does per message, so the server's work is the same; no reconnects.
 */
export function connectHocuspocusLite(url: string, name: string): BenchClient {
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null); // no presence, as for the other clients
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  let synced = false;
  const waiters: Array<() => void> = [];
  const frame = (type: number, write: (enc: encoding.Encoder) => void) => {
    const enc = encoding.createEncoder();
    encoding.writeVarString(enc, name);
    encoding.writeVarUint(enc, type);
    write(enc);
    return enc;
  };
  const send = (enc: encoding.Encoder) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(encoding.toUint8Array(enc));
  };

  ws.on('open', () => {
    send(frame(MSG.auth, (enc) => {
      encoding.writeVarUint(enc, AUTH_TOKEN);
      encoding.writeVarString(enc, '');
    }));
    send(frame(MSG.sync, (enc) => syncProtocol.writeSyncStep1(enc, doc)));
  });
  ws.on('message', (data: Buffer) => {
    const dec = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (decoding.readVarString(dec) !== name) return;
    const type = decoding.readVarUint(dec);
    if (type === MSG.sync || type === MSG.syncReply) {
      const reply = frame(MSG.sync, () => {});
      const before = encoding.length(reply);
      const sub = syncProtocol.readSyncMessage(dec, reply, doc, ws);
      if (encoding.length(reply) > before) send(reply);
      if (sub === syncProtocol.messageYjsSyncStep2 && !synced) {
        synced = true;
        for (const w of waiters.splice(0)) w();
      }
    } else if (type === MSG.awareness) {
      awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(dec), ws);
    } else if (type === MSG.auth && decoding.readVarUint(dec) === AUTH_DENIED) {
      throw new Error(`hocuspocus refused the connection: ${decoding.readVarString(dec)}`);
    }
    // syncStatus (the server's ack of our update) and close need nothing here.
  });
  ws.on('error', () => {});
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== ws) send(frame(MSG.sync, (enc) => syncProtocol.writeUpdate(enc, update)));
  });
  awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
    if (origin === ws) return;
    const changed = [...added!, ...updated!, ...removed!];
    send(frame(MSG.awareness, (enc) => encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness, changed))));
  });

  return {
    doc,
    synced: () => (synced ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    destroy() {
      awareness.destroy();
      ws.terminate();
      doc.destroy();
    },
  };
}
