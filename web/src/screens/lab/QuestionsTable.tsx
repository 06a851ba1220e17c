// Per question: how it is aggregated, how many judgments and items, how sure the answers are,
// and how far the experts agree (with the reason when that is undefined).
import type { QualityReport } from '../../api/lab';
import { aggregatedQuestions, formatProbability } from '../../lab/aggregates';
import { formatCount } from '../../ui/format';
import { TableRegion } from '../../ui/TableRegion';
import { TableHead } from './TableHead';

export function QuestionsTable({ report, id }: { report: QualityReport; id: string }) {
  const questions = aggregatedQuestions(report);
  if (questions.length === 0) return null;
  return (
    <section class="card" aria-labelledby="questions-title" id={id}>
      <h2 id="questions-title">Questions</h2>
      <TableRegion label="Agreement and aggregation per question">
        <TableHead columns={['Question', 'Type and method', '#Judgments', '#Items', '#Mean confidence', 'Metric', '#Agreement']} />
        <tbody>
          {questions.map((q) => (
            <tr key={q.name}>
              <th scope="row">{q.name}</th>
              <td>
                {q.type} · {q.method}
              </td>
              <td class="num">{formatCount(q.judgments)}</td>
              <td class="num">{formatCount(q.items_aggregated)}</td>
              <td class="num">{formatProbability(q.mean_confidence)}</td>
              <td>{q.agreement?.metric ?? '—'}</td>
              <td class="num">
                {q.agreement?.value === null || q.agreement?.value === undefined ? '—' : q.agreement.value.toFixed(2)}
                {q.agreement?.note && <span class="muted"> ({q.agreement.note})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </TableRegion>
    </section>
  );
}
