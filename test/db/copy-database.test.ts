/**
 * `npm run db:copy`: a board database moves from libSQL to PostgreSQL and back with every row, the
 * counts printed and checked, no password shown; Takeboard then serves the board from the copy
 * and keeps storing edits after the copied ones.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { addShot, getPromptText, shotsInOrder } from '../../shared/doc/index.js';
import * as Y from 'yjs';
import { copyDatabase } from '../../server/db/copy.js';
import { loadDoc } from '../../server/sync/documents.queries.js';
import { openDatabase } from '../../server/db/open.js';
import type { Database } from '../../server/db/schema.js';
import { engineDatabases } from '../helpers/engines.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import { describePostgres } from '../helpers/postgres.js';
import { startTestServer } from '../helpers/server.js';
import { connectBoard } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-copy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TABLES = ['users', 'sessions', 'boards', 'board_members', 'invites', 'doc_snapshots', 'doc_updates', 'shot_changes', 'presence_colours'] as const;

/** Every row of the tables the board touched, in key order, bytes as plain arrays. */
async function contents(db: Kysely<Database>) {
  const out = {} as Record<(typeof TABLES)[number], unknown[]>;
  for (const t of TABLES) {
    const rows = await (db as Kysely<any>).selectFrom(t).selectAll().execute();
    out[t] = rows
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? [...v] : v])))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

describePostgres('copying a board database between engines', () => {
  const pg = engineDatabases('postgres');

  it('moves libSQL to PostgreSQL and back with every row; the board opens from the copy and takes edits', async () => {
    // A board made the ordinary way on a libSQL file: an account, edits (log + history), a compaction, more edits.
    const srcDir = path.join(dir, 'src');
    const src = await startTestServer({ dataDir: fs.mkdtempSync(srcDir) });
    const owner = await signedUpClient(src.url, { name: 'Owner' });
    const boardId = await createBoard(owner.client, 'Harbour');
    const conn = connectBoard(src.url, boardId, owner.client);
    await conn.synced();
    const shot = addShot(conn.doc, { title: 'Dawn' });
    getPromptText(conn.doc, shot).insert(0, 'fog over the water');
    await waitFor(() => src.takeboard.hub.read(boardId, (d) => getPromptText(d, shot)?.toString() === 'fog over the water'), 'the edit on the server');
    await src.takeboard.hub.flush();
    await src.takeboard.hub.compactNow(boardId);
    getPromptText(conn.doc, shot).insert(0, 'Cold: ');
    await waitFor(() => src.takeboard.hub.read(boardId, (d) => getPromptText(d, shot)?.toString().startsWith('Cold: ')), 'the later edit');
    await src.takeboard.hub.flush();
    conn.destroy();
    const srcUrl = `file:${path.join(src.dataDir, 'takeboard.db')}`;
    await src.close();
    // Read after the server stopped: closing stores what it still held (history of typing that paused).
    const stopped = await openDatabase(srcUrl);
    const expected = await contents(stopped.db);
    await stopped.close();
    expect(expected.doc_snapshots).toHaveLength(1);
    expect(expected.doc_updates.length).toBeGreaterThan(0);
    expect(expected.shot_changes.length).toBeGreaterThan(0);

    // The command, libSQL -> PostgreSQL.
    const pgUrl = await pg.url();
    const password = new URL(pgUrl).password;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/copy-database.ts', srcUrl, pgUrl], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/doc_updates\s+\d+ -> \d+/);
    expect(run.stdout).toContain('Copied: every table holds as many rows as the source.');
    expect(run.stdout + run.stderr).not.toContain(password);
    const onPg = await openDatabase(pgUrl);
    expect(await contents(onPg.db)).toEqual(expected);
    await onPg.close();

    // Takeboard on the copy: the board as it was, and a new edit stored after the copied log.
    const moved = await startTestServer({ dataDir: fs.mkdtempSync(path.join(dir, 'pg-')), databaseUrl: pgUrl });
    try {
      const client = new TestClient(moved.url);
      for (const [k, v] of owner.client.cookies) client.cookies.set(k, v);
      const [c1, c2] = [connectBoard(moved.url, boardId, client), connectBoard(moved.url, boardId, client)];
      await Promise.all([c1.synced(), c2.synced()]);
      expect(shotsInOrder(c1.doc).map((s) => s.title)).toEqual(['Dawn']);
      expect(getPromptText(c1.doc, shot).toString()).toBe('Cold: fog over the water');
      getPromptText(c1.doc, shot).insert(0, '!');
      await waitFor(() => getPromptText(c2.doc, shot).toString() === '!Cold: fog over the water', 'the new edit stored and relayed');
      // Stored after the copied log (not under the copied snapshot, where a load would never read it).
      await moved.takeboard.hub.flush();
      const stored = new Y.Doc();
      for (const part of (await loadDoc(moved.database.db, boardId)).parts) Y.applyUpdate(stored, part);
      expect(getPromptText(stored, shot).toString()).toBe('!Cold: fog over the water');
      c1.destroy();
      c2.destroy();
    } finally {
      await moved.close();
    }

    // And back with the command, PostgreSQL -> a new libSQL file: counts printed, the password never.
    const backUrl = `file:${path.join(dir, 'back.db')}`;
    const home = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/copy-database.ts', pgUrl, backUrl], { cwd: root, encoding: 'utf8' });
    expect(home.stderr).toBe('');
    expect(home.status).toBe(0);
    expect(home.stdout).toContain(`Copying postgres://${new URL(pgUrl).username}:***@`);
    expect(home.stdout).toMatch(new RegExp(`doc_updates\\s+${expected.doc_updates.length + 1} -> ${expected.doc_updates.length + 1}`));
    expect(home.stdout).toContain('Copied: every table holds as many rows as the source.');
    expect(home.stdout).not.toContain(password);
    // A refused login names the host and the reason, not the password it was given.
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/copy-database.ts', pgUrl.replace(`:${password}@`, ':Wr0ng-pass-never-shown@'), `file:${path.join(dir, 'never.db')}`], { cwd: root, encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^Copy failed: Cannot open the database at 127\.0\.0\.1:\d+: password authentication failed/);
    expect(refused.stdout + refused.stderr).not.toContain('Wr0ng-pass-never-shown');
    // A copy never lands on a database holding rows.
    const back = await openDatabase(backUrl);
    const again = await openDatabase(pgUrl);
    try {
      expect(await contents(back.db)).toEqual(await contents(again.db));
      await expect(copyDatabase(again.db, back.db)).rejects.toThrow('The target database already holds rows in users; copy only into an empty database');
    } finally {
      await back.close();
      await again.close();
    }
  }, 120_000);
});
