/**
 * Outgoing webhooks as the API and the client see them: the events a board can send, an endpoint
 * (never its secret, except once in the answer that created it) and the delivery log.
 */

/** Every event an endpoint may subscribe to, in the order the settings list them. */
export const WEBHOOK_EVENTS = ['take.succeeded', 'take.failed', 'shot.approved', 'budget.warning', 'export.ready'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What a person reads next to each event's checkbox. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'take.succeeded': 'Take finished',
  'take.failed': 'Take failed',
  'shot.approved': 'Shot approved',
  'budget.warning': 'Budget warning',
  'export.ready': 'Export ready',
};

/** Endpoints one board may hold (each delivery is work for the server). */
export const MAX_WEBHOOK_ENDPOINTS = 10;
/** Longest URL accepted. */
export const MAX_WEBHOOK_URL_CHARS = 2048;

/** After a rotation, how long the replaced secret still signs deliveries beside the new one (24 h). */
export const WEBHOOK_SECRET_GRACE_MS = 24 * 3_600_000;

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: number;
  /** Until when the secret replaced at the last rotation still signs too; null when none does. */
  previousSecretUntil: number | null;
}

/** The answer to creating an endpoint or rotating its secret: the only time that secret is shown. */
export interface WebhookEndpointCreated extends WebhookEndpointView {
  secret: string;
}

export interface WebhookAttemptView {
  at: number;
  /** HTTP status of the answer; null when none came (see `error`). */
  statusCode: number | null;
  error: string | null;
  /** The first characters of the answer's body. */
  bodyExcerpt: string | null;
  durationMs: number;
}

export interface WebhookDeliveryView {
  /** The `webhook-id` header: the same on every attempt of this delivery. */
  id: string;
  endpointId: string;
  event: WebhookEvent;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: WebhookAttemptView[];
  nextAttemptAt: number | null;
  createdAt: number;
}

/** The JSON body every delivery carries (Standard Webhooks: type, timestamp, data). */
export interface WebhookPayload {
  type: WebhookEvent;
  /** ISO 8601, when the event happened. */
  timestamp: string;
  data: { boardId: string } & Record<string, unknown>;
}
