/**
 * Headers every response carries, set in one place so no route can forget them:
 * - the client page gets a Content-Security-Policy with no inline script (Vite emits only
 *   `<script src>`), no inline style attribute or element (Solid sets dynamic styles through the
 *   CSSOM, which CSP does not govern), no plugins, no `<base>`, and no framing;
 * - everything else (JSON, files, errors) a policy that allows nothing, should it ever be
 *   rendered as a page; a route that sets its own policy (the printable shot list, media) keeps it;
 * - `nosniff`, `X-Frame-Options: DENY` (for browsers without frame-ancestors) and a
 *   Referrer-Policy that sends only the origin elsewhere (invite links carry a token in the path).
 */
import type { MiddlewareHandler } from 'hono';

export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "font-src 'self'",
  // 'self' covers ws:/wss: to the same host (CSP Level 3), which the board's sync socket uses.
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const NOTHING_CSP = "default-src 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // A WebSocket upgrade answers on the raw socket; there is no page to protect.
    if (c.res.status === 101) return;
    const h = c.res.headers;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) h.set(name, value);
    if (!h.has('Content-Security-Policy')) {
      h.set('Content-Security-Policy', /^text\/html\b/i.test(h.get('Content-Type') ?? '') ? APP_CSP : NOTHING_CSP);
    }
  };
}
