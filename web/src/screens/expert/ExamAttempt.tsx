// An exam attempt: while it runs, the questions with the answer components, a countdown to
// the server's deadline and answers saved as they are given; then the result.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import { type Attempt, examsApi } from '../../api/exams';
import { expertsApi } from '../../api/experts';
import type { Answer } from '../../api/template';
import { answersToSend, examTemplate, savedAnswers, submitErrors } from '../../exams/attempt';
import { domainTitle } from '../../experts/domains';
import { AnswerForm } from '../../task/AnswerForm';
import { LEVEL_NAMES } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { DraftSaver } from '../../work/draft-saver';
import { AttemptResult } from './AttemptResult';
import { Countdown } from './Countdown';
import { SaveStatus } from './SaveStatus';
import '../../task/task.css';

async function load(id: string, signal: AbortSignal) {
  const [attempt, domains] = await Promise.all([examsApi.attempt(id, signal), expertsApi.domains(signal)]);
  return { attempt, receivedAt: Date.now(), domain: domainTitle(domains.domains, attempt.domain) };
}

export function ExamAttempt({ attemptId }: { attemptId: string }) {
  const [data, reload] = useResource((signal) => load(attemptId, signal), [attemptId]);
  return (
    <section class="page narrow-page">
      <Loaded resource={data} onRetry={reload}>
        {(d) =>
          d.attempt.state === 'in_progress' ? (
            <RunningAttempt attempt={d.attempt} receivedAt={d.receivedAt} domain={d.domain} onFinished={reload} />
          ) : (
            <AttemptResult attempt={d.attempt} domain={d.domain} />
          )
        }
      </Loaded>
    </section>
  );
}

function RunningAttempt({
  attempt,
  receivedAt,
  domain,
  onFinished,
}: {
  attempt: Attempt;
  receivedAt: number;
  domain: string;
  onFinished: () => void;
}) {
  const template = useMemo(() => examTemplate(attempt.questions ?? []), [attempt]);
  const [answer, setAnswer] = useState<Answer>(() => savedAnswers(attempt));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const saver = useRef<DraftSaver | null>(null);
  saver.current ??= new DraftSaver((a) => examsApi.save(attempt.id, answersToSend(attempt, a)), 1000);
  useEffect(() => () => saver.current?.stop(), []);

  function change(question: string, value: unknown) {
    const next = { ...answer, [question]: value };
    setAnswer(next);
    setErrors((e) => {
      const { [question]: _, ...rest } = e;
      return rest;
    });
    saver.current?.change(next);
  }

  async function submit(e?: Event) {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    saver.current?.stop();
    try {
      await examsApi.submit(attempt.id, answersToSend(attempt, answer));
      onFinished();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setErrors(submitErrors(err.details));
      if (err instanceof ApiError && ['time_up', 'already_submitted', 'attempt_finished'].includes(err.reason ?? '')) {
        onFinished();
        return;
      }
      setError(err as Error);
      setBusy(false);
    }
  }

  const title = `Exam: ${domain}, level ${attempt.level} (${LEVEL_NAMES[attempt.level] ?? '?'})`;
  const count = template.questions.length;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="attempt-title">
      <div class="task-bar exam-bar">
        <h1 id="attempt-title">{title}</h1>
        <Countdown secondsLeftAtReceipt={attempt.seconds_left} receivedAt={receivedAt} />
        <SaveStatus state={saver.current.state.value} />
      </div>
      <p class="muted">
        {count} question{count === 1 ? '' : 's'}, {attempt.max_points} points in all; pass mark {attempt.pass_mark} of 100. A
        question left unanswered earns no points. Your answers are saved as you go; submit before the time is up.
      </p>
      <div class="card">
        <AnswerForm template={template} answer={answer} errors={errors} onChange={change} idPrefix="exam" />
      </div>
      {error && <ErrorBox error={error} />}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Submitting…' : 'Submit the exam'}
        </button>
      </div>
    </form>
  );
}
