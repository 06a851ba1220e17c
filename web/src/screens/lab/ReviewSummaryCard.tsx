// Where a project's answers stand in review, each expert's acceptance rate (by pseudonym) and
// how often two reviewers agreed, and what they scored on the review form.
import type { ReviewSummary } from '../../api/review';
import { formatCount } from '../../ui/format';
import { TableRegion } from '../../ui/TableRegion';
import { ReviewScores } from './ReviewScores';

const COUNTS: { key: keyof ReviewSummary['counts']; label: string }[] = [
  { key: 'pending', label: 'Waiting for acceptance' },
  { key: 'in_review', label: 'In review' },
  { key: 'rework', label: 'In rework' },
  { key: 'accepted', label: 'Accepted' },
  { key: 'rejected', label: 'Rejected' },
];

function rate(r: number | null): string {
  return r === null ? '–' : `${Math.round(r * 100)}%`;
}

export function ReviewSummaryCard({ summary: s }: { summary: ReviewSummary }) {
  return (
    <section class="card" aria-labelledby="review-summary-title">
      <h2 id="review-summary-title">Review so far</h2>
      <dl class="stats">
        {COUNTS.map((c) => (
          <div key={c.key}>
            <dt>{c.label}</dt>
            <dd>{formatCount(s.counts[c.key])}</dd>
          </div>
        ))}
        <div>
          <dt>Reviewer agreement</dt>
          <dd>
            {rate(s.agreement.rate)}
            <small>
              {s.agreement.pairs === 0 ? 'no answer seen twice yet' : `${formatCount(s.agreement.agreeing)} of ${formatCount(s.agreement.pairs)} pairs`}
            </small>
          </dd>
        </div>
      </dl>
      <h3>Acceptance by expert</h3>
      {s.experts.length === 0 ? (
        <p class="muted">No answer has been decided yet.</p>
      ) : (
        <TableRegion label="Acceptance by expert">
          <thead>
            <tr>
              <th scope="col">Expert</th>
              <th scope="col" class="num">
                Decided
              </th>
              <th scope="col" class="num">
                Accepted
              </th>
              <th scope="col" class="num">
                Rejected
              </th>
              <th scope="col" class="num">
                Acceptance
              </th>
            </tr>
          </thead>
          <tbody>
            {s.experts.map((x) => (
              <tr key={x.pseudonym}>
                <td>{x.pseudonym}</td>
                <td class="num">{formatCount(x.decided)}</td>
                <td class="num">{formatCount(x.accepted)}</td>
                <td class="num">{formatCount(x.rejected)}</td>
                <td class="num">{rate(x.acceptance_rate)}</td>
              </tr>
            ))}
          </tbody>
        </TableRegion>
      )}
      <ReviewScores summary={s} />
    </section>
  );
}
