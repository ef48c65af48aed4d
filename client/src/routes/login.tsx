import { AuthFormEnd, createAuthForm } from '../session/auth-form';
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
        <AuthFormEnd error={error} busy={busy} submit="Log in" other={{ text: 'No account yet?', href: keepNext('/signup'), label: 'Sign up' }} />
      </form>
    </main>
  );
}
