/**
 * Personal access tokens on the account page: make one (name, which boards, read or write, how
 * long), see its secret this once with a way to copy it, list the others, revoke any. Scripts
 * send the secret as `Authorization: Bearer …` (docs/api.md).
 */
import { createResource, createSignal, For, Show, Suspense } from 'solid-js';
import { API_TOKENS_MAX_ACTIVE, type ApiTokenAccess, type ApiTokenCreated, type ApiTokenInfo } from '../../../shared/api';
import { useApi } from '../api/context';
import { Field } from '../ui/field';
import { ago, exactTime } from '../ui/format';
import { createPageAction } from '../ui/page-action';
import { errorText } from '../ui/toast';

const EXPIRY_CHOICES: { days: number | null; label: string }[] = [
  { days: 30, label: '30 days' },
  { days: 7, label: '7 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: 'One year' },
  { days: null, label: 'Never' },
];

export function ApiTokens() {
  const api = useApi();
  const [tokens, { refetch }] = createResource(() => api.apiTokens());
  const [boards] = createResource(() => api.boards());
  const [scope, setScope] = createSignal<'all' | 'some'>('some');
  const [created, setCreated] = createSignal<ApiTokenCreated | null>(null);
  const [copied, setCopied] = createSignal(false);
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const active = () => (tokens() ?? []).filter((t) => !t.expired).length;

  const { act, busy, error, setError } = createPageAction(refetch);

  const create = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const chosen = data.getAll('board').map(String);
    const days = String(data.get('expiry'));
    void act(async () => {
      const made = await api.createApiToken({
        name: String(data.get('name') ?? '').trim(),
        boards: scope() === 'all' ? 'all' : chosen,
        access: String(data.get('access')) as ApiTokenAccess,
        expiresInDays: days === 'never' ? null : Number(days),
      });
      setCopied(false);
      setCreated(made);
      (form.elements.namedItem('name') as HTMLInputElement).value = '';
    });
  };

  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setError('Could not copy: select the token and copy it by hand');
    }
  };

  return (
    <section class="api-tokens" aria-labelledby="api-tokens-title">
      <h1 id="api-tokens-title">API tokens</h1>
      <p class="muted">
        For scripts and other tools: send a token as <code>Authorization: Bearer …</code>. A read token only reads; a write token can do what you can on its boards, never
        more. Tokens cannot reach your account, and stop working on a board you leave.
      </p>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={created()}>
        {(made) => (
          <div class="token-secret" role="region" aria-label="New token">
            <p>
              <strong>{made().token.name}</strong> is ready. Copy it now: it will not be shown again.
            </p>
            <div class="token-secret-row">
              <input readonly aria-label="Token secret" value={made().secret} onFocus={(e) => e.currentTarget.select()} />
              <button type="button" onClick={() => void copy(made().secret)}>
                {copied() ? 'Copied' : 'Copy'}
              </button>
              <button type="button" class="ghost" onClick={() => setCreated(null)}>
                Done
              </button>
            </div>
          </div>
        )}
      </Show>
      <form class="token-form" onSubmit={create}>
        <Field label="Token name" name="name" required maxLength={80} placeholder="Render farm script" hint="Says where the token is used" />
        <fieldset>
          <legend>Access</legend>
          <label>
            <input type="radio" name="access" value="read" checked /> Read
          </label>
          <label>
            <input type="radio" name="access" value="write" /> Write
          </label>
        </fieldset>
        <fieldset>
          <legend>Boards</legend>
          <label>
            <input type="radio" name="scope" value="some" checked={scope() === 'some'} onChange={() => setScope('some')} /> Chosen boards
          </label>
          <label>
            <input type="radio" name="scope" value="all" checked={scope() === 'all'} onChange={() => setScope('all')} /> All my boards, now and later
          </label>
          <Show when={scope() === 'some'}>
            <div class="token-boards">
              <For each={boards()} fallback={<span class="muted">You are on no board yet.</span>}>
                {(b) => (
                  <label>
                    <input type="checkbox" name="board" value={b.id} /> {b.title}
                  </label>
                )}
              </For>
            </div>
          </Show>
        </fieldset>
        <label class="field">
          <span class="field-label">Expires after</span>
          <select name="expiry">
            <For each={EXPIRY_CHOICES}>{(c) => <option value={c.days ?? 'never'}>{c.label}</option>}</For>
          </select>
        </label>
        <button type="submit" disabled={busy() || active() >= API_TOKENS_MAX_ACTIVE}>
          Create token
        </button>
        <Show when={active() >= API_TOKENS_MAX_ACTIVE}>
          <span class="muted">You have {API_TOKENS_MAX_ACTIVE} active tokens, the most allowed: revoke one first.</span>
        </Show>
      </form>
      <Suspense fallback={<p role="status">Loading tokens…</p>}>
        <Show when={tokens.error}>
          <p class="form-error" role="alert">
            Could not load your tokens: {errorText(tokens.error)}
          </p>
        </Show>
        <Show when={tokens() && tokens()!.length === 0}>
          <p class="muted">No tokens yet.</p>
        </Show>
        <ul class="board-list token-list" aria-label="API tokens">
          <For each={tokens()}>
            {(t) => (
              <li data-expired={t.expired ? 'true' : undefined}>
                <div class="token-what">
                  <span class="token-name">{t.name}</span>
                  <span class="tag">{t.access === 'read' ? 'Read' : 'Write'}</span>
                  <span class="muted token-when">
                    {scopeText(t)} · created <time title={exactTime(t.createdAt)}>{ago(t.createdAt)}</time> · {usedText(t)} · {expiryText(t)}
                  </span>
                </div>
                <Show
                  when={confirming() === t.id}
                  fallback={
                    <button type="button" class="ghost" disabled={busy()} onClick={() => setConfirming(t.id)}>
                      Revoke
                    </button>
                  }
                >
                  <button type="button" class="danger-action" disabled={busy()} onClick={() => void act(() => api.revokeApiToken(t.id))}>
                    Revoke {t.name} now
                  </button>
                  <button type="button" class="ghost" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Suspense>
    </section>
  );
}

function scopeText(t: ApiTokenInfo): string {
  if (t.boards === 'all') return 'All your boards';
  return t.boards.map((b) => b.title ?? 'a board you left').join(', ');
}

function usedText(t: ApiTokenInfo): string {
  return t.lastUsedAt ? `last used ${ago(t.lastUsedAt)}` : 'never used';
}

function expiryText(t: ApiTokenInfo): string {
  if (t.expiresAt === null) return 'never expires';
  const date = new Date(t.expiresAt).toLocaleDateString(undefined, { dateStyle: 'medium' });
  return t.expired ? `expired ${date}` : `expires ${date}`;
}
