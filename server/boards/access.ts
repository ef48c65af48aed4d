import type { Kysely } from 'kysely';
import { roleAtLeast, type Role } from '../../shared/api.js';
import type { Database } from '../db/schema.js';
import { AppError, boardNotFound } from '../errors.js';
import { getRole } from './boards.queries.js';

/**
 * The one board authorisation check. Non-members get 404 whatever they ask for (a board's
 * existence never leaks); members below the needed role get 403.
 */
export async function requireBoardRole(db: Kysely<Database>, boardId: string, userId: string, needed: Role): Promise<Role> {
  const role = await getRole(db, boardId, userId);
  if (!role) throw boardNotFound();
  if (!roleAtLeast(role, needed)) {
    throw new AppError('forbidden', `This needs the ${needed} role on this board; you are ${role === 'editor' ? 'an' : 'a'} ${role}`);
  }
  return role;
}
