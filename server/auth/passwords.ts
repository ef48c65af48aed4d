import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes): tens of milliseconds per hash on a laptop core.
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id: a const enum we cannot import under verbatimModuleSyntax */, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same time as a real verification, so a login for an unknown email cannot be told
 * apart from a wrong password by its latency.
 */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword('takeboard-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}
