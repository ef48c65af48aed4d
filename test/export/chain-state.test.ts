/**
 * Chain freshness on the server: "keep anyway" is written by the server for editors only while a
 * shot is stale (a client writing it over the socket is cut off), and the chain state reaches the
 * exports (CSV columns, OTIO clip metadata).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SHOT, STALE_ACCEPTED_IS_SERVER_ONLY, chainStates, getShot, roots } from '../../shared/doc/index.js';
import { SYNC_CLOSE } from '../../shared/sync.js';
import { connectBoard } from '../helpers/sync.js';
import { joinWithRole, signedUpClient } from '../helpers/http.js';
import { generateAndSelect, useChainedBoard } from './helpers.js';
import { parseCsv } from './parsers.js';

const { srv, b } = useChainedBoard();

const keep = (body: object = {}, client = b.owner.client) => client.post(`/api/boards/${b.boardId}/shots/${b.second}/keep-anyway`, body);
const server = <T>(fn: (d: import('yjs').Doc) => T) => srv.takeboard.hub.read(b.boardId, fn);

async function csvChain(): Promise<Record<string, string>[]> {
  const res = await b.owner.client.get(`/api/boards/${b.boardId}/export/shots.csv`);
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv(res.body as string);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

async function otioChain(): Promise<Record<string, unknown>[]> {
  const res = await b.owner.client.get(`/api/boards/${b.boardId}/export/timeline.otio`);
  const otio = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
  type Item = { OTIO_SCHEMA: string; metadata: { takeboard: { chain: Record<string, unknown> } } };
  // Every shot is a clip or a slate's gap; transitions carry no shot.
  const items = (otio.tracks.children[0].children as Item[]).filter((c) => c.OTIO_SCHEMA !== 'Transition.1');
  return items.map((c) => c.metadata.takeboard.chain);
}

describe('keep anyway and the exported chain state', () => {
  it('a fresh chain exports as fresh, and there is nothing to keep anyway', async () => {
    const rows = await csvChain();
    expect(rows.map((r) => [r.chain_state, r.stale_accepted_by])).toEqual([['unchained', ''], ['fresh', ''], ['unchained', '']]);
    expect((await otioChain()).map((c) => c.state)).toEqual(['unchained', 'fresh', 'unchained']);
    const res = await keep();
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('This shot is not stale (its selected take already continues the current tail): nothing to keep anyway');
    expect(await server((d) => getShot(d, b.second)?.staleAccepted)).toBeUndefined();
  });

  it('a new upstream take makes it stale; a viewer cannot keep it, an editor can, and the exports say who', async () => {
    const newer = await generateAndSelect(srv, b.owner.client, b.conn, b.boardId, b.first, 11);
    expect(await server((d) => chainStates(d).get(b.second)!.state)).toBe('stale');
    expect((await csvChain())[1]!.chain_state).toBe('stale');
    expect((await otioChain())[1]).toMatchObject({ state: 'stale', continuesFromOrder: 1, acceptedBy: null });

    const viewer = await signedUpClient(srv.url, { name: 'Watcher' });
    await joinWithRole(b.owner.client, viewer.client, b.boardId, 'viewer');
    expect((await keep({}, viewer.client)).status).toBe(403);
    // What the client saw must still hold: an older view of the upstream is refused.
    const outdated = await keep({ takeId: b.take2.id, upstreamTakeId: b.take1.id });
    expect(outdated.status).toBe(409);
    expect(outdated.body.error.message).toMatch(/continues from has another selected take now/);
    const bad = await keep({ takeId: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^takeId: /);

    const ok = await keep({ takeId: b.take2.id, upstreamTakeId: newer.id });
    expect(ok.status).toBe(200);
    expect(ok.body.staleAccepted).toMatchObject({ take: b.take2.id, tail: newer.tail, by: b.owner.user.id });
    expect(Date.parse(ok.body.staleAccepted.at)).toBeGreaterThan(Date.now() - 60_000);
    await expect.poll(() => chainStates(b.conn.doc).get(b.second)!.state).toBe('accepted');
    const rows = await csvChain();
    expect(rows[1]).toMatchObject({ chain_state: 'accepted', stale_accepted_by: 'Producer', stale_accepted_at: ok.body.staleAccepted.at });
    expect((await otioChain())[1]).toMatchObject({ state: 'accepted', acceptedBy: b.owner.user.id });
    expect((await keep()).body.error.message).toMatch(/already kept anyway/);
  }, 120_000);

  it('a client cannot write the record over the socket: its connection is closed and nothing is stored', async () => {
    const forger = connectBoard(srv.url, b.boardId, b.owner.client);
    await forger.synced();
    const shot = roots(forger.doc).shots.get(b.second) as Y.Map<unknown>;
    shot.set(SHOT.staleAccepted, { take: b.take2.id, tail: 'tail_forged', by: 'user_forged', at: new Date().toISOString() });
    const closed = await forger.closed();
    expect(closed.code).toBe(SYNC_CLOSE.schemaViolation);
    expect(closed.reason).toContain(STALE_ACCEPTED_IS_SERVER_ONLY);
    forger.destroy();
    expect(await server((d) => getShot(d, b.second)?.staleAccepted?.by)).toBe(b.owner.user.id);
  });

  it('a shot that does not exist is not found', async () => {
    const res = await b.owner.client.post(`/api/boards/${b.boardId}/shots/shot_nope/keep-anyway`, {});
    expect(res.status).toBe(404);
  });
});
