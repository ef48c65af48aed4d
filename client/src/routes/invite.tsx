import { A, useNavigate, useParams } from '@solidjs/router';
import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import { useApi } from '../api/context';
import { useSession } from '../session/session';
import { errorText } from '../ui/toast';
import { ROLE_CAN } from '../ui/roles';

/** An invite link: what board and role it grants, then log in or sign up, then join. */
export default function Invite() {
  const api = useApi();
  const session = useSession();
  const navigate = useNavigate();
  const params = useParams<{ token: string }>();
  const [preview] = createResource(() => params.token, (t) => api.previewInvite(t));
  const [error, setError] = createSignal('');
  const here = () => encodeURIComponent(`/invite/${params.token}`);

  const join = async () => {
    setError('');
    try {
      const { boardId } = await api.acceptInvite(params.token);
      navigate(`/boards/${boardId}`, { replace: true });
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <main class="auth-page">
      <div class="card auth-card">
        <Switch>
          <Match when={preview.loading}>
            <p role="status">Checking the invite…</p>
          </Match>
          <Match when={preview.error}>
            <h1>This invite cannot be used</h1>
            <p role="alert">{errorText(preview.error)}</p>
            <A href="/">Go to your boards</A>
          </Match>
          <Match when={preview()}>
            {(p) => (
              <>
                <h1>Join “{p().boardTitle}”</h1>
                <p>
                  You are invited as <strong>{p().role}</strong>: {ROLE_CAN[p().role]}. The link expires{' '}
                  {new Date(p().expiresAt).toLocaleString()}.
                </p>
                <Show
                  when={session.user()}
                  fallback={
                    <p>
                      <A class="button primary" href={`/login?next=${here()}`}>
                        Log in to join
                      </A>{' '}
                      <A class="button" href={`/signup?next=${here()}`}>
                        Sign up to join
                      </A>
                    </p>
                  }
                >
                  {(u) => (
                    <>
                      <p class="muted">Signed in as {u().name}.</p>
                      <button type="button" class="primary" onClick={join}>
                        Join board
                      </button>
                    </>
                  )}
                </Show>
                <Show when={error()}>
                  <p class="form-error" role="alert">
                    {error()}
                  </p>
                </Show>
              </>
            )}
          </Match>
        </Switch>
      </div>
    </main>
  );
}
