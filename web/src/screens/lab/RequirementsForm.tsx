// The requirements form: each requirement beside its errors; saving new terms text makes a
// new version that every expert accepts again before their next task.
import { useState } from 'preact/hooks';

import type { CredentialKind } from '../../api/experts';
import { labApi, type LabProject, type ProjectRequirements } from '../../api/lab';
import { KIND_LABELS } from '../../experts/credentials';
import { formFromRequirements, requirementsErrors, requirementsPatch, type RequirementsForm as Form } from '../../lab/requirements';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatTime } from '../../ui/format';

export function RequirementsForm({ project, current, onSaved }: { project: LabProject; current: ProjectRequirements; onSaved: (message: string) => void }) {
  const [form, setForm] = useState<Form>(() => formFromRequirements(current));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(e: Event) {
    e.preventDefault();
    setFormError(null);
    const r = requirementsPatch(form, current);
    if ('errors' in r) {
      setErrors(requirementsErrors(r.errors).fields);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const p = await labApi.updateRequirements(project.id, r.patch);
      const v = p.requirements?.terms?.version;
      onSaved(r.patch.terms !== undefined && v ? `Requirements saved; the terms are now version ${v}.` : 'Requirements saved.');
    } catch (err) {
      const fe = formErrors(err);
      const mapped = requirementsErrors(fe.fields);
      setErrors(mapped.fields);
      setFormError(fe.form ?? mapped.form);
    } finally {
      setBusy(false);
    }
  }

  const kinds = Object.keys(KIND_LABELS) as CredentialKind[];
  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="req-title">
      <h2 id="req-title">Requirements</h2>
      <p class="muted full-row">
        Experts also need a qualification in {project.domain ?? 'any domain'}
        {project.domain ? ` at level ${project.min_level} or above` : ''}. An expert who misses one sees what to do to unlock
        the project.
      </p>
      <Field id="req-score" label="Minimum exam score (0–100; 0: any)" error={errors.min_exam_score}>
        <input id="req-score" inputMode="numeric" value={form.min_exam_score} onInput={(e) => set('min_exam_score', e.currentTarget.value)} />
      </Field>
      <Field id="req-languages" label="Languages" error={errors.languages} hint="Tags separated by commas; “en” accepts en-GB too.">
        <input id="req-languages" value={form.languages} onInput={(e) => set('languages', e.currentTarget.value)} />
      </Field>
      <fieldset class="plain full-row" aria-describedby={errors.credential_kinds ? 'req-kinds-error' : undefined}>
        <legend>Verified credentials required</legend>
        <div class="checks">
          {kinds.map((k) => (
            <label key={k} class="checkbox">
              <input
                type="checkbox"
                checked={form.credential_kinds.includes(k)}
                onChange={(e) =>
                  set('credential_kinds', e.currentTarget.checked ? [...form.credential_kinds, k] : form.credential_kinds.filter((x) => x !== k))
                }
              />{' '}
              {KIND_LABELS[k]}
            </label>
          ))}
        </div>
        {errors.credential_kinds && (
          <p class="field-error" id="req-kinds-error" role="alert">
            {errors.credential_kinds}
          </p>
        )}
      </fieldset>
      <div class={`field full-row ${errors.competitors ? 'has-error' : ''}`}>
        <label for="req-competitors">Competitors (one organisation a line)</label>
        <textarea id="req-competitors" rows={3} value={form.competitors} onInput={(e) => set('competitors', e.currentTarget.value)} aria-describedby="req-competitors-hint" />
        {errors.competitors ? (
          <p class="field-error" id="req-competitors-error" role="alert">
            {errors.competitors}
          </p>
        ) : (
          <p class="field-hint" id="req-competitors-hint">
            Experts with a current affiliation to one of them never see this project.
          </p>
        )}
      </div>
      <div class={`field full-row ${errors.terms ? 'has-error' : ''}`}>
        <label for="req-terms">Terms the expert accepts before the first task (markdown; empty: none)</label>
        <textarea id="req-terms" rows={6} value={form.terms} onInput={(e) => set('terms', e.currentTarget.value)} aria-describedby="req-terms-hint" />
        {errors.terms ? (
          <p class="field-error" id="req-terms-error" role="alert">
            {errors.terms}
          </p>
        ) : (
          <p class="field-hint" id="req-terms-hint">
            {current.terms
              ? `Version ${current.terms.version}, since ${formatTime(current.terms.created_at)}. Changing the text makes a new version, which every expert accepts again.`
              : 'No terms yet.'}
          </p>
        )}
      </div>
      <h3 class="full-row">Standing</h3>
      <p class="muted full-row">An expert below a threshold after the minimum number of judgments is paused on this project and told why.</p>
      <Field id="req-gold" label="Minimum gold accuracy (%)" error={errors.min_gold_accuracy} hint="Empty: no threshold.">
        <input id="req-gold" inputMode="decimal" value={form.min_gold_accuracy} onInput={(e) => set('min_gold_accuracy', e.currentTarget.value)} />
      </Field>
      <Field id="req-skill" label="Minimum skill (0–1)" error={errors.min_skill} hint="Empty: no threshold.">
        <input id="req-skill" inputMode="decimal" value={form.min_skill} onInput={(e) => set('min_skill', e.currentTarget.value)} />
      </Field>
      <Field id="req-judgments" label="Judgments before a threshold applies" error={errors.min_judgments}>
        <input id="req-judgments" inputMode="numeric" value={form.min_judgments} onInput={(e) => set('min_judgments', e.currentTarget.value)} />
      </Field>
      {formError && (
        <p class="field-error" role="alert">
          {formError}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          Save requirements
        </button>
      </div>
    </form>
  );
}
