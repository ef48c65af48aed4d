import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openDatabase, type Db } from '../../server/db/open.js';
import { colourSlot } from '../../server/sync/colours.queries.js';
import { PRESENCE_PALETTE, presenceOf } from '../../server/sync/presence.js';

let database: Db;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takeboard-colours-'));
  database = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
  await migrateToLatest(database.db);
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A board with `count` members who joined in order; returns the board id and user ids. */
async function board(count: number) {
  const db = database.db;
  const boardId = `b${++n}`;
  const users = Array.from({ length: count }, (_, i) => `${boardId}-u${i}`);
  await db.insertInto('users').values(users.map((id) => ({ id, email: `${id}@example.test`, name: id, city: null, password_hash: 'x', created_at: 0 }))).execute();
  await db.insertInto('boards').values({ id: boardId, title: boardId, created_by: users[0]!, created_at: 0, updated_at: 0 }).execute();
  await join(boardId, users);
  return { boardId, users };
}
const join = (boardId: string, users: string[]) =>
  database.db.insertInto('board_members').values(users.map((user_id, i) => ({ board_id: boardId, user_id, role: 'editor' as const, created_at: i }))).execute();
const colourOf = async (boardId: string, userId: string) => presenceOf({ id: userId, name: userId, city: null, slot: await colourSlot(database.db, boardId, userId) }).color;

it('the palette has twelve different colours', () => {
  expect(PRESENCE_PALETTE).toHaveLength(12);
  expect(new Set(PRESENCE_PALETTE.map((c) => c.toLowerCase())).size).toBe(12);
});

it('twelve people on a board get twelve different colours, in the order they first arrive, the same every time', async () => {
  const { boardId, users } = await board(12);
  const colours = [];
  for (const u of users) colours.push(await colourOf(boardId, u));
  expect(new Set(colours).size).toBe(12);
  expect(colours).toEqual([...PRESENCE_PALETTE]);
  for (const [i, u] of [...users].reverse().entries()) expect(await colourOf(boardId, u)).toBe(colours[11 - i]);
});

it('someone who leaves frees their colour for the next person; nobody else’s colour moves', async () => {
  const { boardId, users } = await board(12);
  const before = new Map<string, string>();
  for (const u of users) before.set(u, await colourOf(boardId, u));
  await database.db.deleteFrom('board_members').where('board_id', '=', boardId).where('user_id', '=', users[3]!).execute();
  await database.db.insertInto('users').values({ id: `${boardId}-new`, email: `${boardId}-new@example.test`, name: 'new', city: null, password_hash: 'x', created_at: 0 }).execute();
  await join(boardId, [`${boardId}-new`]);
  expect(await colourOf(boardId, `${boardId}-new`)).toBe(before.get(users[3]!));
  // Back on the board (after someone else left) with their old colour taken: the free one, never a teammate's.
  await database.db.deleteFrom('board_members').where('board_id', '=', boardId).where('user_id', '=', users[5]!).execute();
  await join(boardId, [users[3]!]);
  expect(await colourOf(boardId, users[3]!)).toBe(before.get(users[5]!));
  const stayed = users.filter((u) => u !== users[3] && u !== users[5]);
  for (const u of stayed) expect(await colourOf(boardId, u)).toBe(before.get(u));
});

it('colours are per board: the same person may hold different slots on two boards', async () => {
  const one = await board(2);
  const two = await board(1);
  await join(two.boardId, [one.users[1]!]);
  for (const u of one.users) await colourOf(one.boardId, u);
  expect(await colourOf(two.boardId, two.users[0]!)).toBe(PRESENCE_PALETTE[0]);
  expect(await colourOf(one.boardId, one.users[1]!)).toBe(PRESENCE_PALETTE[1]);
  expect(await colourOf(two.boardId, one.users[1]!)).toBe(PRESENCE_PALETTE[1]);
});
