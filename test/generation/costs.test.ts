import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShot, createReference, setMeta, setReferenceLocked } from '../../shared/doc/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, joinWithRole, signedUpClient } from '../helpers/http.js';
import { seedCostJobs } from '../helpers/cost-jobs.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ app: { generation: { startWorker: false } } });
});
afterAll(async () => srv.close());

/** A board with two shots, two references (one locked), and jobs by two people on two models. */
async function costedBoard() {
  const ana = await signedUpClient(srv.url, { name: 'Ana' });
  const ben = await signedUpClient(srv.url, { name: 'Ben' });
  const boardId = await createBoard(ana.client, 'Harbour');
  await joinWithRole(ana.client, ben.client, boardId, 'editor');
  const ids = { opening: '', formula: '', hero: '', street: '' };
  await srv.takeboard.hub.change(boardId, (doc) => {
    setMeta(doc, { budgetMicroUsd: 10_000_000 });
    ids.opening = addShot(doc, { title: 'Opening' });
    ids.formula = addShot(doc, { title: '=HYPERLINK("http://evil")' });
    ids.hero = createReference(doc, { kind: 'character', name: 'Hero' });
    ids.street = createReference(doc, { kind: 'location', name: 'Street' });
    setReferenceLocked(doc, ids.street, true);
  });
  const t = Date.parse('2026-12-01T10:00:00Z');
  const [a, b] = [ana.user.id, ben.user.id];
  const { opening, formula, hero, street } = ids;
  const jobIds = await seedCostJobs(srv.database.db, boardId, [
    { shotId: opening, by: a, status: 'succeeded', estimateMicroUsd: 1_000_000, chargedMicroUsd: 1_200_000, references: [{ referenceId: hero, locked: false }], at: t },
    { shotId: opening, by: b, status: 'succeeded', estimateMicroUsd: 1_000_000, chargedMicroUsd: 1_000_000, references: [{ referenceId: hero, locked: true }], at: t + 1 },
    {
      shotId: formula, by: b, provider: 'ark', model: 'ark:seedance', status: 'succeeded', estimateMicroUsd: 500_000, chargedMicroUsd: 400_000,
      references: [{ referenceId: hero, locked: false }, { referenceId: street, locked: false }], at: t + 2,
    },
    { shotId: formula, by: a, status: 'queued', estimateMicroUsd: 2_000_000, references: [{ referenceId: hero, locked: false }], at: t + 3 },
    { shotId: opening, by: a, status: 'failed', estimateMicroUsd: 1_000_000, at: t + 4 },
  ]);
  return { ana, ben, boardId, ids, jobIds };
}

describe('cost report', () => {
  it('sums charges and estimates per shot, reference (cost to lock a look), model and person', async () => {
    const { ana, ben, boardId, ids } = await costedBoard();
    const r = (await ben.client.get(`/api/boards/${boardId}/costs`)).body;
    expect(r).toMatchObject({ budgetMicroUsd: 10_000_000, jobs: 3, openJobs: 1, spentMicroUsd: 2_600_000, estimateMicroUsd: 2_500_000, committedMicroUsd: 2_000_000 });
    expect(r.shots).toEqual([
      { shotId: ids.opening, jobs: 2, openJobs: 0, spentMicroUsd: 2_200_000, estimateMicroUsd: 2_000_000, committedMicroUsd: 0 },
      { shotId: ids.formula, jobs: 1, openJobs: 1, spentMicroUsd: 400_000, estimateMicroUsd: 500_000, committedMicroUsd: 2_000_000 },
    ]);
    // Hero: jobs 1 and 3 sent it unlocked (job 2 used the locked look, so it is not counted); job 4 is still queued.
    expect(r.references).toEqual([
      { referenceId: ids.hero, name: 'Hero', locked: false, jobs: 2, openJobs: 1, spentMicroUsd: 1_600_000, estimateMicroUsd: 1_500_000, committedMicroUsd: 2_000_000 },
      { referenceId: ids.street, name: 'Street', locked: true, jobs: 1, openJobs: 0, spentMicroUsd: 400_000, estimateMicroUsd: 500_000, committedMicroUsd: 0 },
    ]);
    expect(r.models).toEqual([
      { provider: 'fal', model: 'fal:veo3', jobs: 2, openJobs: 1, spentMicroUsd: 2_200_000, estimateMicroUsd: 2_000_000, committedMicroUsd: 2_000_000 },
      { provider: 'ark', model: 'ark:seedance', jobs: 1, openJobs: 0, spentMicroUsd: 400_000, estimateMicroUsd: 500_000, committedMicroUsd: 0 },
    ]);
    expect(r.people).toEqual([
      { userId: ana.user.id, name: 'Ana', jobs: 1, openJobs: 1, spentMicroUsd: 1_200_000, estimateMicroUsd: 1_000_000, committedMicroUsd: 2_000_000 },
      { userId: ben.user.id, name: 'Ben', jobs: 2, openJobs: 0, spentMicroUsd: 1_400_000, estimateMicroUsd: 1_500_000, committedMicroUsd: 0 },
    ]);
  });

  it('downloads the ledger as CSV: one row per job, typed text neutralised, charges empty where none was made', async () => {
    const { ana, ben, boardId, ids, jobIds } = await costedBoard();
    const res = await fetch(`${srv.url}/api/boards/${boardId}/costs.csv`, { headers: { cookie: ben.client.cookieHeader } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('Harbour - cost ledger.csv');
    const lines = (await res.text()).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('job_id,queued_at,finished_at,status,shot_id,shot_title,take_id,person_id,person,provider,model,estimate_usd,charged_usd');
    expect(lines.slice(1, -1)).toEqual([
      `${jobIds[0]},2026-12-01T10:00:00.000Z,2026-12-01T10:00:01.000Z,succeeded,${ids.opening},Opening,take_${jobIds[0]},${ana.user.id},Ana,fal,fal:veo3,1.00,1.20`,
      `${jobIds[1]},2026-12-01T10:00:00.001Z,2026-12-01T10:00:01.001Z,succeeded,${ids.opening},Opening,take_${jobIds[1]},${ben.user.id},Ben,fal,fal:veo3,1.00,1.00`,
      `${jobIds[2]},2026-12-01T10:00:00.002Z,2026-12-01T10:00:01.002Z,succeeded,${ids.formula},"'=HYPERLINK(""http://evil"")",take_${jobIds[2]},${ben.user.id},Ben,ark,ark:seedance,0.50,0.40`,
      `${jobIds[3]},2026-12-01T10:00:00.003Z,,queued,${ids.formula},"'=HYPERLINK(""http://evil"")",take_${jobIds[3]},${ana.user.id},Ana,fal,fal:veo3,2.00,`,
      `${jobIds[4]},2026-12-01T10:00:00.004Z,2026-12-01T10:00:01.004Z,failed,${ids.opening},Opening,take_${jobIds[4]},${ana.user.id},Ana,fal,fal:veo3,1.00,`,
    ]);
  });

  it('sums exactly and writes exact dollars: $0.10 + $0.20 + $0.3024 + $1.512 is $2.1144, not a float near it', async () => {
    const ana = await signedUpClient(srv.url, { name: 'Ana' });
    const boardId = await createBoard(ana.client, 'Exact');
    let shot = '';
    await srv.takeboard.hub.change(boardId, (doc) => {
      shot = addShot(doc, { title: 'Opening' });
    });
    const t = Date.parse('2026-12-01T10:00:00Z');
    const by = ana.user.id;
    await seedCostJobs(srv.database.db, boardId, [100_000, 200_000, 302_400, 1_512_000].map((micro, i) => ({ shotId: shot, by, status: 'succeeded' as const, estimateMicroUsd: micro, chargedMicroUsd: micro, at: t + i })));
    const r = (await ana.client.get(`/api/boards/${boardId}/costs`)).body;
    expect(r).toMatchObject({ jobs: 4, spentMicroUsd: 2_114_400, estimateMicroUsd: 2_114_400, committedMicroUsd: 0, budgetMicroUsd: null });
    expect(r.shots).toEqual([{ shotId: shot, jobs: 4, openJobs: 0, spentMicroUsd: 2_114_400, estimateMicroUsd: 2_114_400, committedMicroUsd: 0 }]);
    const csv = await (await fetch(`${srv.url}/api/boards/${boardId}/costs.csv`, { headers: { cookie: ana.client.cookieHeader } })).text();
    const money = csv.trim().split('\r\n').slice(1).map((line) => line.split(',').slice(-2).join(' '));
    expect(money).toEqual(['0.10 0.10', '0.20 0.20', '0.3024 0.3024', '1.512 1.512']);
  });
});
