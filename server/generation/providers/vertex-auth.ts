/**
 * Vertex AI's bearer token from a service-account key (docs/providers.md "Veo on Vertex AI"): an
 * RS256 JWT signed here with node:crypto (`iss` the account, `scope` cloud-platform, `aud` the key's
 * `token_uri`, one hour), exchanged at `token_uri` for an access token (OAuth 2 JWT bearer grant,
 * RFC 7523), kept until five minutes before it runs out. The key is checked when the server starts.
 */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { dig, num, str, type HttpClient } from './http.js';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const LIFETIME_SEC = 3600;
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface ServiceAccount {
  clientEmail: string;
  privateKey: KeyObject;
  tokenUri: string;
}

/** The parts of a service-account key file this needs; throws a sentence naming what is wrong. */
export function parseServiceAccount(json: string): ServiceAccount {
  let key: unknown;
  try {
    key = JSON.parse(json);
  } catch {
    throw new Error('VERTEX_SERVICE_ACCOUNT_JSON: not JSON; paste the whole service-account key file');
  }
  const clientEmail = str(dig(key, 'client_email'));
  const pem = str(dig(key, 'private_key'));
  const tokenUri = str(dig(key, 'token_uri')) ?? 'https://oauth2.googleapis.com/token';
  if (!clientEmail || !pem) throw new Error('VERTEX_SERVICE_ACCOUNT_JSON: needs client_email and private_key (a service-account key file)');
  if (!URL.canParse(tokenUri)) throw new Error('VERTEX_SERVICE_ACCOUNT_JSON: token_uri is not a URL');
  try {
    return { clientEmail, privateKey: createPrivateKey(pem), tokenUri };
  } catch {
    throw new Error('VERTEX_SERVICE_ACCOUNT_JSON: private_key is not a readable PEM key');
  }
}

/** Signs the assertion the token endpoint exchanges. */
export function signAssertion(account: ServiceAccount, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: account.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: account.tokenUri, iat: now, exp: now + LIFETIME_SEC })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(account.privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}

/** Access tokens for one account; `tokenHttp` is a client whose base is the token endpoint's origin. */
export function vertexTokenSource(account: ServiceAccount, tokenHttp: HttpClient, now: () => number) {
  let token = '';
  let assertion = '';
  let expiresAt = 0;
  let pending: Promise<string> | null = null;
  const fetchToken = async (): Promise<string> => {
    assertion = signAssertion(account, now());
    const { data } = await tokenHttp.json('POST', account.tokenUri, {
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
    });
    const access = str(dig(data, 'access_token'));
    if (!access) throw tokenHttp.error({ kind: 'auth', providerMessage: 'the token endpoint answered without an access_token' });
    token = access;
    expiresAt = now() + (num(dig(data, 'expires_in')) ?? LIFETIME_SEC) * 1000;
    return token;
  };
  return {
    /** A token valid for at least five more minutes (one exchange at a time). */
    async current(): Promise<string> {
      if (token && expiresAt - now() > REFRESH_MARGIN_MS) return token;
      pending ??= fetchToken().finally(() => (pending = null));
      return pending;
    },
    last: () => token,
    /** The last signed assertion: a credential too (it buys tokens for an hour), redacted like one. */
    lastAssertion: () => assertion,
  };
}
