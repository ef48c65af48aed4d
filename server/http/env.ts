import type { User } from '../../shared/api.js';
import type { Session } from '../auth/sessions.js';

/** Hono context variables set by the middleware in server/http and server/auth. */
export interface AppEnv {
  Variables: {
    user: User;
    session: Session;
  };
}
