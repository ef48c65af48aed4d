/** Short messages for the user (errors from writes, "link copied"), announced to screen readers. */
import { createContext, createSignal, For, useContext, type JSX } from 'solid-js';
import { NETWORK_MESSAGE } from '../api/api-client';

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

interface Toaster {
  show(text: string, kind?: Toast['kind']): void;
}

const ToastContext = createContext<Toaster>();

export function ToastProvider(props: { children: JSX.Element }) {
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  let next = 1;
  const toaster: Toaster = {
    show(text, kind = 'info') {
      const id = next++;
      setToasts((t) => [...t.slice(-3), { id, text, kind }]);
      setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 4000);
    },
  };
  return (
    <ToastContext.Provider value={toaster}>
      {props.children}
      <div class="toasts" role="status" aria-live="polite">
        <For each={toasts()}>{(t) => <div class={`toast toast-${t.kind}`}>{t.text}</div>}</For>
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Toaster {
  const t = useContext(ToastContext);
  if (!t) throw new Error('useToast() needs a <ToastProvider>');
  return t;
}

/** A message for any error thrown by the API client or a document accessor. */
export function errorText(err: unknown): string {
  // A fetch that never reached the server, thrown outside the API client: the browser's words are no help.
  if (err instanceof TypeError && /fetch|network/i.test(err.message)) return NETWORK_MESSAGE;
  return err instanceof Error ? err.message : String(err);
}
