// Adding a question to an exam bank: the prompt (markdown with math), the points, the question
// in the template's JSON, and its gold answer (none for a question a reviewer grades). A type
// picked from the list fills in an example to edit.
import { useState } from 'preact/hooks';

import { examsApi } from '../../api/exams';
import { NEW_QUESTION, QUESTION_EXAMPLES, questionBody, questionErrors, type QuestionForm } from '../../exams/bank-form';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';

export function AddQuestionForm({ examId, onAdded }: { examId: string; onAdded: () => void }) {
  const [form, setForm] = useState<QuestionForm>(NEW_QUESTION);
  const [errors, setErrors] = useState<Partial<Record<keyof QuestionForm, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof QuestionForm>(key: K, value: QuestionForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(e: Event) {
    e.preventDefault();
    setFormError(null);
    const r = questionBody(form);
    if ('errors' in r) {
      setErrors(r.errors);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await examsApi.addQuestion(examId, r.body);
      setForm(NEW_QUESTION);
      onAdded();
    } catch (err) {
      const fe = formErrors(err);
      setErrors(questionErrors(fe.fields));
      setFormError(fe.form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="aq-title">
      <h2 id="aq-title">Add a question</h2>
      <Field id="aq-example" label="Start from an example">
        <select
          id="aq-example"
          value=""
          onChange={(e) => {
            const ex = QUESTION_EXAMPLES[e.currentTarget.value];
            if (ex) setForm((f) => ({ ...f, ...ex }));
          }}
        >
          <option value="">Choose a type…</option>
          {Object.keys(QUESTION_EXAMPLES).map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <Field id="aq-points" label="Points (1–100)" error={errors.points}>
        <input id="aq-points" inputMode="numeric" value={form.points} onInput={(e) => set('points', e.currentTarget.value)} />
      </Field>
      <div class={`field full ${errors.prompt ? 'has-error' : ''}`}>
        <label for="aq-prompt">Prompt (markdown, $math$)</label>
        <textarea id="aq-prompt" rows={3} value={form.prompt} onInput={(e) => set('prompt', e.currentTarget.value)} />
        {errors.prompt && (
          <p class="field-error" id="aq-prompt-error" role="alert">
            {errors.prompt}
          </p>
        )}
      </div>
      <div class={`field full ${errors.question ? 'has-error' : ''}`}>
        <label for="aq-question">Question (JSON)</label>
        <textarea id="aq-question" class="json" rows={3} spellcheck={false} value={form.question} onInput={(e) => set('question', e.currentTarget.value)} />
        {errors.question && (
          <p class="field-error" id="aq-question-error" role="alert">
            {errors.question}
          </p>
        )}
      </div>
      <div class={`field full ${errors.gold ? 'has-error' : ''}`}>
        <label for="aq-gold">Gold answer (JSON; empty: a reviewer grades it)</label>
        <textarea id="aq-gold" class="json" rows={2} spellcheck={false} value={form.gold} onInput={(e) => set('gold', e.currentTarget.value)} />
        {errors.gold && (
          <p class="field-error" id="aq-gold-error" role="alert">
            {errors.gold}
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
          Add question
        </button>
      </div>
    </form>
  );
}
