import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show, type Accessor } from 'solid-js';
import { authErrorText } from './auth-error-text';
import { safeNext } from './require-user';

/**
 * What the log-in and sign-up pages share: sending the form (once at a time), its failure in
 * words, then going where the user was headed (`?next=`, kept when they switch pages).
 */
export function createAuthForm(send: (form: FormData) => Promise<unknown>) {
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
      await send(form);
      navigate(safeNext(params.next), { replace: true });
    } catch (err) {
      setError(authErrorText(err));
    } finally {
      setBusy(false);
    }
  };
  /** A link to the other auth page that keeps where the user was headed. */
  const keepNext = (path: string) => `${path}${params.next ? `?next=${encodeURIComponent(params.next)}` : ''}`;
  return { error, busy, submit, keepNext };
}

/** The end of an auth form: why it failed, the submit button, and the way to the other page. */
export function AuthFormEnd(props: { error: Accessor<string>; busy: Accessor<boolean>; submit: string; other: { text: string; href: string; label: string } }) {
  return (
    <>
      <Show when={props.error()}>
        <p class="form-error" role="alert">
          {props.error()}
        </p>
      </Show>
      <button type="submit" class="primary" disabled={props.busy()}>
        {props.submit}
      </button>
      <p class="muted">
        {props.other.text} <A href={props.other.href}>{props.other.label}</A>
      </p>
    </>
  );
}
