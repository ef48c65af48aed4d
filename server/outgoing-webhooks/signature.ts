/**
 * Signing per the Standard Webhooks specification (standardwebhooks.com): each endpoint has a
 * secret `whsec_<base64 of 32 random bytes>`; a delivery carries `webhook-id` (the same on every
 * retry, so a receiver can drop duplicates), `webhook-timestamp` (Unix seconds of this attempt)
 * and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed by the decoded
 * secret. Any Standard Webhooks library verifies it. After a rotation, during the grace window,
 * the header holds two space-separated signatures (new secret first, then the one it replaced):
 * the spec's receivers accept a message when any of them matches.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

export function newSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The `v1,<signature>` value for one attempt. */
export function signature(secret: string, id: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64')}`;
}

/** The three headers of one attempt (plus the JSON content type), signed by each of `secrets`. */
export function signedHeaders(secrets: readonly string[], id: string, timestampSec: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': secrets.map((s) => signature(s, id, timestampSec, body)).join(' '),
  };
}
