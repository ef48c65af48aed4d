import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Parses and validates a JSON body. Bad JSON and bad fields become 400s naming the field, so
 * no malformed input ever reaches a handler or turns into a 500.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  const text = await c.req.text();
  try {
    raw = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new AppError('invalid_field', field ? `${field}: ${issue.message}` : issue.message, field ? { field } : {});
  }
  return parsed.data;
}
