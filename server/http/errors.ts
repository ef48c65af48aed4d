import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ErrorBody } from '../../shared/api.js';
import { AppError, isStorageFull, storageFull } from '../errors.js';
import type { Logger } from '../lib/log.js';

/** The single place where thrown errors become `{ error: { code, message } }` answers. */
export function errorHandler(log: Logger) {
  return (thrown: Error, c: Context) => {
    // A full disk can surface from any write (blob, temp file, export): one answer for all of them.
    const err = !(thrown instanceof AppError) && isStorageFull(thrown) ? storageFull('the file') : thrown;
    if (err instanceof AppError) {
      if (err.code === 'storage_full') log.warn('storage full', { method: c.req.method, path: c.req.path, err: thrown });
      for (const [k, v] of Object.entries(err.extra.headers ?? {})) c.header(k, v);
      const body: ErrorBody = { error: { code: err.code, message: err.message, ...(err.extra.field ? { field: err.extra.field } : {}) } };
      return c.json({ ...body, ...(err.extra.details ? { details: err.extra.details } : {}) }, err.status);
    }
    if (err instanceof HTTPException && err.status === 413) {
      return c.json({ error: { code: 'payload_too_large', message: 'The request body is too large' } } satisfies ErrorBody, 413);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: { code: 'bad_request', message: err.message || 'Bad request' } } satisfies ErrorBody, err.status);
    }
    // A body cut off by the client (gone, or dropped as a slow sender: see slow-bodies.ts) is
    // nobody's bug, and an error line per dropped connection would be noise anyone can make.
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming && incoming.destroyed && !incoming.complete) {
      log.info('request body cut off by the client', { method: c.req.method, path: c.req.path });
      return c.json({ error: { code: 'bad_request', message: 'The request body was cut off' } } satisfies ErrorBody, 400);
    }
    log.error('unhandled error', { err, method: c.req.method, path: c.req.path });
    return c.json({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged' } } satisfies ErrorBody, 500);
  };
}
