// The earlier rounds of an answer sent back for rework: each round's answer and what the
// reviewer said about it.
import type { ReviewRound } from '../../api/review';
import type { Question } from '../../api/template';
import { outcomeText } from '../../review/decision';
import { AnswerView } from '../../task/AnswerView';
import { formatTime } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';

export function ReviewRounds({ rounds, questions }: { rounds: ReviewRound[]; questions: Question[] }) {
  if (rounds.length === 0) return null;
  return (
    <details class="review-rounds">
      <summary>Earlier rounds ({rounds.length})</summary>
      <ol>
        {rounds.map((r) => (
          <li key={r.round}>
            <p>
              <strong>Round {r.round}</strong>: {outcomeText(r.outcome)}, {formatTime(r.decided_at)}
            </p>
            {r.comment && (
              <blockquote class="review-comment">
                <Markdown source={r.comment} />
              </blockquote>
            )}
            <AnswerView questions={questions} answer={r.answer} />
          </li>
        ))}
      </ol>
    </details>
  );
}
