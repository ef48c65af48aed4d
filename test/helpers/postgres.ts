/**
 * A real PostgreSQL server for a test file: Debian's `postgresql` package (installed by
 * scripts/test-setup.mjs), run as the unprivileged `postgres` user when we are root (initdb
 * refuses root; otherwise as the user running the tests) from a
 * temporary data directory, listening on a free loopback port with its socket in that directory.
 *
 * The server runs under a small shell guard that holds a pipe from this process: `stop()` closes
 * it, and so does this process dying in any way (even SIGKILL). Either way the guard shuts the
 * server down fast and removes the directory, so no server or data outlives the test process.
 * Through the same pipe `shutDown()` and `startAgain()` stop the server (as an operator's
 * fast shutdown does: every connection dropped) and start it again on its port with its data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

const RUN_AS = 'postgres';

/** The newest installed server's bin directory (/usr/lib/postgresql/<version>/bin), or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres'))) return bin;
  }
  return null;
}

function hasUser(name: string): boolean {
  return spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
}

/** Why PostgreSQL cases cannot run here, or null when they can. */
export function postgresMissing(): string | null {
  if (!postgresBinDir()) return 'PostgreSQL is not installed (apt-get install -y postgresql)';
  if (process.getuid?.() === 0 && !hasUser(RUN_AS)) return `there is no "${RUN_AS}" user to run PostgreSQL as (apt-get install -y postgresql creates it)`;
  return null;
}

export type Engine = 'libsql' | 'postgres';

/**
 * The engines a `describe.each` runs over: libSQL always, PostgreSQL where it is installed. Where
 * it is not, the cases are skipped with a message, and under REQUIRE_E2E=1 the file fails.
 */
export function testEngines(): Engine[] {
  const why = postgresMissing();
  if (!why) return ['libsql', 'postgres'];
  if (process.env.REQUIRE_E2E === '1') throw new Error(`REQUIRE_E2E=1 but ${why}`);
  console.warn(`\n[postgres] SKIPPED the PostgreSQL cases: ${why} (REQUIRE_E2E=1 makes this fail)\n`);
  return ['libsql'];
}

/** `describe` for PostgreSQL-only cases: skipped with a message where it is absent, failing under REQUIRE_E2E=1. */
export function describePostgres(name: string, fn: () => void) {
  if (testEngines().includes('postgres')) describe(name, fn);
  else describe.skip(name, fn);
}

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A fresh, empty database on this server; its postgres:// URL (with the password). */
  createDatabase(): Promise<string>;
  /** Shuts the server down and removes its directory. */
  stop(): Promise<void>;
  /** Stops the server as an operator would (fast shutdown: open connections dropped), keeping its data. */
  shutDown(): Promise<void>;
  /** Starts the stopped server again on the same port with the same data; resolves once it accepts connections. */
  startAgain(): Promise<void>;
}

/** Starts a PostgreSQL server for this test file; call `stop()` in afterAll. */
export async function startPostgres(): Promise<PostgresServer> {
  const why = postgresMissing();
  if (why) throw new Error(why);
  const bin = postgresBinDir()!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-pg-'));
  const data = path.join(dir, 'data');
  const user = 'takeboard';
  const password = crypto.randomBytes(12).toString('hex');
  fs.writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
  fs.chmodSync(dir, 0o700);
  // initdb refuses root: as root the server runs as the postgres user; any other user runs it as itself.
  const root = process.getuid?.() === 0;
  if (root) spawnSync('chown', ['-R', `${RUN_AS}:`, dir]);
  const asPostgres = (cmd: string, args: string[]) => (root ? ['setpriv', '--reuid', RUN_AS, '--regid', RUN_AS, '--init-groups', '--', cmd, ...args] : [cmd, ...args]);

  const [initCmd, ...initArgs] = asPostgres(path.join(bin, 'initdb'), [
    '-D', data, '-U', user, `--pwfile=${path.join(dir, 'pwfile')}`,
    '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--encoding=UTF8', '--locale=C',
  ]);
  const init = spawnSync(initCmd!, initArgs, { encoding: 'utf8', cwd: dir });
  if (init.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }

  const port = await freePort();
  // fsync off: the server's own crash safety is not what these tests check, and the machine is shared.
  const server = asPostgres(path.join(bin, 'postgres'), [
    '-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=60',
  ]);
  const quoted = server.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // The guard: the server in the background; a "down" line stops it (fast shutdown) and says
  // "down" once it is gone, an "up" line starts it again; end of stdin (stop(), or this process
  // gone) ends it and removes the directory.
  const guard: ChildProcess = spawn(
    'sh',
    [
      '-c',
      `up() { ${quoted} 2>>"$1/server.log" & pg=$!; }; up
while read -r cmd; do
  case "$cmd" in
    down) kill -INT $pg 2>/dev/null; wait $pg; echo down ;;
    up) up ;;
  esac
done
kill -INT $pg 2>/dev/null; wait $pg; rm -rf "$1"`,
      'pg-guard',
      dir,
    ],
    { stdio: ['pipe', 'pipe', 'ignore'], detached: true },
  );
  let guardSaid = '';
  guard.stdout!.on('data', (d) => (guardSaid += d));
  // Reading the guard's answers must not keep this process alive (its stdin pipe never did).
  (guard.stdout as unknown as { unref?: () => void }).unref?.();
  const exited = new Promise<void>((resolve) => guard.once('exit', () => resolve()));
  const stop = async () => {
    guard.stdin!.end();
    await exited;
  };

  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  const accepting = () =>
    waitFor(async () => {
      if (guard.exitCode !== null) throw new Error(`postgres exited: ${readLog(dir)}`);
      const c = new pg.Client({ connectionString: adminUrl });
      try {
        await c.connect();
        await c.query('select 1');
        return true;
      } finally {
        await c.end().catch(() => {});
      }
    }, 'PostgreSQL to accept connections', 30_000);
  try {
    await accepting();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    async createDatabase() {
      const name = `tb_${crypto.randomBytes(6).toString('hex')}`;
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`create database ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://${user}:${password}@127.0.0.1:${port}/${name}`;
    },
    stop,
    async shutDown() {
      const downs = guardSaid.split('\n').filter((l) => l === 'down').length;
      guard.stdin!.write('down\n');
      await waitFor(() => guardSaid.split('\n').filter((l) => l === 'down').length > downs, 'PostgreSQL to shut down', 30_000);
    },
    async startAgain() {
      guard.stdin!.write('up\n');
      await accepting();
    },
  };
}

function readLog(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}
