/** Kling's bearer token: an HS256 JWT built here with node:crypto, `{iss, exp: now+1800, nbf: now-5}`. */
import { createHmac } from 'node:crypto';

const LIFETIME_SEC = 1800;
const REFRESH_MARGIN_SEC = 300;

/** Signs one token for `accessKey` with `secretKey` at `nowMs`. */
export function signKlingJwt(accessKey: string, secretKey: string, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const header = b64url({ alg: 'HS256', typ: 'JWT' });
  const payload = b64url({ iss: accessKey, exp: now + LIFETIME_SEC, nbf: now - 5 });
  const signature = createHmac('sha256', secretKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Returns a function giving a valid token, re-signed when under five minutes remain. */
export function klingTokenSource(accessKey: string, secretKey: string, now: () => number) {
  let token = '';
  let expiresSec = 0;
  const current = () => {
    const nowSec = Math.floor(now() / 1000);
    if (!token || expiresSec - nowSec < REFRESH_MARGIN_SEC) {
      token = signKlingJwt(accessKey, secretKey, now());
      expiresSec = nowSec + LIFETIME_SEC;
    }
    return token;
  };
  return { current, last: () => token };
}

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
