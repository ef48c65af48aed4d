import { Match, Show, Switch } from 'solid-js';
import { COMMENT_ONLY_NOTICE, isRoleRefusal, READ_ONLY_NOTICE, SYNC_CLOSE } from '../../../shared/sync';
import { ROLE_CAN } from '../ui/roles';
import { useBoard } from './board-context';

const LABEL = {
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  closed: 'Disconnected',
} as const;

/** Online / reconnecting / offline, with the count of local edits not yet sent. */
export function ConnectionBadge() {
  const b = useBoard();
  const pendingText = () => {
    const n = b.conn.pending();
    return n === 0 ? '' : ` · ${n} local edit${n === 1 ? '' : 's'} pending`;
  };
  return (
    <div class={`conn conn-${b.conn.status()}`} role="status" aria-label="Connection" data-status={b.conn.status()}>
      <span class="conn-dot" aria-hidden="true" />
      <span class="conn-label">{LABEL[b.conn.status()]}</span>
      {pendingText()}
    </div>
  );
}

/** A banner for a socket the server closed for good, saying what to do about it. */
export function TerminalBanner() {
  const b = useBoard();
  return (
    <Show when={b.conn.terminal()}>
      {(t) => (
        <div class="banner banner-error" role="alert">
          <Switch fallback={<span>The server closed the connection ({t().code}): {t().reason}</span>}>
            <Match when={t().needsLogin}>
              Your session ended. <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in again</a> to keep
              syncing; your edits are kept in this browser.
            </Match>
            <Match when={t().code === SYNC_CLOSE.removed || t().code === SYNC_CLOSE.notFound}>
              You no longer have access to this board. <a href="/">Back to your boards</a>
            </Match>
            <Match when={t().code === SYNC_CLOSE.boardDeleted}>
              This board was deleted. <a href="/">Back to your boards</a>
            </Match>
            <Match when={t().outdated}>
              This board was updated; reload the page to keep editing (your last edit was not saved).{' '}
              <button type="button" onClick={() => void b.conn.discardOfflineCopy().then(() => location.reload())}>
                Reload
              </button>
            </Match>
            <Match when={t().code === SYNC_CLOSE.schemaViolation || t().code === SYNC_CLOSE.malformed}>
              The server refused an edit from this browser ({t().reason}).{' '}
              <button type="button" onClick={() => void b.conn.discardOfflineCopy().then(() => location.reload())}>
                Discard local changes and reload
              </button>
            </Match>
            <Match when={t().code === SYNC_CLOSE.tooManyConnections}>
              This board is not syncing: {t().reason}. Your edits are kept in this browser.{' '}
              <button type="button" onClick={() => location.reload()}>
                Reload
              </button>
            </Match>
            <Match when={t().code === SYNC_CLOSE.documentTooLarge}>
              Your last edit was not saved: {t().reason}. Everyone else keeps working on the board. Discard the edit and
              reload, then make it smaller (shorter texts, fewer at once).{' '}
              <button type="button" onClick={() => void b.conn.discardOfflineCopy().then(() => location.reload())}>
                Discard the refused edit and reload
              </button>
            </Match>
          </Switch>
        </div>
      )}
    </Show>
  );
}

/**
 * The server refused an edit past this user's role (they are a viewer or commenter now). The refused edit is still in
 * this browser's copy; offer to drop it so the board shows exactly what everyone else sees.
 */
export function RefusedBanner() {
  const b = useBoard();
  // The server's reason says which role refused it and, for a commenter, which field and why.
  const refusal = () => {
    const reason = b.conn.notice();
    if (!isRoleRefusal(reason)) return null;
    const commenter = reason!.startsWith(COMMENT_ONLY_NOTICE);
    const detail = reason!.slice((commenter ? COMMENT_ONLY_NOTICE : READ_ONLY_NOTICE).length).trim().replace(/^\((.*)\)$/, '$1');
    return { role: commenter ? ('commenter' as const) : ('viewer' as const), detail };
  };
  return (
    <Show when={refusal()}>
      {(r) => (
        <div class="banner banner-error" role="alert">
          The server did not accept your last edit: you are a {r().role} on this board now ({ROLE_CAN[r().role]}).
          <Show when={r().detail}> Refused: {r().detail}.</Show> Edits it refused stay in this browser only, and what you do
          here is not saved until you drop them.{' '}
          <button type="button" onClick={() => void b.conn.discardOfflineCopy().then(() => location.reload())}>
            Discard them and reload
          </button>
        </div>
      )}
    </Show>
  );
}
