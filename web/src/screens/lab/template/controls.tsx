// The template editor's controls: each bound to the path the server names it by, so its id is
// the path's id and the server's error for that path appears beside it.
import type { ComponentChildren } from 'preact';

import { controlId } from '../../../lab/error-paths';
import { Field } from '../../../ui/Field';
import { FieldError } from '../FieldError';

interface Bound {
  path: string;
  label: string;
  errors: Record<string, string>;
  hint?: string;
}

/** The control's id, its error, and what describes it (the error, else the hint). */
function bind({ path, errors, hint }: Bound) {
  const id = controlId(path);
  const error = errors[path];
  return { id, error, describedBy: error ? `${id}-error` : hint ? `${id}-hint` : undefined };
}

export function TextSetting(p: Bound & { value: string; onValue: (v: string) => void; rows?: number; placeholder?: string }) {
  const { id, error, describedBy } = bind(p);
  const common = {
    id,
    value: p.value,
    placeholder: p.placeholder,
    'aria-describedby': describedBy,
    onInput: (e: Event) => p.onValue((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <Field id={id} label={p.label} error={error} hint={p.hint}>
      {p.rows ? <textarea rows={p.rows} {...common} /> : <input autoComplete="off" spellcheck={false} {...common} />}
    </Field>
  );
}

/** A number box; blank is undefined (the setting left out). */
export function NumberSetting(
  p: Bound & { value: number | undefined; onValue: (v: number | undefined) => void; integer?: boolean; min?: number },
) {
  const { id, error, describedBy } = bind(p);
  const integer = p.integer ?? true;
  return (
    <Field id={id} label={p.label} error={error} hint={p.hint}>
      <input
        id={id}
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        step={integer ? 1 : 'any'}
        min={p.min}
        value={p.value === undefined ? '' : String(p.value)}
        aria-describedby={describedBy}
        onInput={(e) => {
          const raw = e.currentTarget.value;
          p.onValue(raw === '' ? undefined : Number(raw));
        }}
      />
    </Field>
  );
}

export function SelectSetting<T extends string>(p: Bound & { value: T; onValue: (v: T) => void; children: ComponentChildren }) {
  const { id, error, describedBy } = bind(p);
  return (
    <Field id={id} label={p.label} error={error} hint={p.hint}>
      <select id={id} value={p.value} aria-describedby={describedBy} onChange={(e) => p.onValue(e.currentTarget.value as T)}>
        {p.children}
      </select>
    </Field>
  );
}

export function CheckSetting(p: Omit<Bound, 'hint'> & { checked: boolean; onValue: (v: boolean) => void }) {
  const { id, error, describedBy } = bind(p);
  return (
    <div class={`field ${error ? 'has-error' : ''}`}>
      <label class="checkbox" for={id}>
        <input id={id} type="checkbox" checked={p.checked} aria-describedby={describedBy} onChange={(e) => p.onValue(e.currentTarget.checked)} />
        {p.label}
      </label>
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

/** `obj` with `key` set to `value`, or without `key` when `value` is blank or undefined. */
export function withSetting<T extends object, K extends string>(obj: T, key: K, value: string | number | boolean | undefined): T {
  const out = { ...obj } as Record<string, unknown>;
  if (value === undefined || value === '') delete out[key];
  else out[key] = value;
  return out as T;
}
