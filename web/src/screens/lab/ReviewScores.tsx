// What reviewers scored on each question of the project's review form (each criterion of a
// rubric): how many reviews scored it and the mean, share passed or count per option.
import type { ReviewSummary } from '../../api/review';
import { scoreText } from '../../review/review-form';
import { formatCount } from '../../ui/format';
import { TableRegion } from '../../ui/TableRegion';

export function ReviewScores({ summary: s }: { summary: ReviewSummary }) {
  if (s.scores.length === 0) return null;
  return (
    <>
      <h3>Scores</h3>
      <p class="muted">{s.scored === 0 ? 'No review has scored an answer yet.' : `Over ${formatCount(s.scored)} scored reviews.`}</p>
      <TableRegion label="Scores per question">
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col" class="num">
              Scored
            </th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {s.scores.map((x) => (
            <tr key={`${x.question}.${x.criterion ?? ''}`}>
              <th scope="row">{x.criterion ? `${x.question}: ${x.title}` : x.title}</th>
              <td class="num">{formatCount(x.answered)}</td>
              <td>{scoreText(x)}</td>
            </tr>
          ))}
        </tbody>
      </TableRegion>
    </>
  );
}
