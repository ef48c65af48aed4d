/** Short messages for the user (errors from writes, "link copied"), announced to screen readers. */
import { createContext, createSignal, For, useContext, type JSX } from 'solid-js';

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

export interface Toaster {
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

// Kept in a .ts module so plain-TS code (and its unit tests) can use it without JSX.
export { errorText } from './error-text';
