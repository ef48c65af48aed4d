/**
 * The PostgreSQL the suites run against: started from Debian's package as an unprivileged user,
 * a fresh database per call, and nothing left behind: not after stop(), not after the test
 * process is killed outright.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describePostgres, startPostgres } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

describePostgres('the test PostgreSQL', () => {
  it('runs as the postgres user on loopback, gives separate fresh databases, and is gone after stop()', async () => {
    const server = await startPostgres();
    const [a, b] = [await server.createDatabase(), await server.createDatabase()];
    expect(a).not.toBe(b);
    const c = new pg.Client({ connectionString: a });
    await c.connect();
    const who = await c.query('select current_user as u, inet_server_addr()::text as addr, (select count(*) from pg_tables where schemaname = $1)::int as tables', ['public']);
    await c.end();
    expect(who.rows[0]).toMatchObject({ u: 'takeboard', addr: '127.0.0.1/32', tables: 0 });
    const dataDir = await dataDirOf(a);
    expect(fs.statSync(dataDir).uid).not.toBe(0);
    await server.stop();
    expect(await portOpen(server.port)).toBe(false);
    expect(fs.existsSync(path.dirname(dataDir))).toBe(false);
  });

  it('stops and removes everything when the process that started it is killed with SIGKILL', async () => {
    const script = `import { startPostgres } from './test/helpers/postgres.ts';
const s = await startPostgres();
const url = await s.createDatabase();
process.stdout.write(JSON.stringify({ port: s.port, url }) + '\\n');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const started = await waitFor(() => (out.includes('\n') ? (JSON.parse(out) as { port: number; url: string }) : null), 'the child to start PostgreSQL', 60_000);
    const dataDir = await dataDirOf(started.url);
    expect(fs.existsSync(dataDir)).toBe(true);
    child.kill('SIGKILL');
    await waitFor(async () => !(await portOpen(started.port)) && !fs.existsSync(path.dirname(dataDir)), 'the server to stop and its directory to go', 20_000);
  }, 90_000);
});

async function dataDirOf(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return String((await c.query('show data_directory')).rows[0].data_directory);
  } finally {
    await c.end();
  }
}
