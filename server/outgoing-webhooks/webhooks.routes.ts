/**
 * A board's outgoing webhooks, owners only (they leave the board with its events, and each
 * delivery is the server's work): list, create (the answer shows the signing secret, once),
 * delete, and the delivery log of one endpoint with every attempt's answer.
 *
 *   GET    /api/boards/:boardId/webhooks
 *   POST   /api/boards/:boardId/webhooks                       { url, events }
 *   DELETE /api/boards/:boardId/webhooks/:endpointId
 *   GET    /api/boards/:boardId/webhooks/:endpointId/deliveries
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_WEBHOOK_ENDPOINTS, MAX_WEBHOOK_URL_CHARS, WEBHOOK_EVENTS, type WebhookDeliveryView, type WebhookEndpointCreated, type WebhookEndpointView, type WebhookEvent } from '../../shared/webhooks.js';
import { requireUser } from '../auth/middleware.js';
import { boardRoles } from '../boards/access.js';
import type { WebhookEndpointsTable } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { newId } from '../lib/ids.js';
import { newSigningSecret } from './signature.js';
import { urlRefusal } from './url-check.js';
import { deleteEndpoint, deliveriesOf, endpointsOf, insertEndpoint } from './webhooks.queries.js';

/** Deliveries the log shows per endpoint, newest first. */
const LOG_LIMIT = 50;

export const CreateBody = z.object({
  url: z.string().min(1, 'give the URL deliveries are POSTed to').max(MAX_WEBHOOK_URL_CHARS, `at most ${MAX_WEBHOOK_URL_CHARS} characters`),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')}` }))
    .min(1, `choose at least one of ${WEBHOOK_EVENTS.join(', ')}`),
});

export function outgoingWebhookRoutes(deps: AppDeps & { webhookAllowHosts: readonly string[] }) {
  const app = new Hono<AppEnv>();
  const owner = boardRoles(deps.db)('owner');
  const base = '/boards/:boardId/webhooks';

  app.get(base, requireUser(deps), owner, async (c) => c.json((await endpointsOf(deps.db, c.get('board').id)).map(view)));

  app.post(base, requireUser(deps), owner, async (c) => {
    const boardId = c.get('board').id;
    const body = await readJson(c, CreateBody);
    const refusal = urlRefusal(body.url, deps.webhookAllowHosts);
    if (refusal) throw new AppError('invalid_field', `url: ${refusal}`, { field: 'url' });
    if ((await endpointsOf(deps.db, boardId)).length >= MAX_WEBHOOK_ENDPOINTS) {
      throw new AppError('invalid_field', `url: a board holds at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first`, { field: 'url' });
    }
    const row: WebhookEndpointsTable = {
      id: newId(),
      board_id: boardId,
      url: body.url,
      events: JSON.stringify([...new Set(body.events)]),
      secret: newSigningSecret(),
      created_by: c.get('user').id,
      created_at: deps.clock.now(),
    };
    await insertEndpoint(deps.db, row);
    const created: WebhookEndpointCreated = { ...view(row), secret: row.secret };
    return c.json(created, 201);
  });

  app.delete(`${base}/:endpointId`, requireUser(deps), owner, async (c) => {
    if (!(await deleteEndpoint(deps.db, c.get('board').id, c.req.param('endpointId')))) throw new AppError('not_found', 'Webhook endpoint not found');
    return c.body(null, 204);
  });

  app.get(`${base}/:endpointId/deliveries`, requireUser(deps), owner, async (c) => {
    const boardId = c.get('board').id;
    const endpointId = c.req.param('endpointId');
    if (!(await endpointsOf(deps.db, boardId)).some((e) => e.id === endpointId)) throw new AppError('not_found', 'Webhook endpoint not found');
    const { deliveries, attempts } = await deliveriesOf(deps.db, boardId, endpointId, LOG_LIMIT);
    const out: WebhookDeliveryView[] = deliveries.map((d) => ({
      id: d.id,
      endpointId: d.endpoint_id,
      event: d.event as WebhookEvent,
      status: d.status,
      nextAttemptAt: d.status === 'pending' ? Number(d.next_attempt_at) : null,
      createdAt: Number(d.created_at),
      attempts: attempts
        .filter((a) => a.delivery_id === d.id)
        .map((a) => ({ at: Number(a.at), statusCode: a.status_code === null ? null : Number(a.status_code), error: a.error, bodyExcerpt: a.body_excerpt, durationMs: Number(a.duration_ms) })),
    }));
    return c.json(out);
  });
  return app;
}

function view(row: WebhookEndpointsTable): WebhookEndpointView {
  return { id: row.id, url: row.url, events: JSON.parse(row.events) as WebhookEvent[], createdAt: Number(row.created_at) };
}
