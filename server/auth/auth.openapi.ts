import { describeRoutes } from '../api-doc/route-doc.js';
import { LoginBody, ProfileBody, SignupBody } from './auth.routes.js';

export const authApi = describeRoutes('Accounts', [
  {
    method: 'POST',
    path: '/api/auth/signup',
    summary: 'Create an account and sign in',
    description: 'A taken email gets the same answer and a cookie that opens nothing (docs/decisions.md, "Sign-up without mail").',
    auth: 'none',
    body: SignupBody,
    ok: { 201: '`User`; sets the session cookie' },
    errors: { 429: 'Too many sign-ups from this address or for this email (`Retry-After`)' },
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Sign in',
    auth: 'none',
    body: LoginBody,
    ok: { 200: '`User`; sets a fresh session cookie' },
    errors: { 401: 'The email and password do not match an account', 429: 'Too many failed logins (per email and per address)' },
  },
  { method: 'POST', path: '/api/auth/logout', summary: 'End this session', auth: 'session', ok: { 204: 'Signed out; the cookie is cleared' } },
  { method: 'POST', path: '/api/auth/logout-everywhere', summary: 'End every session of the account, open sockets and streams too', auth: 'session', ok: { 204: 'Signed out everywhere' } },
  { method: 'PATCH', path: '/api/auth/profile', summary: 'Set the city teammates see (empty or null clears it)', auth: 'session', body: ProfileBody, ok: { 200: '`User`' } },
  { method: 'GET', path: '/api/auth/sessions', summary: 'The account’s sessions (devices), this one first', auth: 'session', ok: { 200: '`SessionInfo[]`' } },
  { method: 'DELETE', path: '/api/auth/sessions', summary: 'End every session but this one', auth: 'session', ok: { 200: '`{ ended }`: how many ended' } },
  {
    method: 'DELETE',
    path: '/api/auth/sessions/{id}',
    summary: 'End one of the account’s sessions',
    auth: 'session',
    ok: { 204: 'Ended' },
    errors: { 400: '`id` is not a session id (64 hex characters)', 404: 'No such session of yours' },
  },
]);
