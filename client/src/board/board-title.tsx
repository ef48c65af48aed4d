import { Show } from 'solid-js';
import { LIMITS } from '../../../shared/api';
import { getTitleText } from '../../../shared/doc';
import { useApi } from '../api/context';
import { errorText, useToast } from '../ui/toast';
import { useBoard } from './board-context';
import { CollabInput } from './collab-text';

/**
 * The board's name in the top bar. Owners rename boards: they type into the shared title (merging
 * with other owners); when they leave the field the board list's name follows through the rename
 * API, which leaves the shared title alone once it was edited here (see the PATCH route). Editors
 * and viewers read it.
 */
export function BoardTitle() {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const shown = () => b.state.meta.title || b.title();
  const rename = (value: string) => {
    const title = value.trim();
    if (title && title !== b.title()) void api.renameBoard(b.boardId, title).catch((err) => toast.show(`Board title: ${errorText(err)}`, 'error'));
  };
  return (
    <Show when={b.canEdit() && b.isOwner()} fallback={<h1 class="board-title">{shown()}</h1>}>
      <h1 class="board-title">
        <CollabInput
          class="board-title-input"
          text={getTitleText(b.doc)}
          value={shown()}
          label="Board title"
          placeholder="Untitled board"
          maxLength={LIMITS.boardTitleMaxLength}
          onBlur={(e) => rename(e.currentTarget.value)}
        />
      </h1>
    </Show>
  );
}
