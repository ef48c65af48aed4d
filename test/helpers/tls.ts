/** A throwaway self-signed certificate for 127.0.0.1, for tests that need a real https server. */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface TestCert {
  key: string;
  cert: string;
}

/** Makes a P-256 key and certificate (CN and SAN 127.0.0.1, localhost) with the system openssl. */
export async function selfSignedCert(): Promise<TestCert> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-tls-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    return { key: await fs.readFile(key, 'utf8'), cert: await fs.readFile(cert, 'utf8') };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
