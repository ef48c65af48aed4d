/**
 * One list the board reads from the API, with its own loading and error state. Each feature owns
 * one (the asset library, the models, the job queue), so a failed request says what could not be
 * loaded and offers a retry where it is used, instead of one probe guessing for the whole board.
 */
import { createSignal, untrack, type Accessor } from 'solid-js';
import { errorText } from '../ui/error-text';

export type LoadStatus = 'loading' | 'ready' | 'failed';

export interface Load<T> {
  /** The last value answered (kept while a reload runs or after a reload failed). */
  value: Accessor<T | undefined>;
  /** 'loading' until the first answer; 'failed' while the last request failed. */
  status: Accessor<LoadStatus>;
  /** Why the last request failed, in words; null when it did not. */
  error: Accessor<string | null>;
  /** Asks again; resolves once answered or failed (never rejects). */
  reload(): Promise<void>;
  /** Replaces the value without asking (an answer that came another way, e.g. an upload). */
  set(update: (v: T | undefined) => T): void;
  /** Answers arriving after this are dropped. */
  dispose(): void;
}

export function createLoad<T>(fetch: () => Promise<T>, onValue?: (v: T) => void): Load<T> {
  const [value, setValue] = createSignal<T | undefined>(undefined, { equals: false });
  const [status, setStatus] = createSignal<LoadStatus>('loading');
  const [error, setError] = createSignal<string | null>(null);
  let disposed = false;
  // Only the newest request may answer: an older one finishing late must not overwrite it.
  let latest = 0;

  const reload = async () => {
    const mine = ++latest;
    // Untracked: a reload started from an effect must not make that effect re-run on every answer.
    if (untrack(status) === 'failed') setStatus('loading');
    try {
      const v = await fetch();
      if (disposed || mine !== latest) return;
      setValue(() => v);
      setError(null);
      setStatus('ready');
      onValue?.(v);
    } catch (err) {
      if (disposed || mine !== latest) return;
      setError(errorText(err));
      setStatus('failed');
    }
  };
  void reload();

  return {
    value,
    status,
    error,
    reload,
    set: (update) => setValue(() => update(untrack(value))),
    dispose() {
      disposed = true;
    },
  };
}
