import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { useSession } from '../session/session';
import { safeNext } from '../session/require-user';
import { Field } from '../ui/field';
import { authErrorText } from '../session/auth-error-text';

/** Log in with email and password, then go where the user was headed. */
export default function Login() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams<{ next?: string }>();
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError('');
    try {
      await session.login(String(form.get('email')), String(form.get('password')));
      navigate(safeNext(params.next), { replace: true });
    } catch (err) {
      setError(authErrorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth-page">
      <form class="card auth-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Log in to Takeboard</h1>
        <Field label="Email" name="email" type="email" autocomplete="email" required />
        <Field label="Password" name="password" type="password" autocomplete="current-password" required />
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" class="primary" disabled={busy()}>
          Log in
        </button>
        <p class="muted">
          No account yet? <A href={`/signup${params.next ? `?next=${encodeURIComponent(params.next)}` : ''}`}>Sign up</A>
        </p>
      </form>
    </main>
  );
}
