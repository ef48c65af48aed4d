import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import type { Clock } from './lib/clock.js';
import type { Logger } from './lib/log.js';

/** Everything the app needs from outside, passed in so tests build it with their own parts. */
export interface AppDeps {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  /** Where the app is reached from; the only Origin accepted for mutations and sockets. */
  publicOrigin: string;
}
