// A box for JSON: monospaced, no spelling marks, labelled, with its hint or error beside it.
import { Field } from '../../ui/Field';

export function JsonField({
  id,
  label,
  rows,
  value,
  onText,
  error,
  hint,
  describedBy,
}: {
  id: string;
  label: string;
  rows: number;
  value: string;
  onText: (text: string) => void;
  error?: string | null;
  hint?: string;
  /** What describes the box when it is neither the error nor the hint. */
  describedBy?: string;
}) {
  return (
    <Field id={id} label={label} error={error ?? undefined} hint={hint}>
      <textarea
        id={id}
        rows={rows}
        spellcheck={false}
        value={value}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : describedBy}
        onInput={(e) => onText(e.currentTarget.value)}
      />
    </Field>
  );
}
