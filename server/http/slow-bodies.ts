import type { IncomingMessage, Server } from 'node:http';

/**
 * Drops a connection whose request body stops coming. Node's own `requestTimeout` bounds the
 * whole request (300 s by default), which both lets a slow sender hold a socket for five minutes
 * and cuts off an honest multi-gigabyte upload on a slow link. This checks progress instead: a
 * body that delivers less than `minBytes` in `stallMs` is dropped (the socket destroyed), however
 * long a body that keeps flowing takes. While the app is not reading (its buffer is full, e.g. a
 * disk write is slow), the sender is not to blame and the window starts again.
 */
export interface SlowBodyOptions {
  stallMs: number;
  /** Bytes a body must deliver in each window (1 KB: far below any real link). */
  minBytes?: number;
}

const CHECK_EVERY_MS = 500;

export function dropStalledBodies(server: Server, opts: SlowBodyOptions): () => void {
  const minBytes = opts.minBytes ?? 1024;
  const watched = new Map<IncomingMessage, { bytes: number; since: number }>();
  server.on('request', (req: IncomingMessage) => {
    watched.set(req, { bytes: req.socket.bytesRead, since: Date.now() });
  });
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [req, w] of watched) {
      const socket = req.socket;
      if (req.complete || socket.destroyed) {
        watched.delete(req);
      } else if (req.readableLength >= req.readableHighWaterMark || socket.isPaused()) {
        Object.assign(w, { bytes: socket.bytesRead, since: now });
      } else if (now - w.since >= opts.stallMs) {
        if (socket.bytesRead - w.bytes < minBytes) {
          watched.delete(req);
          socket.destroy();
        } else {
          Object.assign(w, { bytes: socket.bytesRead, since: now });
        }
      }
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
