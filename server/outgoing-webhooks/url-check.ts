/**
 * What a registered webhook URL must be, checked when an owner saves it so the mistake is named
 * at once: http(s), no embedded credentials, and not an inside address written out (an IP
 * literal or an internal name) unless the operator lists the host in WEBHOOK_ALLOW_HOSTS. Names
 * are resolved and checked again on every delivery (`send.ts`): DNS may answer differently later.
 */
import { blockedAddress, blockedName, isIpLiteral } from '../http/address-class.js';

/** Why `text` cannot be a webhook URL, or null when it may be saved. */
export function urlRefusal(text: string, allowHosts: readonly string[]): string | null {
  const url = URL.parse(text);
  if (!url) return 'not a URL; write it as https://host/path';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must start with https:// or http://, not ${url.protocol}//`;
  if (url.username || url.password) return 'must not carry a user name or password; use the signing secret to authenticate deliveries';
  const allow = new Set(allowHosts.map((h) => h.toLowerCase()));
  if (allow.has(url.host) || allow.has(url.hostname)) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const why = isIpLiteral(host) ? blockedAddress(host) : blockedName(host);
  return why ? `${host} is ${why}; webhooks go only to public addresses (the operator may allow this host in WEBHOOK_ALLOW_HOSTS)` : null;
}
