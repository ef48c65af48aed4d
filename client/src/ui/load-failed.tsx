import { Show } from 'solid-js';
import type { Load } from '../board/load';

/**
 * Where a feature's list could not be loaded: what is missing, why, and a Retry button, shown in
 * place of what the list would have filled. Nothing while the list is loading or loaded.
 */
export function LoadFailed(props: { load: Pick<Load<unknown>, 'status' | 'error' | 'reload'>; what: string }) {
  return (
    <Show when={props.load.status() === 'failed'}>
      <p class="load-failed" role="alert" data-load-failed={props.what}>
        <span>
          Could not load {props.what}: {props.load.error()}
        </span>{' '}
        <button type="button" onClick={() => void props.load.reload()}>
          Retry
        </button>
      </p>
    </Show>
  );
}
