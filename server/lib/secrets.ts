/**
 * Configuration values that are secrets, and how to speak of them without printing them. A start
 * error or a log line names the host and the reason; the password in a DATABASE_URL, a token, an
 * S3 secret or a provider key never reaches stderr or stdout (main.ts scrubs every line it writes).
 */
import { PROVIDERS } from '../generation/providers/registry.js';

/** Variables whose whole value is a secret. Provider keys come from the provider registry. */
const SECRET_VARS = ['DATABASE_AUTH_TOKEN', 'S3_SECRET_ACCESS_KEY'];
/** Variables holding a URL that may carry a password or a token in its query. */
const URL_VARS = ['DATABASE_URL', 'REDIS_URL', 'S3_ENDPOINT', ...PROVIDERS.map((e) => e.baseUrl)];
/** Option variables of providers that are secrets (e.g. REPLICATE_WEBHOOK_SECRET). */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|_KEY$/;

const MASK = '***';
/** Shorter values would blot out ordinary words of a message; no real secret is this short. */
const MIN_SECRET_LENGTH = 4;

/** Every secret value the environment holds, longest first (so a secret containing another is masked whole). */
export function secretValues(env: Record<string, string | undefined>): string[] {
  const names = [
    ...SECRET_VARS,
    ...PROVIDERS.flatMap((e) => [...Object.keys(e.keys), ...Object.keys(e.options ?? {}).filter((k) => SECRET_NAME.test(k))]),
  ];
  const found = new Set<string>();
  for (const k of names) {
    const v = env[k]?.trim();
    if (v) found.add(v);
  }
  for (const k of URL_VARS) {
    const v = env[k]?.trim();
    if (v) for (const s of urlSecrets(v)) found.add(s);
  }
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Query parameters that carry a secret (authToken=, password=, sslpassword=, sslkey=); not sslmode=require. */
const SECRET_PARAM = /token|pass|secret|key|auth|credential/i;

/** The password of a URL and its secret query values, raw and decoded. */
export function urlSecrets(raw: string): string[] {
  const out: string[] = [];
  // By hand as well as through URL: a URL the parser refuses is exactly the one an error would echo.
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(raw)?.[1];
  const password = userinfo?.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : undefined;
  if (password) out.push(password, safeDecode(password));
  const query = raw.split('?')[1]?.split('#')[0];
  for (const pair of query?.split('&') ?? []) {
    const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (pair.includes('=') && value && SECRET_PARAM.test(name)) out.push(value, safeDecode(value));
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A function that replaces each secret in a text (also as it appears inside JSON or a URL) with ***. */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]))]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => forms.reduce((t, s) => t.split(s).join(MASK), text);
}

/**
 * A URL as a message may show it: scheme, user, host, port and path, the password and the query
 * masked. Text that is not a URL shows only what comes before any `@` (where credentials start).
 */
export function displayUrl(raw: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^/?#:@]*)(?::[^/?#@]*)?@)?([^?#]*)/i.exec(raw);
  if (!m) return raw.includes('@') ? `${MASK}@${raw.slice(raw.lastIndexOf('@') + 1).split('?')[0]}` : raw.split('?')[0]!;
  const user = m[2] ? `${m[2]}${raw.slice(m[1]!.length).split('@')[0]!.includes(':') ? `:${MASK}` : ''}@` : '';
  return `${m[1]}${user}${m[3]}${raw.includes('?') ? `?${MASK}` : ''}`;
}

/**
 * The host (and port) a URL names, for "cannot reach <host>" messages; the text before any path
 * otherwise. A PostgreSQL URL with no host but a `host=` parameter (a socket directory) is named by it.
 */
export function urlHost(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.host) return u.host;
  } catch {
    // fall through: named by hand below
  }
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?([^/?#]*)/i.exec(raw);
  if (m?.[1]) return m[1];
  const hostParam = /[?&]host=([^&#]*)/i.exec(raw)?.[1];
  return hostParam ? safeDecode(hostParam) : 'an unnamed host';
}
