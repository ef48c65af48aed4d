import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The floor: a plain y-protocols relay with no persistence, no auth and no validation, speaking
 * what the stock y-websocket client speaks (`ws://host/<room>`). One Y.Doc per room; an update
 * is applied and broadcast to everyone else in the room.
 */
export async function startPlainRelay(host = '127.0.0.1') {
  const rooms = new Map<string, { doc: Y.Doc; awareness: awarenessProtocol.Awareness; conns: Set<WebSocket> }>();
  const frame = (type: number, write: (enc: encoding.Encoder) => void) => {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, type);
    write(enc);
    return encoding.toUint8Array(enc);
  };
  const roomOf = (name: string) => {
    let room = rooms.get(name);
    if (room) return room;
    const doc = new Y.Doc({ gc: true });
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const conns = new Set<WebSocket>();
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      const msg = frame(0, (enc) => syncProtocol.writeUpdate(enc, update));
      for (const c of conns) if (c !== origin) c.send(msg);
    });
    awareness.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
      const changed = [...added!, ...updated!, ...removed!];
      const msg = frame(1, (enc) => encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness, changed)));
      for (const c of conns) c.send(msg);
    });
    rooms.set(name, (room = { doc, awareness, conns }));
    return room;
  };

  const wss = new WebSocketServer({ host, port: 0 });
  wss.on('connection', (ws, req) => {
    const room = roomOf((req.url ?? '/').slice(1));
    room.conns.add(ws);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: Buffer) => {
      try {
        const dec = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        const type = decoding.readVarUint(dec);
        if (type === 0) {
          const enc = encoding.createEncoder();
          encoding.writeVarUint(enc, 0);
          syncProtocol.readSyncMessage(dec, enc, room.doc, ws);
          if (encoding.length(enc) > 1) ws.send(encoding.toUint8Array(enc));
        } else if (type === 1) {
          awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(dec), ws);
        }
      } catch {
        ws.close(4400, 'malformed');
      }
    });
    ws.on('close', () => room.conns.delete(ws));
    ws.send(frame(0, (enc) => syncProtocol.writeSyncStep1(enc, room.doc)));
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => resolve());
    }),
  };
}
