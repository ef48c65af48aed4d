import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getPromptText, setShotFields } from '../../shared/doc/index.js';
import { replaceText } from '../../shared/doc/maps.js';
import type { ShotChangeEntry } from '../../shared/api.js';
import { signedUpClient, TestClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { BoardConnection } from '../helpers/sync.js';
import { connectedTeam } from '../helpers/team.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const open: BoardConnection[] = [];
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  for (const c of open) c.destroy();
  await srv.close();
});

/** A board with an owner (Ana), an editor (Bo) and a viewer (Cy); Ana and Bo connected. */
async function team() {
  const people = { owner: { name: 'Ana' }, editor: { name: 'Bo' }, third: { name: 'Cy', role: 'viewer' as const } };
  const { owner: a, editor: b, third: v, boardId, ca, cb } = await connectedTeam(srv.url, open, people);
  const shotId = addShot(ca.doc, { title: 'Harbour at dawn', prompt: 'fog over the water' });
  await waitFor(() => cb.doc.getMap('shots').has(shotId), 'shot on B');
  return { a, b, v, boardId, ca, cb, shotId };
}

async function history(client: TestClient, boardId: string, shotId: string): Promise<ShotChangeEntry[]> {
  await srv.takeboard.hub.flush();
  const res = await client.get(`/api/boards/${boardId}/shots/${shotId}/history`);
  expect(res.status).toBe(200);
  return res.body.changes;
}

describe('shot history', () => {
  it('names who changed the prompt, from what to what, one entry per person typing', async () => {
    const { a, b, v, boardId, cb, shotId } = await team();
    const prompt = getPromptText(cb.doc, shotId);
    // Bo replaces "fog" with "mist", keystroke by keystroke, then adds words at the end.
    prompt.delete(0, 3);
    for (const ch of 'mist') prompt.insert(prompt.length - 'over the water'.length - 1, ch);
    prompt.insert(prompt.length, ', gulls');
    await waitFor(async () => (await history(a.client, boardId, shotId)).some((c) => c.after === 'mist over the water, gulls'), 'Bo’s typing in the history');
    const changes = await history(v.client, boardId, shotId);
    const promptEntries = changes.filter((c) => c.field === 'prompt');
    expect(promptEntries).toHaveLength(1);
    expect(promptEntries[0]).toMatchObject({ userName: 'Bo', userId: b.user.id, before: 'fog over the water', after: 'mist over the water, gulls', truncated: false });
    expect(changes.at(-1)).toMatchObject({ field: 'created', userName: 'Ana', before: '', after: 'Harbour at dawn' });
  });

  it('keeps plain field changes and a teammate’s later edit as their own entries, newest first', async () => {
    const { a, boardId, ca, cb, shotId } = await team();
    setShotFields(cb.doc, shotId, { durationSec: 8 });
    await waitFor(() => ca.doc.getMap('shots').toJSON()[shotId]?.durationSec === 8, 'duration on A');
    replaceText(getPromptText(ca.doc, shotId), 'storm over the water');
    // Typing is stored as it goes, at most a second behind.
    await waitFor(async () => (await history(a.client, boardId, shotId))[0]?.after === 'storm over the water', 'Ana’s edit stored whole');
    const [latest, duration] = await history(a.client, boardId, shotId);
    expect(latest).toMatchObject({ field: 'prompt', userName: 'Ana', before: 'fog over the water', after: 'storm over the water' });
    expect(duration).toMatchObject({ field: 'durationSec', userName: 'Bo', before: '5', after: '8' });
  });

  it('two people typing in one prompt at once make one entry each, not one per keystroke', async () => {
    const { a, boardId, ca, cb, shotId } = await team();
    const pa = getPromptText(ca.doc, shotId);
    const pb = getPromptText(cb.doc, shotId);
    for (let i = 0; i < 10; i++) {
      pa.insert(0, 'a');
      pb.insert(pb.length, 'b');
    }
    await waitFor(() => pa.toString() === pb.toString() && pa.length === 38, 'both prompts merged');
    const final = pa.toString();
    await waitFor(async () => (await history(a.client, boardId, shotId)).filter((c) => c.field === 'prompt' && c.after === final).length >= 1, 'typing stored');
    const entries = (await history(a.client, boardId, shotId)).filter((c) => c.field === 'prompt');
    expect(entries.map((e) => e.userName).sort()).toEqual(['Ana', 'Bo']);
  });

  it('survives compaction of the update log', async () => {
    const { a, boardId, cb, shotId } = await team();
    replaceText(getPromptText(cb.doc, shotId), 'lighthouse beam');
    await waitFor(async () => (await history(a.client, boardId, shotId)).some((c) => c.after === 'lighthouse beam'), 'entry stored');
    await srv.takeboard.hub.compactNow(boardId);
    const left = await srv.database.db.selectFrom('doc_updates').select('seq').where('board_id', '=', boardId).execute();
    expect(left).toHaveLength(0);
    expect((await history(a.client, boardId, shotId)).find((c) => c.field === 'prompt')).toMatchObject({ userName: 'Bo', before: 'fog over the water', after: 'lighthouse beam' });
  });

  it('is read by members only, and a bad limit is refused naming the field', async () => {
    const { a, boardId, shotId } = await team();
    const stranger = await signedUpClient(srv.url, { name: 'Zed' });
    expect((await stranger.client.get(`/api/boards/${boardId}/shots/${shotId}/history`)).status).toBe(404);
    const refused = await a.client.get(`/api/boards/${boardId}/shots/${shotId}/history?limit=9999`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_field', field: 'limit' });
    expect(refused.body.error.message).toContain('1 to 500');
  });

  it('goes with the board when it is deleted', async () => {
    const { a, boardId, cb, shotId } = await team();
    replaceText(getPromptText(cb.doc, shotId), 'gone soon');
    await waitFor(async () => (await history(a.client, boardId, shotId)).some((c) => c.after === 'gone soon'), 'entry stored');
    expect((await a.client.delete(`/api/boards/${boardId}`)).status).toBeLessThan(300);
    await waitFor(async () => (await srv.database.db.selectFrom('shot_changes').select('id').where('board_id', '=', boardId).execute()).length === 0, 'history deleted');
  });
});
