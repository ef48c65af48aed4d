import { LIMITS } from '../../../shared/api';
import { AuthFormEnd, createAuthForm } from '../session/auth-form';
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
        <AuthFormEnd error={error} busy={busy} submit="Sign up" other={{ text: 'Already have an account?', href: keepNext('/login'), label: 'Log in' }} />
      </form>
    </main>
  );
}
