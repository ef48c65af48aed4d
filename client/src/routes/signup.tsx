import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { LIMITS } from '../../../shared/api';
import { createAuthForm } from '../session/auth-form';
import { useSession } from '../session/session';
import { Field } from '../ui/field';
import { browserTimeZone, cityOfZone } from '../ui/format';

/** Create an account (name and city are what teammates see next to your avatar). */
export default function Signup() {
  const session = useSession();
  const { error, busy, submit, keepNext } = createAuthForm((f) => {
    const city = String(f.get('city') ?? '').trim();
    return session.signup({
      name: String(f.get('name')),
      email: String(f.get('email')),
      password: String(f.get('password')),
      ...(city ? { city } : {}),
    });
  });

  return (
    <main class="auth-page">
      <form class="card auth-card" onSubmit={submit} aria-labelledby="signup-title">
        <h1 id="signup-title">Create your Takeboard account</h1>
        <Field label="Name" name="name" autocomplete="name" required maxLength={LIMITS.nameMaxLength} />
        <Field label="Email" name="email" type="email" autocomplete="email" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minLength={LIMITS.passwordMinLength}
          hint={`At least ${LIMITS.passwordMinLength} characters`}
        />
        <Field label="City" name="city" autocomplete="address-level2" maxLength={LIMITS.cityMaxLength} value={cityOfZone(browserTimeZone()) ?? ''} hint="Optional: shown to teammates (guessed from your time zone)" />
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" class="primary" disabled={busy()}>
          Sign up
        </button>
        <p class="muted">
          Already have an account? <A href={keepNext('/login')}>Log in</A>
        </p>
      </form>
    </main>
  );
}
