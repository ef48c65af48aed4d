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

/**
 * A URL's scheme, its userinfo (user:password, or '' when none) and what follows it. By hand, not
 * through URL: a URL the parser refuses is exactly the one an error would echo. Its userinfo ends
 * at the last @ of the authority; when a password holds an unencoded / ? or #, the parser refuses
 * the URL and the authority seems to end early, so then the last @ anywhere ends it (masking too
 * much rather than too little).
 */
function splitUrl(raw: string): { scheme: string; userinfo: string; rest: string } | null {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0];
  if (!scheme) return null;
  const after = raw.slice(scheme.length);
  const authorityEnd = after.search(/[/?#]/);
  const authority = authorityEnd < 0 ? after : after.slice(0, authorityEnd);
  const at = authority.includes('@') || parses(raw) ? authority.lastIndexOf('@') : after.lastIndexOf('@');
  return at < 0 ? { scheme, userinfo: '', rest: after } : { scheme, userinfo: after.slice(0, at), rest: after.slice(at + 1) };
}

function parses(raw: string): boolean {
  try {
    new URL(raw);
    return true;
  } catch {
    return false;
  }
}

/** The password of a URL and its secret query values, raw and decoded. */
export function urlSecrets(raw: string): string[] {
  const out: string[] = [];
  const userinfo = splitUrl(raw)?.userinfo ?? '';
  const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : undefined;
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
 * masked. Text that is not a URL shows only what comes before any `?` and after any `@`.
 */
export function displayUrl(raw: string): string {
  const u = splitUrl(raw);
  if (!u) return raw.includes('@') ? `${MASK}@${raw.slice(raw.lastIndexOf('@') + 1).split('?')[0]}` : raw.split('?')[0]!;
  const user = u.userinfo ? `${u.userinfo.split(':')[0]}${u.userinfo.includes(':') ? `:${MASK}` : ''}@` : '';
  const [beforeQuery] = u.rest.split(/[?#]/);
  return `${u.scheme}${user}${beforeQuery}${u.rest.length > beforeQuery!.length ? `?${MASK}` : ''}`;
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
  const host = splitUrl(raw)?.rest.split(/[/?#]/)[0];
  if (host) return host;
  const hostParam = /[?&]host=([^&#]*)/i.exec(raw)?.[1];
  return hostParam ? safeDecode(hostParam) : 'an unnamed host';
}
