/**
 * The database stalls for 5 s (every board-document append waits on a gate).
 * Nothing is relayed before it is stored, nobody is disconnected, presence and new joiners are
 * still served, and once storage answers every edit is stored and reaches everyone.
 */
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, getPromptText } from '../../shared/doc/index.js';
import { systemClock } from '../../server/lib/clock.js';
import { createLibsqlStorage, type LibsqlStorage } from '../../server/sync/libsql-storage.js';
import type { DocStorage } from '../../server/sync/storage.js';
import { createBoard, joinWithRole, signedUpClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';

const STALL_MS = 5000;

/** Tokens each stored update inserted, so a relay can be matched to the write that stored it. */
function insertedText(update: Uint8Array): string[] {
  return Y.decodeUpdate(update)
    .structs.filter((s): s is Y.Item => s instanceof Y.Item && s.content instanceof Y.ContentString)
    .flatMap((s) => (s.content as Y.ContentString).str.split(';').filter(Boolean));
}

let srv: TestServer;
let inner: LibsqlStorage;
let gate: Promise<void> = Promise.resolve();
const storedAt = new Map<string, number>();
const appendStarted: number[] = [];
// The app's storage over its own file, except that appends wait on the gate.
const storage: DocStorage = {
  load: (id) => inner.load(id),
  async append(items) {
    appendStarted.push(performance.now());
    await gate;
    const seqs = await inner.append(items);
    const now = performance.now();
    for (const it of items) for (const t of it.update ? insertedText(it.update) : []) storedAt.set(t, now);
    return seqs;
  },
  compact: (id, req) => inner.compact(id, req),
  delete: (id) => inner.delete(id),
};
const open: BoardConnection[] = [];

afterAll(async () => {
  for (const c of open) c.destroy();
  await srv.close();
  await inner.close();
});

it(`a ${STALL_MS / 1000} s database stall: nothing relayed before it is stored, nobody dropped, nothing lost`, async () => {
  srv = await startTestServer({ app: { docStorage: storage } });
  inner = createLibsqlStorage(srv.database.db, systemClock, { url: `file:${path.join(srv.dataDir, 'takeboard.db')}` });
  const a = await signedUpClient(srv.url, { name: 'Ana' });
  const b = await signedUpClient(srv.url, { name: 'Bo' });
  const boardId = await createBoard(a.client);
  await joinWithRole(a.client, b.client, boardId, 'editor');
  const connect = (client: typeof a.client) => {
    const c = connectBoard(srv.url, boardId, client);
    open.push(c);
    return c;
  };
  const ca = connect(a.client);
  const cb = connect(b.client);
  await Promise.all([ca.synced(), cb.synced()]);
  const shotId = addShot(ca.doc, { title: 'Stalled' });
  await waitFor(() => getPromptText(cb.doc, shotId), 'the shot on B');

  // When each token first reaches the other side (A types a-tokens, B b-tokens).
  const seenAt = new Map<string, number>();
  const watch = (c: BoardConnection, othersPrefix: string) =>
    c.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== c.provider) return;
      const now = performance.now();
      for (const t of getPromptText(c.doc, shotId).toString().split(';')) if (t.startsWith(othersPrefix) && !seenAt.has(t)) seenAt.set(t, now);
    });
  watch(ca, 'b');
  watch(cb, 'a');

  let release!: () => void;
  gate = new Promise((r) => (release = r));
  const stallStart = performance.now();
  const type = (c: BoardConnection, prefix: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const p = getPromptText(c.doc, shotId);
      p.insert(p.length, `${prefix}${i};`);
    }
  };
  type(ca, 'a', 30);
  type(cb, 'b', 30);
  await waitFor(() => appendStarted.some((t) => t >= stallStart), 'a write to reach the stalled storage');

  // During the stall the server still serves: presence flows, a newcomer loads the board.
  ca.provider.awareness.setLocalStateField('focus', { shotId, field: 'prompt' });
  await waitFor(() => [...cb.provider.awareness.getStates().values()].some((s: any) => s.focus?.shotId === shotId), 'presence during the stall');
  const late = connect(b.client);
  await late.synced();
  expect(getPromptText(late.doc, shotId).toString()).toBe('');
  expect(seenAt.size).toBe(0);

  await new Promise((r) => setTimeout(r, STALL_MS - (performance.now() - stallStart)));
  expect(seenAt.size, 'nothing relayed while storage stalls').toBe(0);
  expect([...storedAt.keys()].filter((t) => /^[ab]\d/.test(t))).toEqual([]);
  release();

  await waitFor(() => seenAt.size === 60, 'every edit to reach the other side');
  await waitFor(() => getPromptText(late.doc, shotId).toString().split(';').filter(Boolean).length === 60, 'the newcomer to get every edit');
  for (const [token, at] of seenAt) {
    expect(storedAt.get(token), `${token} stored`).toBeDefined();
    expect(at, `${token} relayed only after it was stored`).toBeGreaterThanOrEqual(storedAt.get(token)!);
  }
  expect(Math.min(...seenAt.values()) - stallStart).toBeGreaterThanOrEqual(STALL_MS - 50);
  for (const c of [ca, cb, late]) expect(c.closes).toEqual([]);
  expect(ca.provider.wsconnected && cb.provider.wsconnected && late.provider.wsconnected).toBe(true);

  await srv.takeboard.hub.flush();
  const stored = new Y.Doc();
  for (const p of (await inner.load(boardId)).parts) Y.applyUpdate(stored, p);
  const tokens = getPromptText(stored, shotId).toString().split(';').filter(Boolean);
  expect(tokens.sort()).toEqual([...seenAt.keys()].sort());
  console.log(`[sync-stall] ${STALL_MS} ms stall: 60 edits held, 0 relayed before stored, 0 sockets dropped, 0 lost; first relay ${Math.round(Math.min(...seenAt.values()) - stallStart)} ms after the stall began`);
}, 30_000);
