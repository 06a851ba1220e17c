// Revising an answer a reviewer sent back: the reviewer's comment beside the item, the answer
// as it was to change, checked as the workbench checks it; the revision goes back to review.
import { useRef, useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import { reviewApi, type ReworkTask } from '../../api/review';
import type { Answer } from '../../api/template';
import { useReworkTime } from '../../review/use-rework-time';
import { AnswerForm } from '../../task/AnswerForm';
import { answerFromDraft, cleanAnswer, errorsFromDetails, validateAnswer, type QuestionErrors } from '../../task/answer';
import { TaskView } from '../../task/TaskView';
import { formatDuration, formatTime } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { newIdempotencyKey } from '../../work/retry';
import { GuidelinesDialog } from './HelpDialogs';

export function ReworkScreen({ submissionId }: { submissionId: string }) {
  const [rework, reload] = useResource(async (signal) => (await reviewApi.rework(signal)).find((r) => r.submission_id === submissionId) ?? null, [submissionId]);
  return (
    <Loaded resource={rework} onRetry={reload}>
      {(r) =>
        r ? (
          <ReworkForm task={r} />
        ) : (
          <section class="page">
            <h1>Nothing to revise</h1>
            <p>
              This answer is not waiting for a revision: it was revised already, or its time ran out. <a href="/work/answers">Your answers</a>
            </p>
          </section>
        )
      }
    </Loaded>
  );
}

function ReworkForm({ task }: { task: ReworkTask }) {
  const template = task.template;
  const [answer, setAnswer] = useState<Answer>(() => answerFromDraft(template, task.answer));
  const [errors, setErrors] = useState<QuestionErrors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);
  const [guidelines, setGuidelines] = useState(false);
  const key = useRef<string | null>(null);
  const time = useReworkTime(task.submission_id);

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems = validateAnswer(template, answer);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setFailure(null);
    key.current ??= newIdempotencyKey();
    try {
      await reviewApi.revise(task.submission_id, cleanAnswer(template, answer), key.current, time.total());
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setErrors(errorsFromDetails(err.details));
      else setFailure(err as Error);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section class="page">
        <div class="card result result-ok" role="status">
          <h1>Revision sent</h1>
          <p>It goes back to the reviewer who asked for it.</p>
          <p>
            <a href="/work/answers">Your answers</a>
          </p>
        </div>
      </section>
    );
  }
  return (
    <section class="page workbench" aria-label={`Revise: ${task.project.name}`}>
      <div class="task-screen">
        <header class="task-bar">
          <h1>Revise: {task.project.name}</h1>
          <span class="muted">by {formatTime(task.due_at)}</span>
          <span class="active-time">Active {formatDuration(time.seconds)}</span>
          <div class="task-tools">
            <button type="button" class="button subtle small" onClick={() => setGuidelines(true)}>
              Guidelines
            </button>
          </div>
        </header>
        <div class="card result result-wait">
          <h2>What the reviewer asks (round {task.round})</h2>
          <Markdown source={task.comment} />
        </div>
        {failure && <ErrorBox error={failure} />}
        <div class="task-layout">
          <TaskView template={template} data={task.item.data} />
          <form class="answer-panel" aria-label="Your revised answer" noValidate onSubmit={submit}>
            <AnswerForm
              template={template}
              answer={answer}
              errors={errors}
              onChange={(q, v) => {
                const next = { ...answer, [q]: v };
                if (v === undefined) delete next[q];
                setAnswer(next);
              }}
            />
            <div class="actions">
              <button type="submit" class="button primary" disabled={busy}>
                {busy ? 'Sending…' : 'Send the revision'}
              </button>
            </div>
          </form>
        </div>
        <GuidelinesDialog open={guidelines} guidelines={task.guidelines} onClose={() => setGuidelines(false)} />
      </div>
    </section>
  );
}
