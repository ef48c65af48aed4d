import { NETWORK_MESSAGE } from '../api/api-client';

/** A message for any error thrown by the API client or a document accessor. */
export function errorText(err: unknown): string {
  // A fetch that never reached the server, thrown outside the API client: the browser's words are no help.
  if (err instanceof TypeError && /fetch|network/i.test(err.message)) return NETWORK_MESSAGE;
  return err instanceof Error ? err.message : String(err);
}
