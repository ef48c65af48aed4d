import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import * as Y from 'yjs';
import { addReferenceVersion, addShot, assignReference, createReference, getMeta, getShot, listTakes, selectTake, shotsInOrder, type TakeView } from '../../shared/doc/index.js';
import { planSequence, type SequencePlan } from '../../shared/sequence/plan.js';
import { FFMPEG, FFPROBE, ffmpeg } from '../assets/media-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createBoard, signedUpClient, type TestClient } from '../helpers/http.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';
import { waitFor } from '../helpers/wait.js';
import { jobReaches } from '../generation/helpers.js';

/** Forwards to the value `get` returns once the suite's beforeAll has set it. */
function later<T extends object>(get: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = get();
      if (!value) throw new Error(`${what} is used before the suite's beforeAll made it`);
      return value[key as keyof T];
    },
  });
}

/**
 * A server and a chained board (`chainedBoard`) for the suite: made before its tests, closed
 * after. Read `srv` and `b` inside tests and hooks, not at collection time.
 */
export function useChainedBoard(): { srv: TestServer; b: ChainedBoard } {
  let srv: TestServer | undefined;
  let b: ChainedBoard | undefined;
  beforeAll(async () => {
    srv = await startTestServer();
    b = await chainedBoard(srv);
  }, 240_000);
  afterAll(async () => {
    b?.conn.destroy();
    await srv?.close();
  });
  return { srv: later(() => srv, 'the test server'), b: later(() => b, 'the chained board') };
}

/** A title and a prompt with everything CSV, XML and HTML must escape. */
export const TRICKY_TITLE = 'Alley, "night" <run> & rain\nsecond line';
export const TRICKY_PROMPT = 'a courier runs, fast,\r\nthrough "neon" rain; <b>bold</b> & \'quoted\'';
export const BOARD_TITLE = 'Neon Run — Café, "one-take"';

export interface ChainedBoard {
  owner: Awaited<ReturnType<typeof signedUpClient>>;
  boardId: string;
  conn: BoardConnection;
  first: string;
  second: string;
  third: string;
  take1: TakeView;
  take2: TakeView;
  /** The character reference the first shot uses, pinned to its second version. */
  ref: { id: string; v1: string; v2: string; image: string };
}

/**
 * A board with two chained animatic shots (3 s each, the second continuing from the first), both
 * with a selected take, and a third shot with none.
 */
export async function chainedBoard(srv: TestServer): Promise<ChainedBoard> {
  const owner = await signedUpClient(srv.url, { name: 'Producer' });
  const boardId = await createBoard(owner.client, BOARD_TITLE);
  const conn = connectBoard(srv.url, boardId, owner.client);
  await conn.synced();
  const image = await uploadStill(owner.client, boardId);
  const refId = createReference(conn.doc, { kind: 'character', name: 'Mara, courier' });
  const v1 = addReferenceVersion(conn.doc, refId, { beat: 'day', assets: [image] });
  const v2 = addReferenceVersion(conn.doc, refId, { beat: 'night, soaked', assets: [image] });
  const first = addShot(conn.doc, { title: TRICKY_TITLE, prompt: TRICKY_PROMPT, mode: 'reference', durationSec: 3, model: 'animatic', camera: 'push-in', shotSize: 'WS', status: 'review' });
  assignReference(conn.doc, first, refId, v2);
  const second = addShot(conn.doc, { title: 'Rooftop', prompt: 'she climbs onto the roof', durationSec: 3, model: 'animatic', continuesFrom: first, camera: 'orbit' });
  const third = addShot(conn.doc, { title: 'Epilogue, not shot yet', prompt: '=HYPERLINK("http://evil.example")', durationSec: 4, model: 'animatic' });
  await storedShot(srv, boardId, third);
  const take1 = await generateAndSelect(srv, owner.client, conn, boardId, first, 7);
  const take2 = await generateAndSelect(srv, owner.client, conn, boardId, second, 8);
  return { owner, boardId, conn, first, second, third, take1, take2, ref: { id: refId, v1, v2, image } };
}

/** Uploads a small generated PNG to the board and returns its asset id. */
async function uploadStill(client: TestClient, boardId: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takeboard-export-still-'));
  try {
    const file = path.join(dir, 'mara.png');
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', file);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await fs.readFile(file))]), 'mara.png');
    const res = await client.request('POST', `/api/boards/${boardId}/assets`, undefined, { raw: form });
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function storedShot(srv: TestServer, boardId: string, shotId: string) {
  return waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)), `shot ${shotId} to be stored`);
}

/** Generates a take of `shotId`, waits for it, selects it and waits until the server has the selection. */
export async function generateAndSelect(srv: TestServer, client: TestClient, conn: BoardConnection, boardId: string, shotId: string, seed: number): Promise<TakeView> {
  const g = await client.post(`/api/boards/${boardId}/shots/${shotId}/generate`, { seed });
  if (g.status !== 202) throw new Error(`generate failed: ${g.status} ${JSON.stringify(g.body)}`);
  await jobReaches(client, g.body.jobId, 'succeeded', 90_000);
  const take = await waitFor(() => listTakes(conn.doc, shotId).find((t) => t.id === g.body.takeId && t.status === 'succeeded'), 'take on the client', 30_000);
  selectTake(conn.doc, shotId, take.id);
  await waitFor(() => srv.takeboard.hub.read(boardId, (d) => getShot(d, shotId)?.selectedTake === take.id), 'selection stored');
  return take;
}

/** GET returning the raw bytes (the JSON test client decodes everything as text). */
export async function getBytes(client: TestClient, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(client.baseUrl + path, { headers: { cookie: client.cookieHeader, ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const execFileP = promisify(execFile);

/** The first video stream of a file, counted exactly (`nb_frames` from the MP4 index). */
export async function probeVideo(file: string) {
  const { stdout } = await execFileP(FFPROBE, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const data = JSON.parse(stdout) as { streams: Record<string, string | number>[]; format: { duration: string } };
  const v = data.streams.find((s) => s.codec_type === 'video')!;
  const [n, d] = String(v.avg_frame_rate).split('/').map(Number) as [number, number];
  return {
    codec: String(v.codec_name),
    width: Number(v.width),
    height: Number(v.height),
    fps: n / d,
    frames: Number(v.nb_frames),
    durationSec: Number(data.format.duration),
    hasAudio: data.streams.some((s) => s.codec_type === 'audio'),
  };
}

/** The sequence plan of a board as a client holding `doc` computes it (what the Sequence tab plays). */
export function planOf(doc: Y.Doc): SequencePlan {
  const shots = shotsInOrder(doc);
  return planSequence({ meta: getMeta(doc), shots, takes: Object.fromEntries(shots.map((s) => [s.id, listTakes(doc, s.id)])) });
}

/** Times (s) where ffmpeg's scene detection sees a new picture (score above `threshold`). */
export async function sceneCuts(file: string, threshold = 0.3): Promise<number[]> {
  const { stderr } = await execFileP(FFMPEG, ['-nostdin', '-hide_banner', '-i', file, '-vf', `select='gt(scene,${threshold})',showinfo`, '-an', '-f', 'null', '-']);
  return [...stderr.matchAll(/pts_time:\s*([\d.]+)/g)].map((m) => Number(m[1]));
}
