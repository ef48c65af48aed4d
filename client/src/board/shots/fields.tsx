/** Small controls shared by the shot row and the shot detail panel. */
import { For, Show, type JSX } from 'solid-js';
import type { Member } from '../../../../shared/api';
import { DEFAULT_PRICES } from '../../../../shared/generation';
import type { ServerModel } from '../../api/api-client';

interface SelectProps<T extends string> {
  label: string;
  value: T | undefined;
  options: readonly T[];
  /** Text of the "nothing chosen" option; without it the field is required. */
  empty?: string;
  disabled?: boolean;
  onChange: (v: T | null) => void;
  class?: string;
  'data-field'?: string;
}

/** A labelled <select> over string options, optionally with a "none" choice. */
export function EnumSelect<T extends string>(props: SelectProps<T>) {
  return (
    <select
      class={props.class}
      aria-label={props.label}
      disabled={props.disabled}
      data-field={props['data-field']}
      onChange={(e) => props.onChange((e.currentTarget.value || null) as T | null)}
    >
      <Show when={props.empty !== undefined}>
        <option value="" selected={!props.value}>
          {props.empty}
        </option>
      </Show>
      <For each={props.options}>
        {(o) => (
          <option value={o} selected={o === props.value}>
            {o}
          </option>
        )}
      </For>
    </select>
  );
}

/** Assignee picker over the board's members. */
export function AssigneeSelect(props: {
  label: string;
  value: string | undefined;
  members: Member[];
  disabled?: boolean;
  onChange: (userId: string | null) => void;
  class?: string;
}) {
  return (
    <select
      class={props.class}
      aria-label={props.label}
      disabled={props.disabled}
      data-field="assignee"
      onChange={(e) => props.onChange(e.currentTarget.value || null)}
    >
      <option value="" selected={!props.value}>
        Unassigned
      </option>
      <For each={props.members}>
        {(m) => (
          <option value={m.userId} selected={m.userId === props.value}>
            {m.name}
          </option>
        )}
      </For>
      <Show when={props.value && !props.members.some((m) => m.userId === props.value)}>
        <option value={props.value} selected>
          Former member
        </option>
      </Show>
    </select>
  );
}

const KNOWN_MODEL_IDS = Object.keys(DEFAULT_PRICES);

/**
 * Model picker: the server's models when GET /api/models exists, else a free-text field that
 * suggests the model ids of the shared price table.
 */
export function ModelField(props: {
  label: string;
  value: string;
  models: ServerModel[] | null;
  disabled?: boolean;
  onChange: (model: string) => void;
  class?: string;
}): JSX.Element {
  return (
    <Show
      when={props.models}
      fallback={
        <input
          class={props.class}
          aria-label={props.label}
          list="known-models"
          value={props.value}
          disabled={props.disabled}
          data-field="model"
          onChange={(e) => props.onChange(e.currentTarget.value.trim())}
        />
      }
    >
      {(models) => (
        <select
          class={props.class}
          aria-label={props.label}
          disabled={props.disabled}
          data-field="model"
          onChange={(e) => props.onChange(e.currentTarget.value)}
        >
          <Show when={!models().some((m) => m.id === props.value)}>
            <option value={props.value} selected>
              {props.value || 'Choose a model'}
            </option>
          </Show>
          <For each={models()}>
            {(m) => (
              <option value={m.id} selected={m.id === props.value} disabled={m.available === false} title={m.reason}>
                {m.label}
                {m.available === false ? ' (unavailable)' : ''}
              </option>
            )}
          </For>
        </select>
      )}
    </Show>
  );
}

/** The datalist the free-text model field suggests from; rendered once per board. */
export function KnownModels() {
  return (
    <datalist id="known-models">
      <For each={KNOWN_MODEL_IDS}>{(id) => <option value={id} />}</For>
    </datalist>
  );
}
