/**
 * The parts of the OpenAPI document every route refers to: how callers authenticate, and the
 * one error body (`server/http/errors.ts` writes it for every thrown error).
 */
import { z } from 'zod';
import { API_TOKEN_PREFIX, ERROR_CODES, type ErrorBody } from '../../shared/api.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import { GUEST_COOKIE } from '../review-links/guest-session.js';
import type { RouteAuth } from './route-doc.js';

/** The error answer: `ErrorBody` plus the `details` some errors carry (`AppError.extra.details`). */
export const ErrorAnswer = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe('Stable machine-readable code; the HTTP status follows from it (server/errors.ts)'),
      message: z.string().describe('Plain words for a person, naming the field and the allowed values for bad input'),
      field: z.string().optional().describe('The offending input field, when there is one (dotted path into the body)'),
    }),
    details: z.record(z.string(), z.unknown()).optional().describe('More about some errors, e.g. `reason: price_unknown` on a 409 from generate'),
  })
  .describe('Every error answer of the API');

/** Keeps the schema and the type the error handler writes in step: a change to either fails to compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const errorAnswerMatchesErrorBody: Same<z.infer<typeof ErrorAnswer>['error'], ErrorBody['error']> = true;

export function securitySchemes(publicOrigin: string) {
  return {
    sessionCookie: {
      type: 'apiKey',
      in: 'cookie',
      name: SESSION_COOKIE,
      description: `The session set by \`POST /api/auth/signup\` and \`POST /api/auth/login\` (HttpOnly). Every mutating request with it must carry \`Origin: ${publicOrigin}\` (403 \`origin_forbidden\` otherwise).`,
    },
    apiToken: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: `${API_TOKEN_PREFIX}…`,
      description:
        'A personal access token (`POST /api/auth/tokens`), scoped to boards and to read or write. Accepted only on routes of one board, job or asset; a request with it is judged by it alone (its cookie is ignored, no Origin check). Revoked or expired: 401 saying which.',
    },
    guestLink: {
      type: 'apiKey',
      in: 'cookie',
      name: GUEST_COOKIE,
      description: 'A guest of a review link: set when someone without an account opens the link and types a name; sent only to `/api/guest`. Lives as long as the link; an expired or revoked link answers 401.',
    },
  } as const;
}

/** The security requirement of each kind of route (OpenAPI: any one of the listed schemes). */
export const SECURITY: Record<RouteAuth, Record<string, string[]>[]> = {
  none: [],
  session: [{ sessionCookie: [] }],
  'session-or-token': [{ sessionCookie: [] }, { apiToken: [] }],
  guest: [{ guestLink: [] }],
};
