// Reversing a transaction, in two steps as ui/ConfirmButton asks (a reversal is itself never
// reversed): the first press asks why, the second posts it. A refusal (reversed already, a
// reversal) is said in words.
import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError } from '../../../api/client';
import { type LedgerTransaction, payApi } from '../../../api/pay';
import { reverseRefusal } from '../../../pay/ledger-entry';
import { formErrors } from '../../../ui/errors';
import { Field } from '../../../ui/Field';

export function ReverseForm({
  transaction: t,
  label,
  onReversed,
  onStale,
}: {
  transaction: LedgerTransaction;
  /** What the transaction is, for the controls' names. */
  label: string;
  onReversed: (reversal: LedgerTransaction) => void;
  /** The list is out of date (another operator reversed it): read it again. */
  onStale: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<{ text: string; stale: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  // Set at once, so a second press before the next render sends nothing.
  const sending = useRef(false);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (open) input.current?.focus();
    else if (opened.current) toggle.current?.focus();
    opened.current ||= open;
  }, [open]);

  if (!open) {
    return (
      <button type="button" class="button small" ref={toggle} aria-label={`Reverse: ${label}`} onClick={() => setOpen(true)}>
        Reverse…
      </button>
    );
  }

  const id = `reverse-${t.id}`;
  const reverse = async () => {
    if (sending.current) return;
    if (reason.trim() === '') return setError('Say why it is reversed.');
    sending.current = true;
    setError(null);
    setBusy(true);
    setRefusal(null);
    try {
      onReversed(await payApi.reverse(t.id, reason.trim()));
    } catch (x) {
      const text = reverseRefusal(x);
      if (text === null) setError(formErrors(x).fields.reason ?? null);
      else setRefusal({ text, stale: x instanceof ApiError && x.reason === 'already_reversed' });
      sending.current = false;
      setBusy(false);
    }
  };
  return (
    <form
      class="reverse-form"
      aria-label={`Reverse: ${label}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void reverse();
      }}
    >
      <Field id={`${id}-reason`} label="Why it is reversed" error={error ?? undefined}>
        <input id={`${id}-reason`} ref={input} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      {refusal ? (
        <div class="form-actions row">
          <p class="field-error" role="alert">
            {refusal.text}
          </p>
          {refusal.stale && (
            <button type="button" class="button small" onClick={onStale}>
              Read the list again
            </button>
          )}
        </div>
      ) : (
        <div class="form-actions row">
          <button type="submit" class="button small danger" disabled={busy}>
            Post the reversal
          </button>
          <button type="button" class="button small" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
