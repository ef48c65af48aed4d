import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** A signal holding Date.now(), ticking every `ms` while the calling component lives. */
export function createNow(ms = 1000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const t = setInterval(() => setNow(Date.now()), ms);
  onCleanup(() => clearInterval(t));
  return now;
}
