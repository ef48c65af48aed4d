import { A, useParams } from '@solidjs/router';
import { createResource, Match, Switch } from 'solid-js';
import { useApi } from '../api/context';
import { BoardProvider } from '../board/board-context';
import { BoardScreen } from '../board/board-screen';
import { useSession } from '../session/session';
import { TopBar } from '../ui/top-bar';
import { errorText } from '../ui/toast';

/** /boards/:boardId: asks the server for the board and my role, then opens it live. */
export default function BoardRoute() {
  const api = useApi();
  const session = useSession();
  const params = useParams<{ boardId: string }>();
  const [board] = createResource(() => params.boardId, (id) => api.board(id));
  return (
    <Switch>
      <Match when={board.error}>
        <TopBar />
        <main class="page">
          <h1>Board not available</h1>
          <p role="alert">{errorText(board.error)}. It may not exist, or you are not a member.</p>
          <A href="/">Back to your boards</A>
        </main>
      </Match>
      <Match when={board()} keyed>
        {(b) => (
          <BoardProvider board={b} me={session.user()!}>
            <BoardScreen />
          </BoardProvider>
        )}
      </Match>
      <Match when={board.loading}>
        <p class="loading" role="status">
          Opening board…
        </p>
      </Match>
    </Switch>
  );
}
