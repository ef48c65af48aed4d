/**
 * Seam scores through the running app: a finished chained take gets its seam stored without
 * anyone asking (the real animatic continuing from its upstream's tail holds; a hard cut to red
 * does not, and says why), GET …/seams lists every chained cut, a new upstream selection is
 * scored when the board's seams are read, and the CSV and OTIO exports carry the scores.
 */
import { describe, expect, it } from 'vitest';
import { afterAll, beforeAll } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { SEAM_THRESHOLD, type SeamList, type SeamView } from '../../shared/seams.js';
import { seamsOf } from '../../server/seams/seams.queries.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { hardCutRenderer } from './hard-cut-renderer.js';
import { generateAndSelect, storedShot } from '../export/helpers.js';
import { parseCsv } from '../export/parsers.js';


let srv: TestServer;
let owner: Awaited<ReturnType<typeof signedUpClient>>;
let conn: BoardConnection;
let boardId: string;
const shots = { a: '', b: '', c: '' };

beforeAll(async () => {
  srv = await startTestServer({ app: { generation: { renderLocal: hardCutRenderer() } } });
  owner = await signedUpClient(srv.url, { name: 'Editor' });
  boardId = await createBoard(owner.client, 'Seams');
  conn = connectBoard(srv.url, boardId, owner.client);
  await conn.synced();
  shots.a = addShot(conn.doc, { title: 'Street', prompt: 'a courier runs down the street', durationSec: 2, model: 'animatic' });
  shots.b = addShot(conn.doc, { title: 'Corner', prompt: 'she turns the corner', durationSec: 2, model: 'animatic', continuesFrom: shots.a });
  shots.c = addShot(conn.doc, { title: 'Red room', prompt: 'HARD CUT to a red room', durationSec: 2, model: 'animatic', continuesFrom: shots.b });
  await storedShot(srv, boardId, shots.c);
}, 60_000);

afterAll(async () => {
  conn?.destroy();
  await srv?.close();
});

const stored = (downstreamTakeId: string) => waitFor(async () => (await seamsOf(srv.database.db, boardId, [downstreamTakeId]))[0], 'the seam to be stored', 60_000);
const list = async (): Promise<SeamList> => {
  const res = await owner.client.get(`/api/boards/${boardId}/seams`);
  expect(res.status).toBe(200);
  return res.body as SeamList;
};
const scored = (s: SeamView | undefined) => (s?.status === 'scored' ? s : undefined);

describe('seam scores of chained cuts', () => {
  const takes: Record<string, string> = {};

  it('a finished chained take is scored against the take it continues, without anyone asking', async () => {
    takes.a = (await generateAndSelect(srv, owner.client, conn, boardId, shots.a, 1)).id;
    takes.b = (await generateAndSelect(srv, owner.client, conn, boardId, shots.b, 2)).id;
    const row = await stored(takes.b);
    expect(row).toMatchObject({ upstream_take_id: takes.a, downstream_take_id: takes.b, status: 'scored' });
    expect(row.score!).toBeGreaterThan(SEAM_THRESHOLD);
  }, 180_000);

  it('a hard cut scores below the threshold and says why; the list gives both cuts', async () => {
    takes.c = (await generateAndSelect(srv, owner.client, conn, boardId, shots.c, 3)).id;
    const row = await stored(takes.c);
    expect(row.status).toBe('scored');
    expect(row.score!).toBeLessThan(SEAM_THRESHOLD);
    const { threshold, seams } = await list();
    expect(threshold).toBe(SEAM_THRESHOLD);
    expect(seams.map((s) => [s.upstreamTakeId, s.downstreamTakeId, s.status])).toEqual([[takes.a, takes.b, 'scored'], [takes.b, takes.c, 'scored']]);
    expect(seams[0]).toMatchObject({ bad: false, reasons: [] });
    expect(seams[1]).toMatchObject({ bad: true, downstreamShotId: shots.c });
    expect((seams[1] as { reasons: string[] }).reasons).toContain('colour jump');
  }, 180_000);

  it('the CSV and the OTIO timeline carry each cut\'s seam', async () => {
    const csv = await owner.client.get(`/api/boards/${boardId}/export/shots.csv`);
    const [header, ...rows] = parseCsv(csv.body as string);
    const cols = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
    const { seams } = await list();
    const [ab, bc] = seams.map(scored);
    expect(cols.map((c) => [c.seam_status, c.seam_score, c.seam_bad])).toEqual([['', '', ''], ['scored', String(ab!.score), 'no'], ['scored', String(bc!.score), 'yes']]);
    expect(cols[2]!.seam_why).toContain('colour jump');

    const otio = await owner.client.get(`/api/boards/${boardId}/export/timeline.otio`);
    const doc = typeof otio.body === 'string' ? JSON.parse(otio.body) : otio.body;
    type Item = { OTIO_SCHEMA: string; metadata: { takeboard: { seam: Record<string, unknown> | null } } };
    const clips = (doc.tracks.children[0].children as Item[]).filter((c) => c.OTIO_SCHEMA === 'Clip.2');
    expect(clips.map((c) => c.metadata.takeboard.seam?.score ?? null)).toEqual([null, ab!.score, bc!.score]);
    expect(clips[2]!.metadata.takeboard.seam).toMatchObject({ status: 'scored', bad: true, upstreamTakeId: takes.b, ssim: bc!.ssim, colourDistance: bc!.colourDistance, motion: bc!.motion });
  }, 60_000);

  it('a new upstream selection is scored once the board\'s seams are read', async () => {
    const newer = await generateAndSelect(srv, owner.client, conn, boardId, shots.a, 9);
    const first = (await list()).seams[0]!;
    expect([first.upstreamTakeId, first.downstreamTakeId]).toEqual([newer.id, takes.b]);
    // Pending until the background scoring has run; the read never waits for ffmpeg.
    const done = await waitFor(async () => scored((await list()).seams[0]), 'the new pair to be scored', 60_000);
    expect(done.upstreamTakeId).toBe(newer.id);
  }, 180_000);

  it('only members read the seams', async () => {
    const stranger = await signedUpClient(srv.url, { name: 'Stranger' });
    expect((await stranger.client.get(`/api/boards/${boardId}/seams`)).status).toBe(404);
  });
});
