// A finished attempt (or one awaiting a reviewer): the result, what it granted, and each
// question with the answer given, its points and the reviewer's comment.
import type { Attempt } from '../../api/exams';
import { examTemplate, resultView } from '../../exams/attempt';
import { AnswerView } from '../../task/AnswerView';
import { LEVEL_NAMES } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';

export function AttemptResult({ attempt: a, domain }: { attempt: Attempt; domain: string }) {
  const view = resultView(a, LEVEL_NAMES[a.level] ?? '?', domain);
  const template = examTemplate(a.questions ?? []);
  return (
    <div class="stack">
      <div class="page-head">
        <h1>
          Exam result: {domain}, level {a.level}
        </h1>
        <a href="/work/exams">All exams</a>
      </div>
      <div class={`card result result-${view.tone}`} role="status">
        <h2>{view.headline}</h2>
        {view.lines.filter(Boolean).map((l) => (
          <p key={l}>{l}</p>
        ))}
      </div>
      {(a.questions ?? []).length > 0 && (
        <ol class="expert-list exam-review" aria-label="Your answers">
          {(a.questions ?? []).map((q, i) => {
            const tq = template.questions[i]!;
            return (
              <li key={q.id} class="card">
                <div class="card-head">
                  <h2>{tq.title}</h2>
                  <span class="badge">
                    {q.points === null ? (q.graded_by === 'reviewer' || a.state === 'grading' ? 'awaiting grading' : '–') : `${q.points} of ${q.max_points}`}
                  </span>
                </div>
                <Markdown source={q.prompt} />
                <AnswerView questions={[{ ...tq, title: 'Your answer' }]} answer={{ [q.id]: q.answer }} />
                {q.comment && <p class="muted">Reviewer: {q.comment}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
