// How far the experts agree, per question: a bar per aggregated question. The numbers behind it,
// with the method and why an agreement is undefined, are in the questions table.
import type { QualityReport } from '../../api/lab';
import { aggregatedQuestions } from '../../lab/aggregates';
import { BarChart } from '../../ui/charts/BarChart';

export function AgreementCard({ report, tableId }: { report: QualityReport; tableId: string }) {
  const questions = aggregatedQuestions(report);
  const values = questions.map((q) => q.agreement?.value ?? null);
  const lowest = Math.min(0, ...values.filter((v): v is number => v !== null));
  return (
    <section class="card" aria-labelledby="agreement-title">
      <h2 id="agreement-title">Agreement</h2>
      {questions.length === 0 ? (
        <p class="muted">No question of this template is aggregated (written answers, rankings and numbers are not).</p>
      ) : (
        <BarChart
          caption="Krippendorff's alpha per question: 1 is perfect agreement, 0 what chance gives"
          labels={questions.map((q) => q.name)}
          values={values}
          xLabel="Question"
          yLabel="Alpha"
          yRange={[Math.floor(lowest * 2) / 2, 1]}
          formatY={(v) => v.toFixed(1)}
          formatValue={(v) => v.toFixed(2)}
          describedBy={tableId}
          summary={values.some((v) => v === null) ? 'A question without a bar has no defined agreement yet; the table says why.' : undefined}
        />
      )}
    </section>
  );
}
