/**
 * A PostgreSQL that goes away while Takeboard runs: readiness turns red (503, database "error")
 * while no connection can be made, and green again once it can, without a restart; edits
 * acknowledged before the outage are all there afterwards, and editing goes on. Two ways to lose
 * it: an administrator refusing and dropping the app's connections, and the server itself
 * stopped and started again (its data kept), with an edit typed while it was down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addShot, getPromptText, shotsInOrder } from '../../shared/doc/index.js';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import { describePostgres, startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

describePostgres('a lost PostgreSQL at run time', () => {
  let server: PostgresServer;
  let app: ChildServer;
  let dataDir: string;
  let url: string;
  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-pg-outage-'));
    app = await startChildServer({ DATA_DIR: dataDir, DATABASE_URL: url });
  }, 60_000);
  afterAll(async () => {
    await app?.kill();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** As an administrator: refuse (or allow again) connections to the app's database, dropping the open ones. */
  async function connections(allow: boolean) {
    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: url.replace(`/${name}`, '/postgres') });
    await admin.connect();
    try {
      await admin.query(`alter database ${name} allow_connections ${allow}`);
      if (!allow) await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
    } finally {
      await admin.end();
    }
  }
  const ready = async () => {
    const res = await fetch(`${app.url}/api/ready`);
    return { status: res.status, database: ((await res.json()) as { database: string }).database };
  };

  it('turns readiness red and back to green, keeping every acknowledged edit', async () => {
    const owner = await signedUpClient(app.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client);
    const writer = connectBoard(app.url, boardId, owner.client);
    const watcher = connectBoard(app.url, boardId, owner.client);
    await Promise.all([writer.synced(), watcher.synced()]);
    const shot = addShot(writer.doc, { title: 'Before the outage' });
    getPromptText(writer.doc, shot).insert(0, 'stored');
    // Relayed to the watcher means stored (the hub relays after the commit).
    await waitFor(() => getPromptText(watcher.doc, shot).toString() === 'stored', 'the watcher to see the edit');
    writer.destroy();
    watcher.destroy();
    expect(await ready()).toEqual({ status: 200, database: 'ok' });

    // Connections are dropped while requests hold some of them (readiness probes in flight).
    let probing = true;
    const probes = Array.from({ length: 8 }, async () => {
      while (probing) await ready();
    });
    await connections(false);
    await waitFor(async () => (await ready()).status === 503, 'readiness to turn red');
    probing = false;
    await Promise.all(probes);
    expect((await ready()).database).toBe('error');

    await connections(true);
    await waitFor(async () => (await ready()).status === 200, 'readiness to turn green again');

    // The board loads from PostgreSQL (the hub unloaded it when its sockets left, or keeps it), and takes new edits.
    const after = connectBoard(app.url, boardId, owner.client);
    const other = connectBoard(app.url, boardId, owner.client);
    await Promise.all([after.synced(), other.synced()]);
    expect(shotsInOrder(after.doc).map((s) => s.title)).toEqual(['Before the outage']);
    expect(getPromptText(after.doc, shot).toString()).toBe('stored');
    getPromptText(after.doc, shot).insert(6, ' again');
    await waitFor(() => getPromptText(other.doc, shot).toString() === 'stored again', 'a new edit to be stored and relayed');
    after.destroy();
    other.destroy();
    expect(app.stderr).not.toContain(server.password);
  }, 90_000);

  it('the PostgreSQL server stopped and started again: red, then green; the edit typed meanwhile is stored once it is back', async () => {
    const owner = await signedUpClient(app.url, { name: 'Operator' });
    const boardId = await createBoard(owner.client);
    const writer = connectBoard(app.url, boardId, owner.client);
    const watcher = connectBoard(app.url, boardId, owner.client);
    await Promise.all([writer.synced(), watcher.synced()]);
    const shot = addShot(writer.doc, { title: 'Acknowledged' });
    getPromptText(writer.doc, shot).insert(0, 'acked');
    await waitFor(() => getPromptText(watcher.doc, shot).toString() === 'acked', 'the watcher to see the edit');

    await server.shutDown();
    await waitFor(async () => (await ready()).status === 503, 'readiness to turn red');
    expect((await ready()).database).toBe('error');
    // Typed while the database is down: the write fails, so it is not relayed, and the board's
    // sockets are closed to resync; the writer keeps the edit and sends it again on reconnecting.
    getPromptText(writer.doc, shot).insert(5, ' while down');
    await waitFor(() => !writer.provider.wsconnected, 'the failed write to close the writer to resync');
    expect(getPromptText(watcher.doc, shot).toString()).toBe('acked');

    await server.startAgain();
    await waitFor(async () => (await ready()).status === 200, 'readiness to turn green again', 30_000);
    await waitFor(() => getPromptText(watcher.doc, shot).toString() === 'acked while down', 'the edit typed during the outage to be stored and relayed', 30_000);
    writer.destroy();
    watcher.destroy();

    // Stored in PostgreSQL, not only held by this process: a kill -9 and a fresh start serve it.
    await app.kill('SIGKILL');
    app = await startChildServer({ DATA_DIR: dataDir, DATABASE_URL: url });
    const again = new TestClient(app.url);
    for (const [k, v] of owner.client.cookies) again.cookies.set(k, v);
    const check = connectBoard(app.url, boardId, again);
    await check.synced();
    expect(shotsInOrder(check.doc).map((s) => s.title)).toEqual(['Acknowledged']);
    expect(getPromptText(check.doc, shot).toString()).toBe('acked while down');
    check.destroy();
    expect(app.output()).not.toContain(server.password);
  }, 90_000);
});
