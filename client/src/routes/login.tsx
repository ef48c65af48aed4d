import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { createAuthForm } from '../session/auth-form';
import { useSession } from '../session/session';
import { Field } from '../ui/field';

/** Log in with email and password, then go where the user was headed. */
export default function Login() {
  const session = useSession();
  const { error, busy, submit, keepNext } = createAuthForm((form) => session.login(String(form.get('email')), String(form.get('password'))));

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
          No account yet? <A href={keepNext('/signup')}>Sign up</A>
        </p>
      </form>
    </main>
  );
}
