import type { HonoRequest } from 'hono';

/**
 * A read done at most once per request. Routes whose path names a row (an asset, a job) find the
 * board through that row in `boardRole` and then serve the same row: both ask this, so the row is
 * read once. Keyed by the request itself, so nothing outlives it.
 */
export function oncePerRequest<T>(read: (req: HonoRequest) => Promise<T>): (req: HonoRequest) => Promise<T> {
  const seen = new WeakMap<Request, Promise<T>>();
  return (req) => {
    let pending = seen.get(req.raw);
    if (!pending) seen.set(req.raw, (pending = read(req)));
    return pending;
  };
}
