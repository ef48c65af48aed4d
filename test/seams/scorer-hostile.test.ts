/**
 * The seam scorer on what a board may hold: a take that failed (no clip), a clip whose asset is
 * gone, a "clip" that is not a video, a take still rendering. Each ends as "not scored: why"
 * (or stays pending while the take renders); nothing throws and the good pair beside them scores.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShot, selectTake, upsertTake, type TakePatch } from '../../shared/doc/index.js';
import { insertAssetsOnce } from '../../server/assets/assets.queries.js';
import { createFsBlobStore } from '../../server/assets/fs-blob-store.js';
import { createMedia } from '../../server/assets/media.js';
import { newId } from '../../server/lib/ids.js';
import { createLogger } from '../../server/lib/log.js';
import { systemClock } from '../../server/lib/clock.js';
import { createSeamScorer, type SeamScorer } from '../../server/seams/seam-scorer.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient } from '../helpers/http.js';
import { ffmpeg } from '../assets/media-fixtures.js';

let srv: TestServer;
let boardId: string;
let userId: string;
let scorer: SeamScorer;
let good: string;
const doc = new Y.Doc();

/** Stores `file` as an asset of the board (as finalize would), returning its id. */
async function asset(file: string, kind: 'video' = 'video'): Promise<string> {
  const blobs = createFsBlobStore({ root: path.join(srv.dataDir, 'blobs') });
  const put = await blobs.put({ path: file });
  const [id] = await insertAssetsOnce(srv.database.db, [{ id: newId(), board_id: boardId, sha256: put.sha256, kind, mime: 'video/mp4', bytes: put.bytes, width: 320, height: 180, duration_sec: 1, fps: 25, name: path.basename(file), origin: 'take', poster_sha256: null, created_by: userId, created_at: Date.now() }]);
  return id!;
}

/** A shot continuing from `from` (or none) with one selected take. */
function shotWithTake(from: string | undefined, take: TakePatch): { shot: string; take: string } {
  const shot = addShot(doc, { title: 'x', prompt: 'x', durationSec: 1, model: 'animatic', ...(from ? { continuesFrom: from } : {}) });
  const id = newId();
  upsertTake(doc, shot, id, { jobId: newId(), status: 'succeeded', model: 'animatic', durationSec: 1, costMicroUsd: 0, createdBy: userId, createdAt: new Date().toISOString(), number: 1, ...take });
  selectTake(doc, shot, id);
  return { shot, take: id };
}

function scorerWith(media: ReturnType<typeof createMedia>, maxTries?: number): SeamScorer {
  return createSeamScorer(
    { db: srv.database.db, media, blobs: createFsBlobStore({ root: path.join(srv.dataDir, 'blobs') }), clock: systemClock, log: createLogger('silent'), hub: { read: async (_id, fn) => fn(doc) } },
    maxTries ? { maxTries } : {},
  );
}

beforeAll(async () => {
  srv = await startTestServer({ app: { generation: { startWorker: false } } });
  const owner = await signedUpClient(srv.url, { name: 'Owner' });
  userId = owner.user.id;
  boardId = await createBoard(owner.client, 'Hostile seams');
  const dir = path.join(srv.dataDir, 'fixtures');
  await fs.mkdir(dir);
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=25:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path.join(dir, 'good.mp4'));
  await fs.writeFile(path.join(dir, 'text.mp4'), 'not a video at all');
  scorer = scorerWith(createMedia());
  good = await asset(path.join(dir, 'good.mp4'));
  const text = await asset(path.join(dir, 'text.mp4'));
  // good -> good: scores. failed -> good: no upstream clip. good -> gone asset. good -> text "clip". good -> still running.
  const a = shotWithTake(undefined, { clip: good });
  shotWithTake(a.shot, { clip: good });
  const failed = shotWithTake(undefined, { status: 'failed', error: 'provider said no' });
  shotWithTake(failed.shot, { clip: good });
  shotWithTake(a.shot, { clip: 'asset_deleted_long_ago' });
  shotWithTake(a.shot, { clip: text });
  shotWithTake(a.shot, { status: 'running' });
}, 60_000);

afterAll(async () => {
  await scorer?.close();
  await srv?.close();
});

describe('seam scoring on hostile boards', () => {
  it('every pair ends scored, not scored with why, or pending while its take renders', async () => {
    expect((await scorer.list(boardId)).seams.map((s) => s.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    await scorer.idle();
    const seams = (await scorer.list(boardId)).seams;
    expect(seams.map((s) => s.status)).toEqual(['scored', 'not-scored', 'not-scored', 'not-scored', 'pending']);
    const why = seams.map((s) => (s.status === 'not-scored' ? s.why : ''));
    expect(why[1]).toBe('the upstream take #1 has no clip (it is failed)');
    expect(why[2]).toBe('the downstream clip is gone (deleted from the board or its storage)');
    expect(why[3]).toMatch(/^the downstream clip could not be read: /);
    // Shown to people and written into exports: no server path in it.
    expect(why[3]).not.toMatch(/takeboard-seam-|\/tmp\//);
    // The same clip's end against its start: the test pattern holds.
    expect(seams[0]).toMatchObject({ status: 'scored', bad: false });
  }, 60_000);

  it('a passing failure (ffmpeg timed out) leaves the pair pending to be tried again, then says why', async () => {
    const hurried = scorerWith(createMedia({ timeoutMs: 1 }), 2);
    const up = shotWithTake(undefined, { clip: good });
    shotWithTake(up.shot, { clip: good });
    const last = async () => (await hurried.list(boardId)).seams.at(-1)!;
    expect((await last()).status).toBe('pending');
    await hurried.idle();
    expect((await last()).status).toBe('pending');
    await hurried.idle();
    const s = await last();
    expect(s.status).toBe('not-scored');
    expect(s.status === 'not-scored' && s.why).toMatch(/took longer than 1 ms/);
    await hurried.close();
  }, 60_000);
});
