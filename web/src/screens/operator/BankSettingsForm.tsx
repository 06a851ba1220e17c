// An exam bank's settings: domain and level, title and description, time limit, pass mark,
// cool-down, how many questions an attempt draws, how long a pass is valid, and its status.
import { useState } from 'preact/hooks';

import type { Exam, ExamSettings, ExamStatus } from '../../api/exams';
import type { Domains } from '../../api/experts';
import { bankErrors, type BankForm, bankSettings } from '../../exams/bank-form';
import { domainOptions } from '../../experts/domains';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';

export function BankSettingsForm({
  initial,
  domains,
  submitLabel,
  save,
  onSaved,
}: {
  initial: BankForm;
  domains: Domains;
  submitLabel: string;
  save: (s: ExamSettings) => Promise<Exam>;
  onSaved: (e: Exam) => void;
}) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof BankForm>(key: K, value: BankForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(e: Event) {
    e.preventDefault();
    setFormError(null);
    const r = bankSettings(form);
    if ('errors' in r) {
      setErrors(r.errors as Record<string, string>);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      onSaved(await save(r.settings));
    } catch (err) {
      const fe = formErrors(err);
      setErrors(bankErrors(fe.fields));
      setFormError(fe.form);
    } finally {
      setBusy(false);
    }
  }

  const text = (key: keyof BankForm, label: string, hint?: string, mode: 'numeric' | 'decimal' | undefined = 'numeric') => (
    <Field id={`bank-${key}`} label={label} error={errors[key]} hint={hint}>
      <input id={`bank-${key}`} inputMode={mode} value={form[key] as string} onInput={(e) => set(key, e.currentTarget.value as never)} />
    </Field>
  );

  return (
    <form class="form-grid" onSubmit={submit} noValidate aria-label={submitLabel}>
      <Field id="bank-title" label="Title" error={errors.title}>
        <input id="bank-title" value={form.title} onInput={(e) => set('title', e.currentTarget.value)} />
      </Field>
      <Field id="bank-domain" label="Domain" error={errors.domain}>
        <select id="bank-domain" value={form.domain} onChange={(e) => set('domain', e.currentTarget.value)}>
          {domainOptions(domains.domains).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <Field id="bank-level" label="Level" error={errors.level}>
        <select id="bank-level" value={form.level} onChange={(e) => set('level', e.currentTarget.value)}>
          {domains.levels.map((l) => (
            <option key={l.level} value={String(l.level)}>
              {l.level}: {l.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="bank-status" label="Status" error={errors.status} hint="Experts see active banks only.">
        <select id="bank-status" value={form.status} onChange={(e) => set('status', e.currentTarget.value as ExamStatus)}>
          <option value="draft">Draft</option>
          <option value="active">Active</option>
        </select>
      </Field>
      {text('time_limit_minutes', 'Time limit (minutes)', undefined, 'decimal')}
      {text('pass_mark', 'Pass mark (0–100)')}
      {text('cooldown_hours', 'Cool-down before a retake (hours)', undefined, 'decimal')}
      {text('draw_count', 'Questions per attempt')}
      {text('valid_days', 'A pass is valid for (days)', 'Empty: it never expires.')}
      <div class="field full">
        <label for="bank-description">Description (markdown)</label>
        <textarea id="bank-description" rows={3} value={form.description} onInput={(e) => set('description', e.currentTarget.value)} />
        {errors.description && (
          <p class="field-error" id="bank-description-error" role="alert">
            {errors.description}
          </p>
        )}
      </div>
      {formError && (
        <p class="field-error" role="alert">
          {formError}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
