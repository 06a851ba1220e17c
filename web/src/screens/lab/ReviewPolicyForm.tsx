// A project's review policy: what is reviewed (a sample by standing, every written answer, or
// everything), the approval window after which the rest is accepted, the speed flag, the time
// cap and second reviews. Each setting beside its error.
import { useState } from 'preact/hooks';

import { reviewApi, type ReviewPolicy } from '../../api/review';
import { formFromPolicy, MODES, POLICY_FIELDS, policyFromForm, type PolicyForm } from '../../review/policy-form';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';

/** The server's field name for each input. */
const SERVER_NAME: Partial<Record<keyof PolicyForm, string>> = Object.fromEntries(Object.entries(POLICY_FIELDS).map(([server, input]) => [input, server]));

export function ReviewPolicyForm({ projectId, current, canEdit, onSaved }: { projectId: string; current: ReviewPolicy; canEdit: boolean; onSaved: () => void }) {
  const [form, setForm] = useState<PolicyForm>(() => formFromPolicy(current));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const e = (k: keyof PolicyForm) => errors[SERVER_NAME[k] ?? k];

  async function submit(ev: Event) {
    ev.preventDefault();
    setFormError(null);
    const r = policyFromForm(form);
    if ('errors' in r) {
      setErrors(r.errors);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const p = await reviewApi.savePolicy(projectId, r.policy);
      setForm(formFromPolicy(p));
      setSaved(true);
      onSaved();
    } catch (x) {
      const fe = formErrors(x);
      setErrors(fe.fields);
      setFormError(fe.form);
    } finally {
      setBusy(false);
    }
  }

  const input = (k: keyof PolicyForm, id: string, mode: 'numeric' | 'decimal' = 'decimal') => (
    <input id={id} inputMode={mode} disabled={!canEdit} value={form[k]} onInput={(x) => set(k, x.currentTarget.value as never)} />
  );
  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="policy-title">
      <h2 id="policy-title">Review policy</h2>
      <fieldset class="plain full-row" disabled={!canEdit}>
        <legend>What is reviewed</legend>
        <div class="stack-tight">
          {MODES.map((m) => (
            <label key={m.value} class="choice">
              <input type="radio" name="policy-mode" value={m.value} checked={form.mode === m.value} onChange={() => set('mode', m.value)} />
              {m.label} <span class="muted">— {m.hint}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <h3 class="full-row">Sample by standing</h3>
      <Field id="policy-new" label="New experts (%)" error={e('sample_new')}>
        {input('sample_new', 'policy-new')}
      </Field>
      <Field id="policy-low" label="Low gold accuracy (%)" error={e('sample_low_accuracy')}>
        {input('sample_low_accuracy', 'policy-low')}
      </Field>
      <Field id="policy-trusted" label="Trusted experts (%)" error={e('sample_trusted')}>
        {input('sample_trusted', 'policy-trusted')}
      </Field>
      <Field id="policy-new-judgments" label="New until this many judgments" error={e('new_judgments')}>
        {input('new_judgments', 'policy-new-judgments', 'numeric')}
      </Field>
      <Field id="policy-low-gold" label="Low accuracy below (%)" error={e('low_gold_accuracy')}>
        {input('low_gold_accuracy', 'policy-low-gold')}
      </Field>
      <h3 class="full-row">Acceptance and flags</h3>
      <Field id="policy-window" label="Approval window (days, 0–60)" error={e('approval_window_days')} hint="Answers not held for review are accepted after it.">
        {input('approval_window_days', 'policy-window', 'numeric')}
      </Field>
      <Field id="policy-speed" label="Speed flag (% of the median time)" error={e('speed_flag_ratio')} hint="Faster answers are held for review.">
        {input('speed_flag_ratio', 'policy-speed')}
      </Field>
      <Field id="policy-cap" label="Time cap per task (minutes)" error={e('time_cap_minutes')} hint="Empty: none. Time over it is paid only if a reviewer approves.">
        {input('time_cap_minutes', 'policy-cap')}
      </Field>
      <Field id="policy-second" label="Second review (% of reviewed answers)" error={e('second_review_rate')} hint="Measures agreement between reviewers.">
        {input('second_review_rate', 'policy-second')}
      </Field>
      {formError && (
        <p class="field-error" role="alert">
          {formError}
        </p>
      )}
      {canEdit && (
        <div class="form-actions save-row">
          <button type="submit" class="button primary" disabled={busy}>
            Save the review policy
          </button>
          {saved && (
            <span class="ok" role="status">
              Saved.
            </span>
          )}
        </div>
      )}
    </form>
  );
}
