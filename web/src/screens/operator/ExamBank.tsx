// One exam bank: its settings, its questions (with gold answers; retired ones kept, since past
// attempts show what they asked), retiring a question and adding one.
import { useState } from 'preact/hooks';

import { type BankQuestion, examsApi } from '../../api/exams';
import { expertsApi } from '../../api/experts';
import { formFromExam } from '../../exams/bank-form';
import { domainTitle } from '../../experts/domains';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { formatDate } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { AddQuestionForm } from './AddQuestionForm';
import { BankSettingsForm } from './BankSettingsForm';

async function load(id: string, signal: AbortSignal) {
  const [exam, domains] = await Promise.all([examsApi.get(id, signal), expertsApi.domains(signal)]);
  return { exam, domains };
}

export function ExamBank({ id }: { id: string }) {
  const [data, reload] = useResource((signal) => load(id, signal), [id]);
  const [note, setNote] = useState('');
  return (
    <section class="page narrow-page">
      <Loaded resource={data} onRetry={reload}>
        {({ exam, domains }) => {
          const active = exam.questions.filter((q) => q.retired_at === null);
          return (
            <div class="stack">
              <div class="page-head">
                <h1>{exam.title}</h1>
                <a href="/admin/exams">All exam banks</a>
              </div>
              <p class="muted">
                {domainTitle(domains.domains, exam.domain)}, level {exam.level} ({exam.level_name}) ·{' '}
                <span class={`status-pill ${exam.status === 'active' ? 'active' : 'paused'}`}>{exam.status}</span> · {active.length} active
                question{active.length === 1 ? '' : 's'}, {exam.draw_count} drawn per attempt
              </p>
              <p class="form-note" role="status">
                {note}
              </p>
              <details class="card">
                <summary>Settings</summary>
                <BankSettingsForm
                  key={exam.updated_at}
                  initial={formFromExam(exam)}
                  domains={domains}
                  submitLabel="Save settings"
                  save={(s) => examsApi.update(exam.id, s)}
                  onSaved={() => {
                    setNote('Settings saved.');
                    reload();
                  }}
                />
              </details>
              <section aria-labelledby="questions-title" class="stack">
                <h2 id="questions-title">Questions</h2>
                {exam.questions.length === 0 ? (
                  <p>No question yet.</p>
                ) : (
                  <ol class="question-bank">
                    {exam.questions.map((q) => (
                      <QuestionCard key={q.id} examId={exam.id} question={q} onChanged={reload} />
                    ))}
                  </ol>
                )}
                <AddQuestionForm
                  examId={exam.id}
                  onAdded={() => {
                    setNote('Question added.');
                    reload();
                  }}
                />
              </section>
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}

function QuestionCard({ examId, question: q, onChanged }: { examId: string; question: BankQuestion; onChanged: () => void }) {
  const [error, setError] = useState<Error | null>(null);
  async function retire() {
    setError(null);
    try {
      await examsApi.retireQuestion(examId, q.id);
      onChanged();
    } catch (err) {
      setError(err as Error);
    }
  }
  const short = q.prompt.length > 40 ? `${q.prompt.slice(0, 40)}…` : q.prompt;
  return (
    <li class={`card${q.retired_at ? ' retired' : ''}`}>
      <div class="card-head">
        <span class="badge">
          {q.question.type} · {q.points} point{q.points === 1 ? '' : 's'} · {q.graded_by === 'gold' ? 'graded by gold' : 'graded by a reviewer'}
        </span>
        {q.retired_at ? (
          <span class="muted">retired {formatDate(q.retired_at)}</span>
        ) : (
          <ConfirmButton label="Retire" confirmLabel="Retire now" accessibleName={`Retire the question “${short}”`} onConfirm={() => void retire()} />
        )}
      </div>
      <Markdown source={q.prompt} />
      <dl class="facts">
        <dt>Question</dt>
        <dd>
          <code>{JSON.stringify(q.question)}</code>
        </dd>
        <dt>Gold</dt>
        <dd>{q.gold === null ? <span class="muted">none: a reviewer grades it</span> : <code>{JSON.stringify(q.gold)}</code>}</dd>
      </dl>
      {error && <ErrorBox error={error} />}
    </li>
  );
}
