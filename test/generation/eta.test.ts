import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, getShot } from '../../shared/doc/index.js';
import type { JobListEntry } from '../../shared/api.js';
import { median, priorSec } from '../../shared/generation/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { jobReaches } from './helpers.js';

// One animatic job at a time, so later jobs wait in the queue and get position-based estimates.
let srv: TestServer;
let conn: BoardConnection;
beforeAll(async () => {
  srv = await startTestServer({ app: { generation: { limits: { total: 1, perProvider: { default: 1, animatic: 1 }, perBoard: 1 } } } });
});
afterAll(async () => {
  conn?.destroy();
  await srv.close();
});

const renderSec = (j: JobListEntry) => (Date.parse(j.finishedAt!) - Date.parse(j.startedAt!)) / 1000;

describe('queue estimates from measured render times', () => {
  it('start from the prior and converge to the median of the animatic’s measured renders', async () => {
    const { client } = await signedUpClient(srv.url, { name: 'Producer' });
    const boardId = await createBoard(client);
    conn = connectBoard(srv.url, boardId, client);
    await conn.synced();
    const shot = addShot(conn.doc, { title: 'Alley', prompt: 'a courier runs through neon rain', durationSec: 1, model: 'animatic' });
    await waitFor(() => getShot(conn.doc, shot), 'shot stored');
    await srv.takeboard.hub.flush();
    const list = async () => (await client.get(`/api/boards/${boardId}/jobs`)).body as JobListEntry[];
    const generate = async () => (await client.post(`/api/boards/${boardId}/shots/${shot}/generate`, {})).body.jobId as string;

    // Nothing measured yet: the estimate is the animatic's prior, seconds not minutes.
    const first = await generate();
    const fresh = (await list()).find((j) => j.id === first)!;
    expect(fresh.eta).toMatchObject({ basis: 'prior', samples: 0, typicalSec: priorSec('animatic') });
    expect(fresh.eta!.finishInSec).toBeLessThanOrEqual(priorSec('animatic'));
    await jobReaches(client, first, 'succeeded');

    for (let i = 0; i < 2; i++) await jobReaches(client, await generate(), 'succeeded');
    const measured = (await list()).filter((j) => j.status === 'succeeded').map(renderSec);
    expect(measured).toHaveLength(3);

    // Four more at once: one renders, three wait; each estimate is its place (behind the running
    // one, one slot) times the median.
    const ids = [await generate(), await generate(), await generate(), await generate()];
    const all = await list();
    const open = all.filter((j) => ids.includes(j.id) && (j.status === 'queued' || j.status === 'running'));
    const running = all.filter((j) => j.status === 'running').length;
    const typical = median(measured)!;
    for (const j of open) {
      expect(j.eta).toMatchObject({ basis: 'measured', samples: 3 });
      expect(j.eta!.typicalSec).toBeCloseTo(typical, 1);
      if (j.status === 'queued') expect(j.eta!.finishInSec).toBeCloseTo((j.queuePosition! + running) * typical, 0);
      else expect(j.eta!.finishInSec).toBeLessThanOrEqual(typical + 0.05);
    }
    expect(open.filter((j) => j.status === 'queued').length).toBeGreaterThan(0);
    // Far from the hosted-model minutes or a rounded-up "1m": an animatic render is about a second.
    expect(typical).toBeLessThan(10);
    for (const id of ids) await jobReaches(client, id, 'succeeded');
    const after = (await list()).filter((j) => j.status === 'succeeded').map(renderSec);
    const next = await generate();
    const entry = (await list()).find((j) => j.id === next)!;
    if (entry.eta) expect(entry.eta.typicalSec).toBeCloseTo(median(after.slice(0, 9))!, 1);
    await jobReaches(client, next, 'succeeded');
  }, 120_000);
});
