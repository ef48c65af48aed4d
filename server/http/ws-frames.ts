/**
 * Binary messages written to a WebSocket's socket as ready-made frames. A relayed update goes
 * to every peer of a board as the same bytes: framed once and written as one buffer per peer,
 * instead of `ws.send` building a header and writing header and payload (cork, writev) for each
 * of them. With 50 peers that was a fifth of the CPU of sending (measured in the sync bench).
 * Safe beside `ws`'s own writes (pings, close frames) because each write is one whole frame and
 * our server never compresses or sends Blobs, the two cases where `ws` queues frames.
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** The socket under each accepted WebSocket, registered at the handshake (ws-upgrade.ts). */
const sockets = new WeakMap<WebSocket, Duplex>();
/** Each message's frame, kept while the message is: built by its first send. */
const frames = new WeakMap<Uint8Array, Buffer>();

export function registerSocket(ws: WebSocket, socket: Duplex): void {
  sockets.set(ws, socket);
}

/** Sends `data` as one binary message; a closing socket gets it through `ws` (which drops it). */
export function sendBinary(ws: WebSocket, data: Uint8Array): void {
  const socket = sockets.get(ws);
  if (!socket || ws.readyState !== WebSocket.OPEN) return ws.send(data);
  let frame = frames.get(data);
  if (!frame) frames.set(data, (frame = binaryFrame(data)));
  socket.write(frame);
}

/** An unmasked, final, binary frame (RFC 6455 section 5.2): what a server sends. */
export function binaryFrame(data: Uint8Array): Buffer {
  const n = data.byteLength;
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x82;
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.set(data, head);
  return frame;
}
