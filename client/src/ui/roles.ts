import type { Role } from '../../../shared/api';

/** What each board role may do, in words (the role banner, the refused-edit message, the invite page). */
export const ROLE_CAN: Record<Role, string> = {
  owner: 'you can edit everything and manage members',
  editor: 'you can edit shots and references and generate takes',
  commenter: 'you can comment, resolve your own threads and approve takes, but not edit shots or references',
  viewer: 'you can watch everything live, but not edit or comment',
};
