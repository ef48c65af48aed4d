import fs from 'node:fs';
import { addShot } from '../../shared/doc/index.js';
import type { TakeView } from '../../shared/doc/index.js';
import { generateAndSelect, storedShot } from '../export/helpers.js';
import { upload } from '../adversarial/helpers.js';
import { createBoard, signedUpClient, TestClient } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';
import { connectBoard, type BoardConnection } from '../helpers/sync.js';

export interface ReviewBoard {
  owner: Awaited<ReturnType<typeof signedUpClient>>;
  boardId: string;
  conn: BoardConnection;
  shotId: string;
  take: TakeView;
  /** An uploaded still: the board's, but no take's clip or poster. */
  stillId: string;
}

/** A board with one shot whose selected take is a finished animatic clip, and an uploaded still. */
export async function reviewBoard(srv: TestServer, png: string, title = 'Review board'): Promise<ReviewBoard> {
  const owner = await signedUpClient(srv.url, { name: 'Olga' });
  const boardId = await createBoard(owner.client, title);
  const conn = connectBoard(srv.url, boardId, owner.client);
  await conn.synced();
  const stillId = (await upload(owner.client, boardId, fs.readFileSync(png), 'still.png')).body.id as string;
  const shotId = addShot(conn.doc, { title: 'Opening', prompt: 'SECRET PROMPT a quiet street at dawn', durationSec: 2, model: 'animatic' });
  await storedShot(srv, boardId, shotId);
  const take = await generateAndSelect(srv, owner.client, conn, boardId, shotId, 3);
  return { owner, boardId, conn, shotId, take, stillId };
}

/** The secret at the end of a review link's URL. */
export const secretOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** A browser with no account that opened `url` and typed `name`. */
export async function guestJoins(srv: TestServer, url: string, name: string): Promise<TestClient> {
  const guest = new TestClient(srv.url);
  const res = await guest.post('/api/guest/session', { secret: secretOf(url), name });
  if (res.status !== 201) throw new Error(`guest join failed: ${res.status} ${JSON.stringify(res.body)}`);
  return guest;
}
