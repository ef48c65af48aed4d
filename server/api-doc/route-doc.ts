/**
 * What one HTTP route says about itself in the OpenAPI document (`GET /api/openapi.json`).
 * Each `*.routes.ts` has a `*.openapi.ts` beside it listing its routes with `describeRoutes`; the
 * lists are gathered in `server/api-doc/registry.ts`. The `body` and `query` schemas are the very
 * zod objects the route validates with (`readJson`, `readQuery` in http/body.ts), imported from
 * the routes file, so the document cannot drift from what the route accepts.
 */
import type { z } from 'zod';
import type { Role } from '../../shared/api.js';

/**
 * Who may call the route:
 * - `none`: anyone (public; provider callbacks, sign-up, invite previews, this document);
 * - `session`: a signed-in person (the session cookie); API tokens are refused with 403;
 * - `session-or-token`: the session cookie or `Authorization: Bearer tb_pat_…` (routes on one
 *   board, job or asset, where `boardRole` applies the token's grant);
 * - `guest`: a guest review link.
 */
export type RouteAuth = 'none' | 'session' | 'session-or-token' | 'guest';

/** How the answer travels when it is not a plain HTTP answer. */
export type RouteTransport = 'sse' | 'websocket';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDoc {
  method: HttpMethod;
  /** The full path in OpenAPI form: `/api/boards/{boardId}` (Hono's `:boardId` written `{boardId}`). */
  path: string;
  /** One line: what the route does. */
  summary: string;
  /** Longer words when the summary is not enough (Markdown). */
  description?: string;
  auth: RouteAuth;
  /** The least board role the route needs (members below it get 403, non-members 404). */
  role?: Role;
  /** The JSON body's schema, exactly as passed to `readJson`. */
  body?: z.ZodType;
  /** A multipart upload instead of JSON: what its parts are. */
  multipart?: { field: string; description: string };
  /** The query's schema (a `z.object` of the parameters), exactly as passed to `readQuery`. */
  query?: z.ZodType;
  /** Success answers: status → what comes back (name the `shared/` type for JSON). */
  ok: Partial<Record<number, string>>;
  /** Media type of the success body; JSON when not given. */
  produces?: string;
  transport?: RouteTransport;
  /** Error answers this route gives beyond the ones its auth, role and input imply: status → when. */
  errors?: Partial<Record<number, string>>;
}

/** A group of routes (one routes file), shown under `tag` in the document. */
export interface RouteGroup {
  tag: string;
  routes: readonly RouteDoc[];
}

/** Names a routes file's descriptions; the pattern every `*.openapi.ts` follows. */
export const describeRoutes = (tag: string, routes: readonly RouteDoc[]): RouteGroup => ({ tag, routes });
