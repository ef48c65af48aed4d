import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, getPromptText, getShot, shotsInOrder } from '../../shared/doc/index.js';
import { createLogger } from '../../server/lib/log.js';
import { createRedisBus } from '../../server/scale/redis-bus.js';
import { loadDoc } from '../../server/sync/documents.queries.js';
import { startChildServer } from '../helpers/child-server.js';
import { engineDatabases, testEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { startRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

describe.each(testEngines())('on %s', (engine) => {
  const dbs = engineDatabases(engine);

  let redis: Awaited<ReturnType<typeof startRedis>>;
  // One database for every instance: a libSQL file in DATA_DIR, or PostgreSQL.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `takeboard-across-${engine}-`));
  let databaseUrl: string | undefined;
  let a: TestServer;
  let b: TestServer;
  const conns: BoardConnection[] = [];

  const instance = () => startTestServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}), app: { bus: createRedisBus(redis.url, createLogger('silent')), sync: { unloadGraceMs: 200 } } });

  beforeAll(async () => {
    databaseUrl = engine === 'postgres' ? await dbs.url() : undefined;
    redis = await startRedis();
    a = await instance();
    b = await instance();
    await waitFor(async () => (await new TestClient(a.url).get('/api/ready')).body.redis === 'ok' && (await new TestClient(b.url).get('/api/ready')).body.redis === 'ok', 'both on Redis');
  }, 60_000);
  afterAll(async () => {
    for (const c of conns) c.destroy();
    await a?.close();
    await b?.close();
    await redis?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function on(server: { url: string }, client: TestClient) {
    const c = new TestClient(server.url);
    for (const [k, v] of client.cookies) c.cookies.set(k, v);
    return c;
  }
  function connect(server: { url: string }, boardId: string, client: TestClient, doc?: Y.Doc) {
    const c = connectBoard(server.url, boardId, on(server, client), doc ? { doc } : {});
    conns.push(c);
    return c;
  }

  describe('live sync across two instances', () => {
    it('edits and presence cross instances both ways', async () => {
      const owner = await signedUpClient(a.url, { name: 'Ana', city: 'Lisbon' });
      const boardId = await createBoard(owner.client);
      const onA = connect(a, boardId, owner.client);
      const onB = connect(b, boardId, owner.client);
      await Promise.all([onA.synced(), onB.synced()]);
      const s1 = addShot(onA.doc, { title: 'from A' });
      await waitFor(() => getShot(onB.doc, s1), 'A → B');
      const s2 = addShot(onB.doc, { title: 'from B' });
      await waitFor(() => getShot(onA.doc, s2), 'B → A');
      getPromptText(onA.doc, s1).insert(0, 'typed on A ');
      getPromptText(onB.doc, s1).insert(0, 'typed on B ');
      await waitFor(() => getPromptText(onA.doc, s1).toString() === getPromptText(onB.doc, s1).toString() && getPromptText(onA.doc, s1).length === 22, 'prompts converge');
      onA.provider.awareness.setLocalState({ focus: { shotId: s1, field: 'prompt' } });
      const seen = await waitFor(() => [...onB.provider.awareness.getStates().values()].find((st: any) => st.focus?.shotId === s1), 'presence A → B');
      expect((seen as any).user).toMatchObject({ name: 'Ana', city: 'Lisbon' });
    });

    it('survives Redis stopping and starting mid-session: nothing lost, sync resumes by itself', async () => {
      const owner = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      const onA = connect(a, boardId, owner.client);
      const onB = connect(b, boardId, owner.client);
      await Promise.all([onA.synced(), onB.synced()]);
      await redis.stop();
      await waitFor(async () => (await new TestClient(a.url).get('/api/ready')).body.redis === 'down', 'A sees the outage');
      const during = addShot(onA.doc, { title: 'written during the outage' });
      await waitFor(() => a.takeboard.hub.read(boardId, (d) => getShot(d, during)), 'stored by A');
      await redis.start();
      await waitFor(() => getShot(onB.doc, during), 'B catches up after Redis returns', 20_000);
      const after = addShot(onB.doc, { title: 'after' });
      await waitFor(() => getShot(onA.doc, after), 'sync resumed');
    }, 40_000);

    it('a SIGKILLed instance loses nothing its clients saw stored; they carry on on the other', async () => {
      const owner = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      const child = await startChildServer({ DATA_DIR: dataDir, REDIS_URL: redis.url, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
      try {
        const writer = connect(child, boardId, owner.client);
        const watcher = connect(a, boardId, owner.client);
        await Promise.all([writer.synced(), watcher.synced()]);
        const shot = addShot(writer.doc, { title: 'before the crash' });
        await waitFor(() => getShot(watcher.doc, shot), 'seen on A through Redis');
        await child.kill('SIGKILL');
        // The writer's document moves to instance A, with an edit made while disconnected.
        const doc = writer.doc;
        writer.provider.destroy();
        const offline = addShot(doc, { title: 'made while reconnecting' });
        const moved = connect(a, boardId, owner.client, doc);
        await moved.synced();
        await waitFor(() => getShot(watcher.doc, offline), 'offline edit arrives');
        const fresh = connect(b, boardId, owner.client);
        await fresh.synced();
        expect(shotsInOrder(fresh.doc).map((s) => s.title)).toEqual(['before the crash', 'made while reconnecting']);
      } finally {
        await child.kill('SIGKILL');
      }
    }, 60_000);

    it('both instances editing one board through compactions keep every edit', async () => {
      const owner = await signedUpClient(a.url);
      const boardId = await createBoard(owner.client);
      const onA = connect(a, boardId, owner.client);
      const onB = connect(b, boardId, owner.client);
      await Promise.all([onA.synced(), onB.synced()]);
      const shot = addShot(onA.doc, { title: 'shared' });
      await waitFor(() => getShot(onB.doc, shot), 'shot on B');
      for (let i = 0; i < 300; i++) {
        const doc = i % 2 ? onA.doc : onB.doc;
        getPromptText(doc, shot).insert(0, i % 2 ? 'a' : 'b');
        if (i % 50 === 49) {
          // Compact once both instances stored and relayed the edits so far (each has a log to fold).
          await waitFor(() => getPromptText(onA.doc, shot).length === i + 1 && getPromptText(onB.doc, shot).length === i + 1, `edit ${i + 1} on both`);
          await a.takeboard.hub.compactNow(boardId);
          await b.takeboard.hub.compactNow(boardId);
        }
      }
      await waitFor(() => getPromptText(onA.doc, shot).length === 300 && getPromptText(onB.doc, shot).length === 300, 'all edits on both');
      await a.takeboard.hub.flush();
      await b.takeboard.hub.flush();
      // What storage holds (snapshot + log, as any instance would load it) is the whole board.
      const stored = await loadDoc(a.database.db, boardId);
      const loaded = new Y.Doc();
      for (const p of stored.parts) Y.applyUpdate(loaded, p);
      expect(getPromptText(loaded, shot).toString()).toBe(getPromptText(onA.doc, shot).toString());
      expect(stored.snapshotSeq).toBeGreaterThan(0);
    }, 60_000);
  });
});
