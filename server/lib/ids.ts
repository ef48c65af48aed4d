import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sha256 } from '@oslojs/crypto/sha2';
import { randomBytes } from 'node:crypto';

/** A random, URL-safe id: 120 bits, so ids are unguessable as well as unique. */
export function newId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(15));
}

/** A secret bearer token (sessions, invites): 160 bits of randomness. */
export function newToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

/** How tokens are stored: a database leak must not hand out live sessions or invites. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
