import { describeRoutes } from '../api-doc/route-doc.js';
import { CreateInvite } from './invites.routes.js';

export const invitesApi = describeRoutes('Invites', [
  { method: 'POST', path: '/api/boards/{boardId}/invites', summary: 'Create an invite link', auth: 'session', role: 'owner', body: CreateInvite, ok: { 201: '`CreatedInvite` (`token`, `url`)' } },
  { method: 'GET', path: '/api/boards/{boardId}/invites', summary: 'The board’s invites', auth: 'session', role: 'owner', ok: { 200: '`Invite[]`' } },
  { method: 'DELETE', path: '/api/boards/{boardId}/invites/{inviteId}', summary: 'Revoke an invite', auth: 'session', role: 'owner', ok: { 204: 'Revoked' } },
  {
    method: 'GET',
    path: '/api/invites/{token}',
    summary: 'Preview an invite link (board title, role, expiry)',
    auth: 'none',
    ok: { 200: '`InvitePreview`' },
    errors: { 404: 'Not a valid link', 410: 'Expired or revoked (saying which)', 429: 'Too many links that did not work from this address' },
  },
  {
    method: 'POST',
    path: '/api/invites/{token}/accept',
    summary: 'Join the board an invite link is for (never lowers a role you hold)',
    auth: 'session',
    ok: { 200: '`AcceptedInvite`' },
    errors: { 404: 'Not a valid link', 410: 'Expired or revoked (saying which)', 429: 'Too many links that did not work' },
  },
]);
