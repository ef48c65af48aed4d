import { describeRoutes } from '../api-doc/route-doc.js';
import { CreateBody } from './webhooks.routes.js';

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
