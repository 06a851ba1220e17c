// Rejecting a credential, with the reason the expert will read.
import { useState } from 'preact/hooks';

import { expertsApi, type PendingCredential } from '../../api/experts';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';

export function RejectForm({ credential: c, onRejected }: { credential: PendingCredential; onRejected: () => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await expertsApi.reject(c.id, reason);
      onRejected();
    } catch (err) {
      setErrors(formErrors(err));
      setBusy(false);
    }
  }

  return (
    <form class="decision-form" onSubmit={submit} noValidate aria-labelledby="reject-title">
      <h3 id="reject-title">Reject</h3>
      <Field id="rf-reason" label="Reason (the expert reads it)" error={errors.fields.reason}>
        <textarea id="rf-reason" rows={3} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button danger" disabled={busy}>
          Reject credential
        </button>
      </div>
    </form>
  );
}
