import type { User } from '../../shared/api.js';
import type { TokenGrant } from '../auth/api-tokens.js';
import type { Session } from '../auth/sessions.js';

/** Hono context variables set by the middleware in server/http and server/auth. */
export interface AppEnv {
  Variables: {
    user: User;
    /** Set for cookie requests; routes open to API tokens must not read it. */
    session: Session;
    /** Set only when the request came with an API token (`requireUser(deps, { tokens: true })`). */
    token: TokenGrant | undefined;
  };
}
