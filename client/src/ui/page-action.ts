import { createSignal } from 'solid-js';
import { errorText } from './toast';

/**
 * One action at a time on a page section (the account page's sessions, its tokens): `busy` while
 * it runs, its failure as `error` text, then `refresh` so the list shows what the server now holds.
 */
export function createPageAction(refresh: () => unknown) {
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError('');
    try {
      await work();
      await refresh();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { act, busy, error, setError };
}
