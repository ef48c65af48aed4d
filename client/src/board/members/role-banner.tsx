import { Show } from 'solid-js';
import { ROLE_CAN } from '../../ui/roles';
import { useBoard } from '../board-context';

/**
 * My role on this board: a standing note while it limits what I can do (commenter, viewer), and
 * "Your role changed to X by Y" the moment a teammate changes it (live, from the sync socket).
 */
export function RoleBanner() {
  const b = useBoard();
  const change = () => {
    const c = b.roleChange();
    return c && c.by?.id !== b.me.id ? c : null;
  };
  return (
    <Show when={change() || !b.canEdit()}>
      <div class="banner role-banner" role="note" data-role={b.role()}>
        <span>
          <Show when={change()} fallback={<>You are {b.role() === 'viewer' ? 'a viewer' : 'a commenter'} on this board: </>}>
            {(c) => <>Your role changed to <strong>{c().role}</strong>{c().by ? ` by ${c().by!.name}` : ''}: </>}
          </Show>
          {ROLE_CAN[b.role()]}.
        </span>
        <Show when={change()}>
          <button type="button" class="link" aria-label="Dismiss role change" onClick={() => b.dismissRoleChange()}>
            OK
          </button>
        </Show>
      </div>
    </Show>
  );
}
