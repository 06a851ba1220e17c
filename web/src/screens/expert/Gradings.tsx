// Exam answers awaiting a grade that this reviewer may give (never their own): the question,
// its prompt and the candidate's answer, without who wrote it; points and a comment, both
// shown to the candidate with the result.
import { useState } from 'preact/hooks';

import { examsApi, type Grading } from '../../api/exams';
import { templateQuestion } from '../../exams/attempt';
import { AnswerView } from '../../task/AnswerView';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatTime } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

export function Gradings() {
  const [data, reload] = useResource((signal) => examsApi.gradings(signal), []);
  return (
    <section class="page narrow-page">
      <h1>Exam grading</h1>
      <p class="muted">Answers from exams in your domains at your level or below, oldest first. You do not see who wrote them.</p>
      <Loaded resource={data} onRetry={reload}>
        {(gradings) =>
          gradings.length === 0 ? (
            <p>Nothing to grade right now.</p>
          ) : (
            <ul class="expert-list" aria-label="Answers to grade">
              {gradings.map((g) => (
                <GradingCard key={g.id} grading={g} onGraded={reload} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function GradingCard({ grading: g, onGraded }: { grading: Grading; onGraded: () => void }) {
  const [points, setPoints] = useState('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const question = templateQuestion({ id: g.id, prompt: g.prompt, question: g.question, max_points: g.max_points }, 0);
  const id = `grd-${g.id}`;

  async function submit(e: Event) {
    e.preventDefault();
    const n = Number(points);
    if (points.trim() === '' || !Number.isInteger(n)) {
      setErrors({ fields: { points: `Give whole points from 0 to ${g.max_points}.` }, form: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await examsApi.grade(g.id, n, comment);
      onGraded();
    } catch (err) {
      setErrors(formErrors(err));
      setBusy(false);
    }
  }

  return (
    <li class="card" aria-labelledby={`${id}-title`}>
      <div class="card-head">
        <h2 id={`${id}-title`}>{g.exam.title}</h2>
        <span class="muted">submitted {formatTime(g.submitted_at)}</span>
      </div>
      <Markdown source={g.prompt} />
      <AnswerView questions={[{ ...question, title: 'The answer' }]} answer={{ [g.id]: g.answer }} />
      <form class="grant-form" onSubmit={submit} noValidate aria-label={`Grade the answer to ${g.exam.title}`}>
        <Field id={`${id}-points`} label={`Points (0 to ${g.max_points})`} error={errors.fields.points}>
          <input id={`${id}-points`} inputMode="numeric" value={points} onInput={(e) => setPoints(e.currentTarget.value)} />
        </Field>
        <Field id={`${id}-comment`} label="Comment for the candidate" error={errors.fields.comment}>
          <textarea id={`${id}-comment`} rows={2} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="button primary" disabled={busy}>
          Grade
        </button>
        {errors.form && (
          <p class="field-error" role="alert">
            {errors.form}
          </p>
        )}
      </form>
    </li>
  );
}
