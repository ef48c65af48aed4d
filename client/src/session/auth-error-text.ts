/**
 * Sign-up and login refusals in plain words: "Password: must be at least 10 characters" (the
 * server's rule under the field's own label, not "Password password: …"), the network failure
 * in words, and everything else as the server put it.
 */
import { ApiError } from '../api/api-client';
import { errorText } from '../ui/error-text';

const LABELS: Record<string, string> = { email: 'Email', password: 'Password', name: 'Name', city: 'City' };

export function authErrorText(err: unknown): string {
  if (!(err instanceof ApiError) || !err.field) return errorText(err);
  const label = LABELS[err.field] ?? err.field;
  // The server names the field first ("password: must be …"): said once, with the form's label.
  const rule = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
  return `${label}: ${rule}`;
}
