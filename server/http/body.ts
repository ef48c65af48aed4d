import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Parses and validates a JSON body. Bad JSON and bad fields become 400s naming the field, so
 * no malformed input ever reaches a handler or turns into a 500. The schema is the one the API
 * document shows for the route (server/api-doc/).
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  const text = await c.req.text();
  try {
    raw = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON');
  }
  return valid(schema, raw);
}

/**
 * Validates the query string (each parameter's first value, as text) against a `z.object` of its
 * parameters; a bad one is a 400 naming it. The schema is the one the API document shows.
 */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return valid(schema, c.req.query());
}

function valid<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new AppError('invalid_field', field ? `${field}: ${issue.message}` : issue.message, field ? { field } : {});
  }
  return parsed.data;
}

/** A `limit` query parameter: a whole number from 1 to `max`, `fallback` when absent. */
export function limitParam(max: number, fallback: number) {
  const words = `a whole number from 1 to ${max}`;
  return z.coerce.number({ message: words }).int(words).min(1, words).max(max, words).default(fallback);
}
