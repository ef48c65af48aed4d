/**
 * The receiver's side of the Standard Webhooks spec, written from the spec (not from the server's
 * code): the timestamp within 5 minutes of the receiver's clock, and any of the space-separated
 * `v1,<base64>` signatures in `webhook-signature` equal to HMAC-SHA256 of "id.timestamp.body"
 * keyed by the secret's base64 part (after a rotation the header holds two).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export function verifyWebhook(secret: string, r: { headers: http.IncomingHttpHeaders; body: string }, nowSec = Math.floor(Date.now() / 1000)): boolean {
  const id = r.headers['webhook-id'];
  const ts = r.headers['webhook-timestamp'];
  const sigs = r.headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') return false;
  if (Math.abs(nowSec - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${r.body}`).digest();
  return sigs.split(' ').some((s) => {
    const [version, b64] = s.split(',');
    const given = Buffer.from(b64 ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
