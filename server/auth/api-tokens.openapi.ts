import { describeRoutes } from '../api-doc/route-doc.js';
import { CreateToken } from './api-tokens.routes.js';

export const apiTokensApi = describeRoutes('API tokens', [
  { method: 'GET', path: '/api/auth/tokens', summary: 'Your API tokens (never their secrets), newest first', auth: 'session', ok: { 200: '`ApiTokenInfo[]`' } },
  {
    method: 'POST',
    path: '/api/auth/tokens',
    summary: 'Create an API token; the answer holds its secret, this once',
    auth: 'session',
    body: CreateToken,
    ok: { 201: '`ApiTokenCreated`' },
    errors: { 409: 'The account already has the most active tokens allowed', 429: 'Too many tokens created (`Retry-After`)' },
  },
  {
    method: 'DELETE',
    path: '/api/auth/tokens/{id}',
    summary: 'Revoke one of your tokens',
    auth: 'session',
    ok: { 204: 'Revoked' },
    errors: { 400: '`id` is not a token id', 404: 'No such token of yours, or already revoked' },
  },
]);
