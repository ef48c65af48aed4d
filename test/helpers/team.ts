/**
 * The opening of the multi-user sync tests, in one place: a new board with its owner, an editor and
 * a third member (any invite role) signed up on one server, owner and editor connected and synced.
 */
import type { InviteRole } from '../../shared/api.js';
import { createBoard, joinWithRole, signedUpClient } from './http.js';
import { connectBoard, type BoardConnection } from './sync.js';

export interface Person {
  name: string;
  city?: string;
}

/** Connections go into `open` so the file's `afterAll` destroys them. */
export async function connectedTeam(url: string, open: BoardConnection[], people: { owner: Person; editor: Person; third: Person & { role: InviteRole } }) {
  const owner = await signedUpClient(url, people.owner);
  const editor = await signedUpClient(url, people.editor);
  const third = await signedUpClient(url, people.third);
  const boardId = await createBoard(owner.client);
  await joinWithRole(owner.client, editor.client, boardId, 'editor');
  await joinWithRole(owner.client, third.client, boardId, people.third.role);
  const ca = connectBoard(url, boardId, owner.client);
  const cb = connectBoard(url, boardId, editor.client);
  open.push(ca, cb);
  await Promise.all([ca.synced(), cb.synced()]);
  return { owner, editor, third, boardId, ca, cb };
}
