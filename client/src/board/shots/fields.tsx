/** Small controls shared by the shot row and the shot detail panel. */
import { createSignal, createUniqueId, For, Show, type JSX } from 'solid-js';
import type { Member } from '../../../../shared/api';
import { durationProblem, type ModelInfo } from '../../../../shared/generation';
import type { ModelListEntry } from '../../../../shared/api';
import { groupModels, unavailableLabel } from './model-groups';

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

/**
 * Model picker: the server's models when GET /api/models answered, else a free-text field for a
 * model id (the server alone knows its models and prices).
 */
export function ModelField(props: {
  label: string;
  value: string;
  models: ModelListEntry[] | null;
  disabled?: boolean;
  onChange: (model: string) => void;
  class?: string;
}): JSX.Element {
  return (
    <Show
      when={props.models}
      fallback={
        <CheckedInput
          class={props.class}
          label={props.label}
          value={props.value}
          disabled={props.disabled}
          data-field="model"
          read={(raw) => (raw.trim() ? { value: raw.trim() } : { error: 'Model: a model id, e.g. animatic' })}
          onCommit={props.onChange}
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
          {(() => {
            const g = groupModels(models());
            return (
              <>
                <optgroup label="Available">
                  <For each={g.available}>{(m) => <option value={m.id} selected={m.id === props.value}>{m.label}</option>}</For>
                </optgroup>
                <Show when={g.unavailable.length > 0}>
                  <optgroup label={g.why}>
                    <For each={g.unavailable}>
                      {(m) => (
                        <option value={m.id} selected={m.id === props.value} disabled title={m.reason}>
                          {unavailableLabel(m)}
                        </option>
                      )}
                    </For>
                  </optgroup>
                </Show>
              </>
            );
          })()}
        </select>
      )}
    </Show>
  );
}

/** What a field's text means: the value to write, or why it cannot be written. */
export type Reading<T> = { value: T; error?: undefined } | { error: string; value?: undefined };

/**
 * An input over a value of the shared document, edited as a draft. The text typed stays in the
 * field, with the reason beside it, until it reads as a valid value; only then is it written
 * (Enter, leaving the field, a spinner click). Escape cancels a valid draft; on a refused one it
 * shows the reason first (never a silent revert), and a second Escape puts the shared value back. A stored value that no longer fits (`problem`, e.g. after a model change)
 * shows its reason too. So the document never holds a value the field does not show.
 */
export function CheckedInput<T extends string | number>(props: {
  label: string;
  value: T | undefined;
  read: (raw: string) => Reading<T>;
  /** Why a value the document already holds does not fit (checked on display only). */
  problem?: (v: T) => string | undefined;
  onCommit: (v: T) => void;
  type?: 'text' | 'number';
  step?: string;
  min?: string;
  max?: string;
  list?: string;
  disabled?: boolean;
  class?: string;
  'data-field'?: string;
}) {
  const errId = createUniqueId();
  const [draft, setDraft] = createSignal<string | null>(null);
  const [told, setTold] = createSignal(false);
  // Escape once shows why a refused draft is refused; Escape again (no typing between) drops it.
  const [escaped, setEscaped] = createSignal(false);
  const reading = () => props.read(draft() ?? '');
  const error = () => {
    if (draft() !== null) return told() ? reading().error : undefined;
    return props.value === undefined ? undefined : props.problem?.(props.value);
  };
  const commit = () => {
    if (draft() === null) return;
    const r = reading();
    if (r.error !== undefined) return setTold(true);
    if (r.value !== props.value) props.onCommit(r.value);
    setDraft(null);
    setTold(false);
  };
  return (
    <span class={`field-wrap ${props.class ?? ''}`}>
      <input
        type={props.type ?? 'text'}
        inputmode={props.type === 'number' ? 'decimal' : undefined}
        step={props.step}
        min={props.min}
        max={props.max}
        list={props.list}
        aria-label={props.label}
        aria-invalid={error() ? 'true' : undefined}
        aria-describedby={error() ? errId : undefined}
        classList={{ invalid: Boolean(error()) }}
        value={draft() ?? (props.value === undefined ? '' : String(props.value))}
        disabled={props.disabled}
        data-field={props['data-field']}
        onInput={(e) => {
          setDraft(e.currentTarget.value);
          setEscaped(false);
        }}
        onChange={commit}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key !== 'Escape' || draft() === null) return;
          // This Escape is the field's: it must not also close the detail panel (board shortcuts).
          e.preventDefault();
          e.stopPropagation();
          if (escaped() || reading().error === undefined) {
            setDraft(null);
            setTold(false);
          } else {
            setEscaped(true);
            setTold(true);
          }
        }}
      />
      <Show when={error()}>
        <span id={errId} class="field-error" role="alert" data-field-error={props['data-field']}>
          {error()}
        </span>
      </Show>
    </span>
  );
}

/** A shot's duration in seconds, refused next to the field unless its model makes clips that long. */
export function DurationField(props: {
  label: string;
  value: number;
  model: Pick<ModelInfo, 'label' | 'durations' | 'extendsClip'> | undefined;
  /** The shot continues another: an extension's length is allowed on a model that extends clips. */
  chained?: boolean;
  disabled?: boolean;
  class?: string;
  onCommit: (v: number) => void;
}) {
  const read = (raw: string): Reading<number> => {
    const v = raw.trim() === '' ? NaN : Number(raw);
    const error = durationProblem(v, props.model, props.chained);
    return error === undefined ? { value: v } : { error };
  };
  return (
    <CheckedInput
      type="number"
      step="1"
      min="1"
      max="60"
      class={props.class}
      label={props.label}
      value={props.value}
      read={read}
      problem={(v) => durationProblem(v, props.model, props.chained)}
      disabled={props.disabled}
      data-field="durationSec"
      onCommit={props.onCommit}
    />
  );
}
