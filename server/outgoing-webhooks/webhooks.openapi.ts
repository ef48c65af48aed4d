import { describeRoutes } from '../api-doc/route-doc.js';
import { CreateBody, EditBody } from './webhooks.routes.js';

export const outgoingWebhooksApi = describeRoutes('Outgoing webhooks', [
  { method: 'GET', path: '/api/boards/{boardId}/webhooks', summary: 'The board’s webhook endpoints (never their secrets)', auth: 'session', role: 'owner', ok: { 200: '`WebhookEndpointView[]`' } },
  {
    method: 'POST',
    path: '/api/boards/{boardId}/webhooks',
    summary: 'Register a URL for events; the answer holds its signing secret, this once',
    description: 'Deliveries are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see docs/api.md. A URL on a private or loopback address is refused unless the operator allows its host (WEBHOOK_ALLOW_HOSTS).',
    auth: 'session',
    role: 'owner',
    body: CreateBody,
    ok: { 201: '`WebhookEndpointCreated`' },
  },
  {
    method: 'PATCH',
    path: '/api/boards/{boardId}/webhooks/{endpointId}',
    summary: 'Change an endpoint’s URL, events or both',
    description: 'The URL is checked as at creation: a private or loopback address is refused unless the operator allows its host (WEBHOOK_ALLOW_HOSTS). Queued deliveries go to the new URL.',
    auth: 'session',
    role: 'owner',
    body: EditBody,
    ok: { 200: '`WebhookEndpointView`' },
  },
  {
    method: 'POST',
    path: '/api/boards/{boardId}/webhooks/{endpointId}/rotate-secret',
    summary: 'Replace the signing secret; the answer holds the new one, this once',
    description: 'For 24 hours (`previousSecretUntil`) deliveries carry two signatures in `webhook-signature`, by the new and by the replaced secret, so a receiver can switch without losing events; after that only the new one.',
    auth: 'session',
    role: 'owner',
    ok: { 200: '`WebhookEndpointCreated`' },
  },
  {
    method: 'POST',
    path: '/api/boards/{boardId}/webhooks/{endpointId}/deliveries/{deliveryId}/resend',
    summary: 'Send a finished (succeeded or failed) delivery again, with the same webhook-id and body',
    description: 'Queues a fresh series of attempts (retried like any delivery); the new attempts join the delivery’s log. 409 while the delivery is still being tried.',
    auth: 'session',
    role: 'owner',
    ok: { 202: '`{ id, status: "pending" }`' },
  },
  { method: 'DELETE', path: '/api/boards/{boardId}/webhooks/{endpointId}', summary: 'Delete an endpoint, its deliveries and log', auth: 'session', role: 'owner', ok: { 204: 'Deleted' } },
  {
    method: 'GET',
    path: '/api/boards/{boardId}/webhooks/{endpointId}/deliveries',
    summary: 'An endpoint’s newest deliveries, with every attempt’s answer',
    auth: 'session',
    role: 'owner',
    ok: { 200: '`WebhookDeliveryView[]`' },
  },
]);
