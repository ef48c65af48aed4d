/**
 * One delivery attempt: a signed POST through the same egress door provider requests use
 * (`generation/providers/egress.ts`): the host resolved once and every address checked public,
 * the connection pinned to the checked address, no redirect followed (a 3xx is the answer).
 * Hosts the operator lists in WEBHOOK_ALLOW_HOSTS skip the address check. The attempt is cut off
 * after `timeoutMs`, and at most `maxResponseBytes` of the answer are read.
 */
import { createEgress, type EgressOptions } from '../generation/providers/egress.js';
import { signedHeaders } from './signature.js';

export interface SendOptions {
  allowHosts: readonly string[];
  /** Every address a name resolves to (tests); the system resolver by default. */
  resolve?: EgressOptions['resolve'];
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface AttemptResult {
  /** A 2xx answer came. */
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  bodyExcerpt: string | null;
  durationMs: number;
}

/** Characters of the answer kept in the log. */
export const EXCERPT_CHARS = 300;

export async function sendOnce(
  target: { url: string; secrets: readonly string[]; id: string; body: string },
  nowMs: () => number,
  o: SendOptions,
): Promise<AttemptResult> {
  const started = nowMs();
  const egress = createEgress({
    provider: 'webhook',
    apiBase: target.url,
    credentials: () => ({}),
    options: { allowHosts: o.allowHosts, followRedirects: false, allowSetting: 'WEBHOOK_ALLOW_HOSTS', ...(o.resolve ? { resolve: o.resolve } : {}) },
  });
  const signal = AbortSignal.timeout(o.timeoutMs);
  // Wall-clock seconds, not the injected clock: receivers compare the timestamp with their own clocks.
  const headers = { ...signedHeaders(target.secrets, target.id, Math.floor(Date.now() / 1000), target.body), 'user-agent': 'Takeboard-Webhooks/1' };
  try {
    const res = await egress.fetch(target.url, { method: 'POST', headers, body: target.body, signal });
    const text = await readCapped(res, o.maxResponseBytes);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: null, bodyExcerpt: excerpt(text), durationMs: nowMs() - started };
  } catch (err) {
    const why = signal.aborted ? `no answer within ${o.timeoutMs} ms` : describeError(err);
    return { ok: false, statusCode: null, error: why, bodyExcerpt: null, durationMs: nowMs() - started };
  }
}

/** The answer's first `max` bytes as text; the rest is never read. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

function excerpt(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  return t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS - 1)}…` : t;
}

/** The egress refusal or the network error, in words, without the provider-error prefix. */
function describeError(err: unknown): string {
  if (err && typeof err === 'object' && 'providerMessage' in err) return String(err.providerMessage);
  const e = err as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message ?? ''}`.trim() : (e.message ?? String(err));
}
