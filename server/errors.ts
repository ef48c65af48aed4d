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

/** What the OS (errno), SQLite, ffmpeg's stderr and our own 507 say when a disk or a quota is full. */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', 'storage_full']);
const FULL_TEXT = /No space left on device|Disk quota exceeded/;

/**
 * True when `err` (or anything in its cause chain) is a full disk or quota, as an errno code or
 * as the OS's words inside a tool's message (ffmpeg writing its output).
 */
export function isStorageFull(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (FULL_CODES.has((e as NodeJS.ErrnoException).code ?? '') || FULL_TEXT.test(e.message)) return true;
  }
  return false;
}

/** 507: the server's storage is full; `what` names what could not be saved. Nothing of it was kept. */
export const storageFull = (what: string, extra: AppError['extra'] = {}) =>
  new AppError('storage_full', `The server's storage is full: ${what} could not be saved. Nothing was kept; try again once space is freed.`, extra);
