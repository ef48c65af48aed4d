import type { ApiClient } from '../../api/api-client';
import { errorText, type useToast } from '../../ui/toast';
import type { BoardContextValue } from '../board-context';

/** Archives or restores the open board (owners), and says what that means. */
export async function setBoardArchived(api: ApiClient, b: BoardContextValue, toast: ReturnType<typeof useToast>, archived: boolean): Promise<void> {
  try {
    b.applySummary(await api.setArchived(b.boardId, archived));
    toast.show(archived ? 'Board archived: it is read-only and hidden from your boards list' : 'Board restored: it can be edited again');
  } catch (err) {
    toast.show(`Archive: ${errorText(err)}`, 'error');
  }
}
