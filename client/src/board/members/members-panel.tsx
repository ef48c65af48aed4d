import { createResource, createSignal, For, onMount, Show } from 'solid-js';
import { INVITE_ROLES, ROLES, type InviteRole, type Member, type Role } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';
import { keepOnScreen } from '../../ui/keep-on-screen';

/**
 * Members and roles; owners also change roles, remove people (after a confirmation naming them)
 * and manage invite links. The list follows joins, removals and role changes live (the board's
 * sync socket says when; board-context refetches).
 */
export default function MembersPanel(props: { onClose: () => void }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [invites, { refetch }] = createResource(() => (b.isOwner() ? b.boardId : false), (id) => api.invites(id));
  const [link, setLink] = createSignal<string | null>(null);
  const [removing, setRemoving] = createSignal<Member | null>(null);
  onMount(() => b.refetchMembers());
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      toast.show(errorText(err), 'error');
    }
  };

  const setRole = (userId: string, role: Role) => attempt(async () => {
    await api.setMemberRole(b.boardId, userId, role);
    b.refetchMembers();
  });
  const remove = (m: Member) => attempt(async () => {
    setRemoving(null);
    await api.removeMember(b.boardId, m.userId);
    toast.show(`${m.name} was removed from the board`);
    b.refetchMembers();
  });
  const invite = (role: InviteRole) => attempt(async () => {
    const created = await api.createInvite(b.boardId, role);
    setLink(created.url);
    void refetch();
  });
  const revoke = (id: string) => attempt(async () => {
    await api.revokeInvite(b.boardId, id);
    void refetch();
  });
  const copy = async () => {
    const url = link();
    if (!url) return;
    await navigator.clipboard?.writeText(url).then(() => toast.show('Invite link copied'), () => undefined);
  };

  return (
    <div class="popover members" role="dialog" aria-label="Members" ref={keepOnScreen}>
      <header class="detail-head">
        <h2>Members</h2>
        <button type="button" class="icon" aria-label="Close members" onClick={props.onClose}>
          ✕
        </button>
      </header>
      <ul class="member-list" aria-label="Board members">
        <For each={b.members()}>
          {(m) => (
            <li data-user-id={m.userId}>
              <span>
                <strong>{m.name}</strong> <span class="muted">{m.city ?? ''} · {m.email}</span>
              </span>
              <Show when={b.isOwner()} fallback={<span class={`role role-${m.role}`}>{m.role}</span>}>
                <select aria-label={`Role of ${m.name}`} onChange={(e) => void setRole(m.userId, e.currentTarget.value as Role)}>
                  <For each={ROLES}>{(r) => <option value={r} selected={r === m.role}>{r}</option>}</For>
                </select>
                <Show when={m.userId !== b.me.id}>
                  <button type="button" class="link danger" aria-label={`Remove ${m.name}`} onClick={() => setRemoving(m)}>
                    Remove
                  </button>
                </Show>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={removing()}>
        {(m) => (
          <ConfirmDialog title={`Remove ${m().name}?`} confirm={`Remove ${m().name}`} onConfirm={() => void remove(m())} onCancel={() => setRemoving(null)}>
            <p>
              {m().name} ({m().email}) loses access to this board at once: their open board closes and edits they have not sent
              yet are not saved. Comments they wrote stay. You can invite them again later.
            </p>
          </ConfirmDialog>
        )}
      </Show>
      <Show when={b.isOwner()}>
        <h3>Invite links</h3>
        <div class="row-actions">
          <For each={INVITE_ROLES}>
            {(r) => (
              <button type="button" onClick={() => void invite(r)}>
                Create {r} invite
              </button>
            )}
          </For>
        </div>
        <Show when={link()}>
          {(url) => (
            <div class="invite-link">
              <input readOnly value={url()} aria-label="Invite link" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" onClick={() => void copy()}>
                Copy
              </button>
            </div>
          )}
        </Show>
        <ul class="invite-list" aria-label="Invites">
          <For each={(invites() ?? []).filter((i) => !i.revokedAt && Date.parse(i.expiresAt) > Date.now())}>
            {(i) => (
              <li>
                {i.role} link, expires {new Date(i.expiresAt).toLocaleDateString()}
                <button type="button" class="link danger" aria-label={`Revoke ${i.role} invite created ${new Date(i.createdAt).toLocaleString()}`} onClick={() => void revoke(i.id)}>
                  Revoke
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
