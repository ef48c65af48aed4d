import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Context } from 'hono';

/**
 * A file stream as a response body that is closed with the connection. @hono/node-server cancels
 * a body only when the client leaves while it is being written; a client gone before that (a
 * video element dropping a range request, an aborted download) or a HEAD request (whose body is
 * dropped unread) left the stream and its FileHandle open until garbage collection: a descriptor
 * leak that Node reports as DEP0137.
 */
export function streamBody(c: Context, stream: Readable): ReadableStream {
  // The node-server bindings; absent when a test calls app.request() without a server.
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing) {
    if (outgoing.closed) stream.destroy();
    else outgoing.once('close', () => stream.destroy());
  }
  return Readable.toWeb(stream) as ReadableStream;
}
