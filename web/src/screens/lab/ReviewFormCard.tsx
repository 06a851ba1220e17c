// The project's review form: what reviewers score about each answer. Without a form of its own
// the project's template's rubric and rating questions serve (each optional); the lab can write
// questions of the template's types — a rubric for SFT demonstrations — whose required ones a
// reviewer answers before accepting or rejecting.
import { useState } from 'preact/hooks';

import type { LabProject } from '../../api/lab';
import { reviewApi, type ReviewForm } from '../../api/review';
import type { Template } from '../../api/template';
import { describeQuestion, formTemplate, scoreTemplate, starterForm } from '../../review/review-form';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { formErrors } from '../../ui/errors';
import { FieldError } from './FieldError';
import { AddQuestion } from './template/AddQuestion';
import type { TemplateDraft } from './template/draft';
import { QuestionEditor } from './template/QuestionEditor';

function FormQuestions({ form }: { form: Template }) {
  return (
    <ul class="plain-list">
      {form.questions.map((q) => (
        <li key={q.name}>
          <strong>{q.title || q.name}</strong> <span class="muted">— {describeQuestion(q)}</span>
        </li>
      ))}
    </ul>
  );
}

function CurrentForm({ project, form }: { project: LabProject; form: ReviewForm | null }) {
  const own = formTemplate(form);
  if (own) return <FormQuestions form={own} />;
  const fromTemplate = scoreTemplate(project.template);
  if (!fromTemplate) return <p class="muted">The template has nothing for reviewers to score: they accept, reject or send back with a comment.</p>;
  return (
    <>
      <p class="muted">Reviewers score the template’s rubric and rating questions, each optional:</p>
      <FormQuestions form={fromTemplate} />
    </>
  );
}

export function ReviewFormCard({ project, initial, canEdit }: { project: LabProject; initial: ReviewForm | null; canEdit: boolean }) {
  const [form, setForm] = useState<ReviewForm | null>(initial);
  const [draft, setDraft] = useState<Template | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = async (next: ReviewForm | null) => {
    setBusy(true);
    setFormError(null);
    try {
      const p = await reviewApi.savePolicy(project.id, { form: next });
      setForm(p.form);
      setDraft(null);
      setErrors({});
      setSaved(true);
    } catch (x) {
      const fe = formErrors(x);
      setErrors(fe.fields);
      setFormError(fe.form ?? (fe.fields.form || fe.fields['form.questions'] ? null : 'Some questions need fixing: see the messages beside them.'));
    } finally {
      setBusy(false);
    }
  };

  const editing: TemplateDraft | null = draft && {
    template: draft,
    errors,
    root: 'form',
    edit: (change) => {
      setSaved(false);
      setDraft((d) => (d ? change(d) : d));
    },
  };
  return (
    <section class="card" aria-labelledby="review-form-title" id="review-form">
      <h2 id="review-form-title">Review form</h2>
      <p class="muted">What reviewers score about each answer. The scores go into the review summary and the raw export.</p>
      {!editing && <CurrentForm project={project} form={form} />}
      {editing && (
        <form
          class="template-editor stack"
          noValidate
          aria-label="Edit the review form"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ questions: editing.template.questions });
          }}
        >
          <FieldError error={errors.form ?? errors['form.questions']} />
          {editing.template.questions.map((_, i) => (
            <QuestionEditor key={i} draft={editing} index={i} />
          ))}
          <AddQuestion draft={editing} />
          {formError && (
            <p class="field-error" role="alert">
              {formError}
            </p>
          )}
          <div class="form-actions">
            <button type="submit" class="button primary" disabled={busy}>
              Save the review form
            </button>
            <button type="button" class="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {canEdit && !editing && (
        <div class="form-actions save-row">
          <button type="button" class="button" onClick={() => setDraft(formTemplate(form) ?? { fields: [], questions: starterForm(project.template).questions })}>
            {form ? 'Edit the review form' : 'Write a review form'}
          </button>
          {form && (
            <ConfirmButton
              label="Use the template’s questions"
              confirmLabel="Yes, drop this form"
              accessibleName="Drop the review form and use the template’s questions"
              onConfirm={() => void save(null)}
            />
          )}
          {saved && (
            <span class="ok" role="status">
              Saved.
            </span>
          )}
        </div>
      )}
    </section>
  );
}
