import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { addShot, getPromptText } from '../../shared/doc/index.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase } from '../../server/db/open.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/log.js';
import { createDocHub, type DocHub } from '../../server/sync/hub.js';
import { createLibsqlStorage } from '../../server/sync/libsql-storage.js';
import { waitFor } from '../helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-writer-crash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A client speaking y-protocols sync to the hub the way y-websocket does, without a socket. */
function client(hub: DocHub, boardId: string, doc: Y.Doc) {
  const closes: number[] = [];
  const fromServer = {};
  const conn = hub.connect(boardId, { id: `u${doc.clientID}`, name: 'U', city: null }, 'editor', {
    send(data) {
      const dec = decoding.createDecoder(data);
      if (decoding.readVarUint(dec) !== 0) return;
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, 0);
      // Answers the server's step 1 with our whole state (how edits made offline get re-sent).
      syncProtocol.readSyncMessage(dec, reply, doc, fromServer);
      if (encoding.length(reply) > 1) conn.receive(encoding.toUint8Array(reply));
    },
    close: (code) => closes.push(code),
    bufferedAmount: () => 0,
  });
  const onUpdate = (u: Uint8Array, origin: unknown) => {
    if (origin === fromServer || closes.length > 0) return;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 0);
    syncProtocol.writeUpdate(enc, u);
    conn.receive(encoding.toUint8Array(enc));
  };
  doc.on('update', onUpdate);
  const step1 = encoding.createEncoder();
  encoding.writeVarUint(step1, 0);
  syncProtocol.writeSyncStep1(step1, doc);
  conn.receive(encoding.toUint8Array(step1));
  return {
    closes,
    leave() {
      doc.off('update', onUpdate);
      conn.closed();
    },
  };
}

it('a writer thread that dies fails its writes: clients resync, nothing anyone saw is lost, unsaved edits are re-sent', async () => {
  const url = `file:${path.join(dir, 'crash.db')}`;
  const database = await openDatabase(url);
  await migrateToLatest(database.db);
  const storage = createLibsqlStorage(database.db, systemClock, { url, fsync: 'commit' });
  const hub = createDocHub({ storage, log: createLogger('silent'), unloadGraceMs: 50 });
  const [docA, docB] = [new Y.Doc(), new Y.Doc()];
  const shotId = addShot(docA, { title: 'Crash' });
  const textB = () => getPromptText(docB, shotId).toString();
  try {
    let a = client(hub, 'board', docA);
    let b = client(hub, 'board', docB);
    getPromptText(docA, shotId).insert(0, 'seen ');
    await waitFor(() => textB() === 'seen ', 'B to see the first edit');

    // The writer is busy with a slow batch and then dies before its COMMIT; the next edit's
    // batch is queued behind it on the dead thread.
    const slow = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c';
    const crash = storage.writer!.crashDuring([{ sql: slow, args: [] }]).catch((err: Error) => err);
    getPromptText(docA, shotId).insert(5, 'unsaved');
    expect(await crash).toBeInstanceOf(Error);
    await waitFor(() => a.closes.length > 0 && b.closes.length > 0, 'both sockets to close');
    expect([a.closes, b.closes]).toEqual([[SYNC_CLOSE.storageFailed], [SYNC_CLOSE.storageFailed]]);
    // Never stored, so never relayed.
    expect(textB()).toBe('seen ');

    // Reconnecting (as y-websocket does after 4500): the board reloads from storage, and A's
    // sync step 2 re-sends the edit that was not saved.
    a.leave();
    b.leave();
    a = client(hub, 'board', docA);
    b = client(hub, 'board', docB);
    await waitFor(() => textB() === 'seen unsaved', 'B to get the re-sent edit');
    await hub.flush();
    const stored = new Y.Doc();
    for (const p of (await storage.load('board')).parts) Y.applyUpdate(stored, p);
    expect(getPromptText(stored, shotId).toString()).toBe('seen unsaved');
    a.leave();
    b.leave();
  } finally {
    await hub.close();
    await storage.close();
    await database.close();
  }
}, 30_000);
