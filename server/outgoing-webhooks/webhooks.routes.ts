/**
 * A board's outgoing webhooks, owners only (they leave the board with its events, and each
 * delivery is the server's work): list, create (the answer shows the signing secret, once), edit,
 * rotate the secret (the new one shown once; the old one keeps signing for a grace window), delete,
 * the delivery log of one endpoint with every attempt's answer, and resending a finished delivery.
 *
 *   GET    /api/boards/:boardId/webhooks
 *   POST   /api/boards/:boardId/webhooks                       { url, events }
 *   PATCH  /api/boards/:boardId/webhooks/:endpointId           { url?, events? }
 *   POST   /api/boards/:boardId/webhooks/:endpointId/rotate-secret
 *   DELETE /api/boards/:boardId/webhooks/:endpointId
 *   GET    /api/boards/:boardId/webhooks/:endpointId/deliveries
 *   POST   /api/boards/:boardId/webhooks/:endpointId/deliveries/:deliveryId/resend
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_WEBHOOK_ENDPOINTS, MAX_WEBHOOK_URL_CHARS, WEBHOOK_EVENTS, WEBHOOK_SECRET_GRACE_MS, type WebhookDeliveryView, type WebhookEndpointCreated, type WebhookEndpointView, type WebhookEvent } from '../../shared/webhooks.js';
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
import type { WebhookDispatcher } from './dispatcher.js';
import { deleteEndpoint, deliveriesOf, endpointOf, endpointsOf, insertEndpoint, requeueDelivery, rotateSecret, updateEndpoint } from './webhooks.queries.js';

/** Deliveries the log shows per endpoint, newest first. */
const LOG_LIMIT = 50;

const Url = z.string().min(1, 'give the URL deliveries are POSTed to').max(MAX_WEBHOOK_URL_CHARS, `at most ${MAX_WEBHOOK_URL_CHARS} characters`);
const Events = z
  .array(z.enum(WEBHOOK_EVENTS, { message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')}` }))
  .min(1, `choose at least one of ${WEBHOOK_EVENTS.join(', ')}`);

export const CreateBody = z.object({ url: Url, events: Events });

/** An edit: either field or both; what is left out stays as it was. */
export const EditBody = z
  .object({ url: Url.optional(), events: Events.optional() })
  .refine((b) => b.url !== undefined || b.events !== undefined, { message: 'give url, events or both' });

export function outgoingWebhookRoutes(deps: AppDeps & { webhookAllowHosts: readonly string[]; dispatcher: Pick<WebhookDispatcher, 'wake'> }) {
  const app = new Hono<AppEnv>();
  const owner = boardRoles(deps.db)('owner');
  const base = '/boards/:boardId/webhooks';

  app.get(base, requireUser(deps), owner, async (c) => c.json((await endpointsOf(deps.db, c.get('board').id)).map(view)));

  app.post(base, requireUser(deps), owner, async (c) => {
    const boardId = c.get('board').id;
    const body = await readJson(c, CreateBody);
    checkUrl(body.url);
    if ((await endpointsOf(deps.db, boardId)).length >= MAX_WEBHOOK_ENDPOINTS) {
      throw new AppError('invalid_field', `url: a board holds at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first`, { field: 'url' });
    }
    const row: WebhookEndpointsTable = {
      id: newId(),
      board_id: boardId,
      url: body.url,
      events: JSON.stringify([...new Set(body.events)]),
      secret: newSigningSecret(),
      previous_secret: null,
      previous_secret_until: null,
      created_by: c.get('user').id,
      created_at: deps.clock.now(),
    };
    await insertEndpoint(deps.db, row);
    const created: WebhookEndpointCreated = { ...view(row), secret: row.secret };
    return c.json(created, 201);
  });

  app.patch(`${base}/:endpointId`, requireUser(deps), owner, async (c) => {
    const body = await readJson(c, EditBody);
    if (body.url !== undefined) checkUrl(body.url);
    const row = await updateEndpoint(deps.db, c.get('board').id, c.req.param('endpointId'), {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.events ? { events: JSON.stringify([...new Set(body.events)]) } : {}),
    });
    if (!row) throw notFound();
    return c.json(view(row));
  });

  app.post(`${base}/:endpointId/rotate-secret`, requireUser(deps), owner, async (c) => {
    const boardId = c.get('board').id;
    const endpointId = c.req.param('endpointId');
    // Rotating twice within a window drops the oldest secret: only the last replaced one keeps signing.
    const row = await rotateSecret(deps.db, boardId, endpointId, newSigningSecret(), deps.clock.now() + WEBHOOK_SECRET_GRACE_MS);
    if (!row) throw notFound();
    const rotated: WebhookEndpointCreated = { ...view(row), secret: row.secret };
    return c.json(rotated);
  });

  app.delete(`${base}/:endpointId`, requireUser(deps), owner, async (c) => {
    if (!(await deleteEndpoint(deps.db, c.get('board').id, c.req.param('endpointId')))) throw notFound();
    return c.body(null, 204);
  });

  app.get(`${base}/:endpointId/deliveries`, requireUser(deps), owner, async (c) => {
    const boardId = c.get('board').id;
    const endpointId = c.req.param('endpointId');
    if (!(await endpointOf(deps.db, boardId, endpointId))) throw notFound();
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

  app.post(`${base}/:endpointId/deliveries/:deliveryId/resend`, requireUser(deps), owner, async (c) => {
    const boardId = c.get('board').id;
    const endpointId = c.req.param('endpointId');
    const deliveryId = c.req.param('deliveryId');
    if (!(await endpointOf(deps.db, boardId, endpointId))) throw notFound();
    const outcome = await requeueDelivery(deps.db, boardId, endpointId, deliveryId, deps.clock.now());
    if (outcome === 'missing') throw new AppError('not_found', 'Webhook delivery not found (the log keeps finished deliveries 30 days)');
    if (outcome === 'pending') throw new AppError('conflict', 'This delivery is still being tried; resend it once it has succeeded or failed');
    deps.dispatcher.wake();
    return c.json({ id: deliveryId, status: 'pending' }, 202);
  });
  return app;

  function checkUrl(url: string) {
    const refusal = urlRefusal(url, deps.webhookAllowHosts);
    if (refusal) throw new AppError('invalid_field', `url: ${refusal}`, { field: 'url' });
  }

  function view(row: WebhookEndpointsTable): WebhookEndpointView {
    const until = row.previous_secret_until === null ? null : Number(row.previous_secret_until);
    return {
      id: row.id,
      url: row.url,
      events: JSON.parse(row.events) as WebhookEvent[],
      createdAt: Number(row.created_at),
      previousSecretUntil: until !== null && until > deps.clock.now() ? until : null,
    };
  }
}

function notFound() {
  return new AppError('not_found', 'Webhook endpoint not found');
}
