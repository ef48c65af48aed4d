import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../shared/api.js';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  invalid_json: 400,
  invalid_field: 400,
  unauthorized: 401,
  forbidden: 403,
  origin_forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  over_budget: 402,
  rate_limited: 429,
  storage_full: 507,
  internal: 500,
};

/**
 * The one error type routes throw. `app.onError` turns it into `{ error: { code, message } }`
 * with the status its code implies, so a code and its status can never disagree.
 */
export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { field?: string; headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

/** Board routes answer 404 to non-members so that a board's existence never leaks. */
export const boardNotFound = () => new AppError('not_found', 'Board not found');
