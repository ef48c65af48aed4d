/**
 * Bad input at start: a wrong DATABASE_URL, a refused login, an unreachable server stop the start
 * with a message naming the host and the reason, and no secret of the configuration (the URL's
 * password, a token in its query, DATABASE_AUTH_TOKEN, a provider key, a Redis password) is ever
 * printed. The real server runs in its own process; its whole stdout and stderr are searched.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, secretScrubber, secretValues, urlHost } from '../../server/lib/secrets.js';
import { freePort } from '../helpers/ports.js';
import { describePostgres, startPostgres, type PostgresServer } from '../helpers/postgres.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'Pa55-w0rd_never-shown';
const TOKEN = 'tok3n-never-shown-anywhere';
const PROVIDER_KEY = 'fal-key-never-shown-0123';

/** Runs the server until it exits; what it wrote to stdout and stderr, and its exit code. */
function startAndFail(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-secrets-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'debug', FAL_KEY: PROVIDER_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

function expectNoSecret(output: string) {
  for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), TOKEN, PROVIDER_KEY]) expect(output).not.toContain(secret);
}

describe('a bad database URL at start', () => {
  it('names the host and that nothing listens there, never the password (postgres://, unreachable)', async () => {
    const port = await freePort();
    const { code, output } = await startAndFail({ DATABASE_URL: `postgres://takeboard:${PASSWORD}@127.0.0.1:${port}/takeboard` });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot open the database at 127.0.0.1:${port}: connection refused`);
    expectNoSecret(output);
  });

  it('names a host that takes the connection but never answers, and the timeout, never the password', async () => {
    // A firewall that drops packets looks like this from here: nothing answers the handshake.
    const silent = net.createServer((socket) => socket.on('data', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const { code, output } = await startAndFail({ DATABASE_URL: `postgres://takeboard:${PASSWORD}@127.0.0.1:${port}/boards` });
      expect(code).toBe(1);
      expect(output).toContain(`Cannot open the database at 127.0.0.1:${port}: Connection terminated due to connection timeout`);
      expectNoSecret(output);
    } finally {
      silent.close();
    }
  }, 30_000);

  it('names a host that does not resolve, never the password or the query', async () => {
    const { code, output } = await startAndFail({ DATABASE_URL: `postgres://takeboard:${PASSWORD}@db.takeboard-nowhere.invalid:5432/boards?sslpassword=${TOKEN}` });
    expect(code).toBe(1);
    expect(output).toContain('Cannot open the database at db.takeboard-nowhere.invalid:5432: the host name does not resolve');
    expectNoSecret(output);
  });

  it.each([
    ['a port that is not a number', `postgres://takeboard:${PASSWORD}@db.internal:fivefourthreetwo/boards`, 'db.internal:fivefourthreetwo'],
    ['a port out of range', `postgresql://takeboard:${PASSWORD}@db.internal:99999/boards?password=${TOKEN}`, 'db.internal:99999'],
    ['an unclosed IPv6 bracket', `postgres://takeboard:${PASSWORD}@[::1/boards`, '[::1'],
  ])('names the host and that a malformed postgres:// URL (%s) is not a valid URL, never the password', async (_what, url, host) => {
    const { code, output } = await startAndFail({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot open the database at ${host}: not a valid URL (a port must be a number from 1 to 65535`);
    expectNoSecret(output);
  });

  it.each([
    ['?', 'pa?ss-never-shown-1'],
    ['#', 'pa#ss-never-shown-2'],
    ['/', 'pa/ss-never-shown-3'],
  ])('names the host of a URL whose password holds an unencoded %s, never any part of the password', async (_c, password) => {
    const url = `postgres://takeboard:${password}@db.internal:5432/boards`;
    const { code, output } = await startAndFail({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(output).toContain('Cannot open the database at db.internal:5432: not a valid URL');
    for (const part of [password, 'takeboard:pa', password.slice(3)]) expect(output).not.toContain(part);
    expect(displayUrl(url)).toBe('postgres://takeboard:***@db.internal:5432/boards');
  });

  it('names the socket directory of a URL that gives its host as host=, never the password', async () => {
    const { code, output } = await startAndFail({ DATABASE_URL: `postgresql://takeboard:${PASSWORD}@/boards?host=/run/takeboard-no-such-dir` });
    expect(code).toBe(1);
    expect(output).toContain('Cannot open the database at /run/takeboard-no-such-dir: ');
    expect(output).toContain('ENOENT');
    expectNoSecret(output);
  });

  it('names the variable, the allowed schemes and the host of a URL it does not know, never the password', async () => {
    const { code, output } = await startAndFail({ DATABASE_URL: `mysql://root:${PASSWORD}@db.internal:3306/boards?token=${TOKEN}` });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL must start with file:, libsql://, http(s)://, ws(s)://, postgres:// or postgresql://');
    expect(output).toContain('mysql://root:***@db.internal:3306/boards?***');
    expectNoSecret(output);
  });

  it('keeps a libSQL server token (in the URL and in DATABASE_AUTH_TOKEN) out of the message', async () => {
    const port = await freePort();
    const { code, output } = await startAndFail({ DATABASE_URL: `http://127.0.0.1:${port}?authToken=${TOKEN}`, DATABASE_AUTH_TOKEN: TOKEN });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot open the database at 127.0.0.1:${port}:`);
    expectNoSecret(output);
  });
});

describe('the secrets of a configuration', () => {
  const env = {
    DATABASE_URL: `postgres://takeboard:${encodeURIComponent(PASSWORD + '@/')}@db.internal/boards?sslmode=require&sslpassword=${TOKEN}`,
    REDIS_URL: `rediss://default:${PASSWORD}x@cache.internal:6380`,
    S3_SECRET_ACCESS_KEY: 'aws-secret-never-shown',
    S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    FAL_KEY: PROVIDER_KEY,
    REPLICATE_WEBHOOK_SECRET: 'whsec_never_shown',
    PUBLIC_ORIGIN: 'https://board.example.com',
  };

  it('are found in every variable that holds one, and masked wherever they appear (raw, URL-encoded, inside JSON)', () => {
    const scrub = secretScrubber(secretValues(env));
    const line = JSON.stringify({ msg: 'x', url: env.DATABASE_URL, redis: env.REDIS_URL, s3: env.S3_SECRET_ACCESS_KEY, key: env.FAL_KEY, hook: env.REPLICATE_WEBHOOK_SECRET, raw: `${PASSWORD}@/` });
    const out = scrub(line);
    for (const secret of [PASSWORD, TOKEN, PROVIDER_KEY, 'aws-secret-never-shown', 'whsec_never_shown']) expect(out).not.toContain(secret);
    // What is not a secret stays readable: hosts, users, the public origin.
    for (const plain of ['db.internal', 'cache.internal:6380', 'takeboard', 'default']) expect(out).toContain(plain);
    expect(scrub('https://board.example.com')).toBe('https://board.example.com');
    // Query values that are settings, not secrets, stay: masking them would blot out ordinary words.
    expect(scrub('S3_BUCKET is required')).toBe('S3_BUCKET is required');
  });

  it('are left out of a URL as messages show it, host and user kept', () => {
    expect(displayUrl(env.DATABASE_URL)).toBe('postgres://takeboard:***@db.internal/boards?***');
    expect(displayUrl('libsql://board-team.turso.io')).toBe('libsql://board-team.turso.io');
    expect(displayUrl(`not a url ${PASSWORD}@somewhere?x=1`)).toBe('***@somewhere');
    expect(urlHost(env.REDIS_URL)).toBe('cache.internal:6380');
  });
});

describePostgres('a PostgreSQL that refuses', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => server?.stop());

  it('names the host and the refused login, never the password', async () => {
    const url = await server.createDatabase();
    const wrong = url.replace(`:${server.password}@`, `:${PASSWORD}@`);
    const { code, output } = await startAndFail({ DATABASE_URL: wrong });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot open the database at 127.0.0.1:${server.port}: password authentication failed for user "takeboard"`);
    expectNoSecret(output);
  });

  it('names a database that does not exist', async () => {
    const url = `postgresql://${server.user}:${server.password}@127.0.0.1:${server.port}/no_such_board_db`;
    const { code, output } = await startAndFail({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(output).toContain('database "no_such_board_db" does not exist');
    expect(output).not.toContain(server.password);
  });
});
