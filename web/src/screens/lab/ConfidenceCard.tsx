// How sure the aggregated answers are: a histogram of the items' confidence for one question,
// read from the per-item aggregates (of the first items, for a very large project).
import { useState } from 'preact/hooks';

import { labApi, type QualityReport } from '../../api/lab';
import { aggregatedQuestions, confidencesOf, gatherAggregates } from '../../lab/aggregates';
import { Histogram } from '../../ui/charts/Histogram';
import { formatCount } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { Options } from './Options';

/** Most items sit near certainty, so the top of the range is split finer. */
const EDGES = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];
const MAX_ITEMS = 5000;
const LOW = 0.9;

export function ConfidenceCard({ projectId, report, generation }: { projectId: string; report: QualityReport; generation: number }) {
  const questions = aggregatedQuestions(report);
  const [question, setQuestion] = useState(questions[0]?.name ?? '');
  const [data, reload] = useResource(
    (signal) => gatherAggregates((limit, after) => labApi.aggregates(projectId, limit, after, signal), MAX_ITEMS),
    [projectId, generation],
  );
  if (questions.length === 0) return null;
  const current = questions.some((q) => q.name === question) ? question : questions[0]!.name;
  return (
    <section class="card" aria-labelledby="confidence-title">
      <h2 id="confidence-title">Item confidence</h2>
      <div class="chart-controls">
        <label for="confidence-question">Question</label>
        <select id="confidence-question" value={current} onChange={(e) => setQuestion(e.currentTarget.value)}>
          <Options items={questions.map((q) => q.name)} />
        </select>
      </div>
      <Loaded resource={data} onRetry={reload}>
        {({ aggregates, complete }) => {
          const values = confidencesOf(aggregates, current);
          if (values.length === 0) return <p class="muted">No item has an aggregated answer to {current} yet.</p>;
          const low = values.filter((v) => v < LOW).length;
          const scope = complete ? '' : ` (the first ${formatCount(MAX_ITEMS)} items)`;
          return (
            <Histogram
              caption={`Confidence of the aggregated answer to ${current}${scope}`}
              values={values}
              edges={EDGES}
              xLabel="Confidence"
              countLabel="Items"
              summary={`${formatCount(values.length)} item${values.length === 1 ? '' : 's'}; ${formatCount(low)} below ${LOW}.`}
            />
          );
        }}
      </Loaded>
    </section>
  );
}
