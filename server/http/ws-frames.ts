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

export function registerSocket(ws: WebSocket, socket: Duplex): void {
  sockets.set(ws, socket);
}

/**
 * The frame of the message sent last: a relay sends one message to every peer in a row, so
 * one remembered frame serves them all (a lookup per peer in a WeakMap of frames cost more).
 * Large messages too: peers that read slowly hold a relayed frame in their send buffers, and one
 * copy per peer of a megabyte edit doubled the server's memory with one slow reader
 * (test/adversarial/sync-floods). The price: the last message and its frame stay in memory
 * until the next send.
 */
let lastData: Uint8Array | null = null;
let lastFrame: Buffer | null = null;

function frameOf(data: Uint8Array): Buffer {
  if (data !== lastData) {
    lastFrame = binaryFrame(data);
    lastData = data;
  }
  return lastFrame!;
}

/**
 * A sender of binary messages on `ws`, its socket looked up once; a closing socket gets them
 * through `ws` (which drops them).
 */
export function binarySender(ws: WebSocket): (data: Uint8Array) => void {
  const socket = sockets.get(ws);
  return (data) => {
    if (!socket || ws.readyState !== WebSocket.OPEN) return ws.send(data);
    socket.write(frameOf(data));
  };
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
