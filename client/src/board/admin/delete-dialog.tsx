import { useNavigate } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { useApi } from '../../api/context';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';

/**
 * Deleting a board cannot be undone, so the owner types its name first: a click that slipped
 * cannot do it, and the name in the dialog says which board goes.
 */
export function DeleteBoardDialog(props: { onCancel: () => void }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const [typed, setTyped] = createSignal('');
  const [error, setError] = createSignal('');
  let input: HTMLInputElement | undefined;
  onMount(() => input?.focus());
  const matches = () => typed().trim() === b.title().trim();
  const confirm = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!matches()) return setError('Board name: type it exactly as shown to confirm');
    try {
      await api.deleteBoard(b.boardId);
      toast.show(`“${b.title()}” was deleted`);
      navigate('/');
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div class="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <form class="modal" role="alertdialog" aria-modal="true" aria-labelledby="delete-board-title" aria-describedby="delete-board-what" onSubmit={confirm} noValidate>
        <h2 id="delete-board-title">Delete “{b.title()}”?</h2>
        <p id="delete-board-what">
          This deletes its shots, takes, comments and files for every member. It cannot be undone. To keep it out of the way instead, archive it.
        </p>
        <label class="field">
          <span class="field-label">Type the board's name to confirm</span>
          <input ref={input} name="confirm" autocomplete="off" value={typed()} onInput={(e) => setTyped(e.currentTarget.value)} aria-invalid={error() ? 'true' : undefined} />
        </label>
        <Show when={error()}>
          <p class="field-error" role="alert">{error()}</p>
        </Show>
        <div class="row-actions">
          <button type="submit" class="danger-solid" disabled={!matches()}>
            Delete forever
          </button>
          <button type="button" onClick={() => props.onCancel()}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
