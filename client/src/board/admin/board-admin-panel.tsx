import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { LIMITS } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';
import { setBoardArchived } from './archive';
import { DeleteBoardDialog } from './delete-dialog';
import { WebhooksSection } from './webhooks-section';
import { ReviewLinksSection } from './review-links-section';

/**
 * The board menu: owners rename, archive or restore, and delete it; anyone who can read it
 * duplicates it as a template (a new board of their own, without takes or comments). Owners also
 * manage the board's guest review links (`review-links-section.tsx`) and outgoing webhooks here
 * (`webhooks-section.tsx`).
 */
export default function BoardAdminPanel(props: { onClose: () => void }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const [renameError, setRenameError] = createSignal('');
  const [copyError, setCopyError] = createSignal('');
  const [deleting, setDeleting] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const field = (e: SubmitEvent, name: string) => String(new FormData(e.currentTarget as HTMLFormElement).get(name) ?? '').trim();
  const rename = async (e: SubmitEvent) => {
    e.preventDefault();
    const title = field(e, 'title');
    if (!title) return setRenameError('Board name: 1 to ' + LIMITS.boardTitleMaxLength + ' characters');
    try {
      b.applySummary(await api.renameBoard(b.boardId, title));
      setRenameError('');
      toast.show('Board renamed');
    } catch (err) {
      setRenameError(errorText(err));
    }
  };
  const duplicate = async (e: SubmitEvent) => {
    e.preventDefault();
    const title = field(e, 'copy');
    if (!title) return setCopyError('Name of the copy: 1 to ' + LIMITS.boardTitleMaxLength + ' characters');
    setBusy(true);
    try {
      const copy = await api.duplicateBoard(b.boardId, title);
      props.onClose();
      navigate(`/boards/${copy.id}`);
      toast.show(`“${copy.title}” created from this board`);
    } catch (err) {
      setCopyError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="popover board-admin" role="dialog" aria-label="Board">
      <header class="detail-head">
        <h2>Board</h2>
        <button type="button" class="icon" aria-label="Close board menu" onClick={props.onClose}>
          ✕
        </button>
      </header>
      <Show when={b.isOwner() && !b.archived()}>
        <form class="admin-section" onSubmit={rename} noValidate>
          <label class="field">
            <span class="field-label">Board name</span>
            <input name="title" value={b.title()} maxLength={LIMITS.boardTitleMaxLength} aria-invalid={renameError() ? 'true' : undefined} />
          </label>
          <Show when={renameError()}>
            <p class="field-error" role="alert">{renameError()}</p>
          </Show>
          <button type="submit">Rename</button>
        </form>
      </Show>
      <form class="admin-section" onSubmit={duplicate} noValidate>
        <label class="field">
          <span class="field-label">Name of the copy</span>
          <input name="copy" value={`${b.title()} (template)`.slice(0, LIMITS.boardTitleMaxLength)} maxLength={LIMITS.boardTitleMaxLength} aria-invalid={copyError() ? 'true' : undefined} />
        </label>
        <p class="muted">
          A new board of yours with this board's settings, references (with their images) and shots, ready to generate again. Takes,
          comments, approvals, assignees and members stay here.
        </p>
        <Show when={copyError()}>
          <p class="field-error" role="alert">{copyError()}</p>
        </Show>
        <button type="submit" disabled={busy()}>
          Duplicate as template
        </button>
      </form>
      <Show when={b.isOwner()}>
        <div class="admin-section">
          <Show
            when={b.archived()}
            fallback={
              <>
                <p class="muted">Archiving makes the board read-only for everyone and hides it from the boards list (“Show archived” lists it). You can restore it at any time.</p>
                <button type="button" onClick={() => void setBoardArchived(api, b, toast, true)}>
                  Archive board
                </button>
              </>
            }
          >
            <p class="muted">This board is archived: read-only for everyone and hidden from the boards list.</p>
            <button type="button" onClick={() => void setBoardArchived(api, b, toast, false)}>
              Restore board
            </button>
          </Show>
        </div>
        <ReviewLinksSection />
        <WebhooksSection />
        <div class="admin-section danger-zone">
          <button type="button" class="danger" onClick={() => setDeleting(true)}>
            Delete board…
          </button>
        </div>
      </Show>
      <Show when={deleting()}>
        <DeleteBoardDialog onCancel={() => setDeleting(false)} />
      </Show>
    </div>
  );
}
