/**
 * Standard Webhooks signature check (used by Replicate): HMAC-SHA256 over `${id}.${timestamp}.${body}`
 * keyed with the base64 secret after `whsec_`; the header holds one or more `v1,<base64>` entries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface StandardWebhookInput {
  secret: string;
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  body: string;
  nowMs: number;
  /** How far the timestamp may be from now, either way; default 5 minutes. */
  toleranceSec?: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Checks headers and body against the secret; never throws. */
export function verifyStandardWebhook(input: StandardWebhookInput): VerifyResult {
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing webhook signature headers' };
  const ts = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(ts)) return { ok: false, reason: 'malformed webhook timestamp' };
  const tolerance = input.toleranceSec ?? 300;
  if (Math.abs(input.nowMs / 1000 - ts) > tolerance) return { ok: false, reason: 'webhook timestamp too old or too new' };
  const expected = sign(input.secret, id, timestamp, input.body);
  const matches = signature
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .some((part) => safeEqual(Buffer.from(part.slice(3), 'base64'), expected));
  return matches ? { ok: true } : { ok: false, reason: 'webhook signature does not match' };
}

/** The raw HMAC for an event (exported for fakes and tests). */
export function sign(secret: string, id: string, timestamp: string, body: string): Buffer {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
