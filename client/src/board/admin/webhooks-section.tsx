import { createResource, createSignal, For, Show } from 'solid-js';
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, type WebhookEndpointCreated, type WebhookEndpointView, type WebhookEvent } from '../../../../shared/webhooks';
import { useApi } from '../../api/context';
import { errorText, useToast } from '../../ui/toast';
import { useBoard } from '../board-context';

/**
 * The board menu's webhooks (owners): add a URL with the events it gets, see the signing secret
 * once, edit an endpoint's URL and events, rotate its secret (the new one shown once), read each
 * endpoint's recent deliveries with the receiver's answers and resend one, remove an endpoint.
 */
export function WebhooksSection() {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [endpoints, { refetch }] = createResource(() => api.webhooks(b.boardId));
  const [error, setError] = createSignal('');
  // The secret just made (by creation or rotation): shown once, until dismissed.
  const [created, setCreated] = createSignal<WebhookEndpointCreated | null>(null);
  const [busy, setBusy] = createSignal(false);

  const add = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const url = String(data.get('url') ?? '').trim();
    const events = checkedEvents(data);
    const missing = missingField(url, events);
    if (missing) return setError(missing);
    setBusy(true);
    try {
      setCreated(await api.createWebhook(b.boardId, url, events));
      setError('');
      // The URL is cleared; the events stay as chosen, for the next endpoint.
      (form.elements.namedItem('url') as HTMLInputElement).value = '';
      void refetch();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (hook: WebhookEndpointView) => {
    try {
      await api.deleteWebhook(b.boardId, hook.id);
      if (created()?.id === hook.id) setCreated(null);
      void refetch();
      toast.show('Webhook removed');
    } catch (err) {
      toast.show(errorText(err));
    }
  };

  return (
    <section class="admin-section webhooks" aria-label="Webhooks">
      <h3>Webhooks</h3>
      <p class="muted">Takeboard POSTs signed JSON (Standard Webhooks) to these URLs when the chosen events happen, retrying failures up to 5 times.</p>
      <Show when={created()}>
        {(c) => (
          // Brought into view: after a rotation the button that asked is further down the menu.
          <div class="webhook-secret" role="status" ref={(el) => requestAnimationFrame(() => el.scrollIntoView({ block: 'nearest' }))}>
            <p>
              {c().previousSecretUntil ? 'New signing secret' : 'Signing secret'} for <strong>{c().url}</strong>. Copy it now: it is not shown again.
              <Show when={c().previousSecretUntil}>{(until) => <> The old secret also signs deliveries until {new Date(until()).toLocaleString()}.</>}</Show>
            </p>
            <code>{c().secret}</code>
            <button type="button" class="ghost" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </div>
        )}
      </Show>
      <Show when={endpoints()?.length === 0}>
        <p class="muted">No webhooks yet.</p>
      </Show>
      <ul class="webhook-list">
        <For each={endpoints()}>
          {(hook) => (
            <WebhookRow
              hook={hook}
              onRemove={() => void remove(hook)}
              onChanged={() => void refetch()}
              onSecret={(c) => {
                setCreated(c);
                void refetch();
              }}
            />
          )}
        </For>
      </ul>
      <form class="webhook-form" onSubmit={add} noValidate>
        <label class="field">
          <span class="field-label">URL</span>
          <input name="url" type="url" inputMode="url" placeholder="https://example.com/takeboard-hook" aria-invalid={error() ? 'true' : undefined} />
        </label>
        <EventChecks checked={['take.succeeded', 'take.failed']} />
        <Show when={error()}>
          <p class="field-error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" disabled={busy()}>
          Add webhook
        </button>
      </form>
    </section>
  );
}

/** The events an endpoint gets, as checkboxes named by event (read back with `checkedEvents`). */
function EventChecks(props: { checked: readonly WebhookEvent[] }) {
  return (
    <fieldset class="webhook-events">
      <legend class="field-label">Events</legend>
      <For each={WEBHOOK_EVENTS}>
        {(ev) => (
          <label class="check">
            <input type="checkbox" name={ev} checked={props.checked.includes(ev)} />
            {WEBHOOK_EVENT_LABELS[ev]}
          </label>
        )}
      </For>
    </fieldset>
  );
}

function checkedEvents(data: FormData): WebhookEvent[] {
  return WEBHOOK_EVENTS.filter((ev) => data.get(ev) === 'on');
}

/** What the form lacks, said before asking the server (which checks the same and more). */
function missingField(url: string, events: readonly WebhookEvent[]): string | null {
  if (!url) return 'URL: give the address deliveries are POSTed to (https://…)';
  if (events.length === 0) return 'Events: choose at least one';
  return null;
}

/** One endpoint: its URL and events (editable in place), its secret's rotation, and its delivery log on demand. */
function WebhookRow(props: { hook: WebhookEndpointView; onRemove: () => void; onChanged: () => void; onSecret: (c: WebhookEndpointCreated) => void }) {
  const b = useBoard();
  const api = useApi();
  const toast = useToast();
  const [open, setOpen] = createSignal(false);
  const [editing, setEditing] = createSignal(false);
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [log, { refetch }] = createResource(open, () => api.webhookDeliveries(b.boardId, props.hook.id));
  const events = () => props.hook.events.map((ev: WebhookEvent) => WEBHOOK_EVENT_LABELS[ev]).join(', ');

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const url = String(data.get('url') ?? '').trim();
    const chosen = checkedEvents(data);
    const missing = missingField(url, chosen);
    if (missing) return setError(missing);
    setBusy(true);
    try {
      await api.editWebhook(b.boardId, props.hook.id, { url, events: chosen });
      setError('');
      setEditing(false);
      props.onChanged();
      toast.show('Webhook saved');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const rotate = async () => {
    setBusy(true);
    try {
      props.onSecret(await api.rotateWebhookSecret(b.boardId, props.hook.id));
    } catch (err) {
      toast.show(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const resend = async (deliveryId: string) => {
    try {
      await api.resendWebhookDelivery(b.boardId, props.hook.id, deliveryId);
      toast.show('Sending again, with the same webhook-id');
      void refetch();
    } catch (err) {
      toast.show(errorText(err));
    }
  };

  return (
    <li class="webhook">
      <Show
        when={editing()}
        fallback={
          <>
            <div class="webhook-url">{props.hook.url}</div>
            <div class="muted">{events()}</div>
          </>
        }
      >
        <form class="webhook-form" onSubmit={save} noValidate aria-label={`Edit webhook ${props.hook.url}`}>
          <label class="field">
            <span class="field-label">URL</span>
            <input name="url" type="url" inputMode="url" value={props.hook.url} aria-invalid={error() ? 'true' : undefined} />
          </label>
          <EventChecks checked={props.hook.events} />
          <Show when={error()}>
            <p class="field-error" role="alert">
              {error()}
            </p>
          </Show>
          <div class="webhook-actions">
            <button type="submit" disabled={busy()}>
              Save
            </button>
            <button
              type="button"
              class="ghost"
              onClick={() => {
                setEditing(false);
                setError('');
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <Show when={props.hook.previousSecretUntil}>
        {(until) => <div class="muted">Old secret also signs until {new Date(until()).toLocaleString()}</div>}
      </Show>
      <div class="webhook-actions">
        <button type="button" class="ghost" aria-expanded={open()} onClick={() => (open() ? setOpen(false) : setOpen(true))}>
          {open() ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <Show when={open()}>
          <button type="button" class="ghost" onClick={() => void refetch()}>
            Refresh
          </button>
        </Show>
        <Show when={!editing()}>
          <button type="button" class="ghost" aria-label={`Edit webhook ${props.hook.url}`} onClick={() => setEditing(true)}>
            Edit
          </button>
        </Show>
        <button type="button" class="ghost" disabled={busy()} aria-label={`Rotate the signing secret of ${props.hook.url}`} onClick={() => void rotate()}>
          Rotate secret
        </button>
        <button type="button" class="danger" aria-label={`Remove webhook ${props.hook.url}`} onClick={props.onRemove}>
          Remove
        </button>
      </div>
      <Show when={open()}>
        <Show when={(log()?.length ?? 0) > 0} fallback={<p class="muted">{log.loading ? 'Loading…' : 'Nothing sent yet.'}</p>}>
          <ol class="webhook-log">
            <For each={log()}>
              {(d) => (
                <li>
                  <span class={`webhook-status webhook-${d.status}`}>{d.status}</span> {WEBHOOK_EVENT_LABELS[d.event]} · {new Date(d.createdAt).toLocaleString()}
                  <ul>
                    <For each={d.attempts}>
                      {(a) => (
                        <li class="muted">
                          {a.statusCode !== null ? `HTTP ${a.statusCode}` : 'no answer'} in {a.durationMs} ms
                          <Show when={a.error ?? a.bodyExcerpt}>{(t) => <>: {t()}</>}</Show>
                        </li>
                      )}
                    </For>
                  </ul>
                  <Show when={d.nextAttemptAt}>{(at) => <span class="muted">Next try {new Date(at()).toLocaleTimeString()}</span>}</Show>
                  <Show when={d.status !== 'pending'}>
                    <button type="button" class="ghost webhook-resend" aria-label={`Resend ${WEBHOOK_EVENT_LABELS[d.event]} of ${new Date(d.createdAt).toLocaleString()}`} onClick={() => void resend(d.id)}>
                      Resend
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </Show>
    </li>
  );
}
