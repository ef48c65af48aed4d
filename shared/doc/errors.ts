/** Why an accessor refused: a closed set so callers (HTTP routes, UI) can map it without parsing text. */
export const DOC_ERROR_CODES = ['not_found', 'invalid_value'] as const;
export type DocErrorCode = (typeof DOC_ERROR_CODES)[number];

/** Thrown by accessors on a missing id or a value the schema does not allow; nothing is written. */
export class DocError extends Error {
  readonly code: DocErrorCode;

  constructor(code: DocErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'DocError';
  }
}

export function notFound(what: string, id: string): DocError {
  return new DocError('not_found', `${what} "${id}" not found`);
}
