// The experts by the lab's pseudonym, busiest first: answers, gold, skill and, with a gate,
// how much their answers tell and whether the gate turns them away.
import type { QualityReport } from '../../api/lab';
import { formatProbability } from '../../lab/aggregates';
import { formatCount } from '../../ui/format';
import { TableRegion } from '../../ui/TableRegion';
import { TableHead } from './TableHead';

export function ExpertsTable({ report }: { report: QualityReport }) {
  const gate = report.experts.some((e) => e.information !== undefined);
  const sorted = [...report.experts].sort((a, b) => b.answers - a.answers);
  return (
    <section class="card" aria-labelledby="experts-title">
      <h2 id="experts-title">Experts</h2>
      <TableRegion label="Experts by pseudonym">
        <TableHead columns={['Expert', '#Answers', '#Gold answers', '#Gold accuracy', '#Skill', ...(gate ? ['#Information', 'Gate'] : [])]} />
        <tbody>
          {sorted.map((e) => (
            <tr key={e.expert}>
              <th scope="row">
                <code>{e.expert}</code>
              </th>
              <td class="num">{formatCount(e.answers)}</td>
              <td class="num">{formatCount(e.gold_answers)}</td>
              <td class="num">{formatProbability(e.gold_accuracy)}</td>
              <td class="num">{formatProbability(e.skill)}</td>
              {gate && (
                <>
                  <td class="num">{formatProbability(e.information)}</td>
                  <td>{e.gated ? 'turned away' : 'in'}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </TableRegion>
    </section>
  );
}
