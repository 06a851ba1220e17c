// A project's quality report as charts: agreement per question, the experts' reliability, and
// how sure the aggregated answers are; "Refresh now" brings the report up to date at once
// (otherwise the server does so every few seconds after new submissions).
import { useState } from 'preact/hooks';

import { labApi, type LabProject } from '../../api/lab';
import { formatCount, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { AgreementCard } from './AgreementCard';
import { ConfidenceCard } from './ConfidenceCard';
import { ExpertCharts } from './ExpertCharts';
import { ExpertsTable } from './ExpertsTable';
import { QuestionsTable } from './QuestionsTable';

export function ProjectQuality({ project }: { project: LabProject }) {
  const [generation, setGeneration] = useState(0);
  const [report, reload] = useResource((signal) => labApi.quality(project.id, signal), [project.id, generation]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  async function refresh() {
    setBusy(true);
    setError(null);
    try {
      await labApi.refreshQuality(project.id);
      setGeneration((g) => g + 1);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="stack">
      <Loaded resource={report} onRetry={reload}>
        {(r) => (
          <>
            <div class="quality-head">
              <p class="muted" role="status">
                Computed {formatTime(r.computed_at)} from {formatCount(r.submissions)} submission{r.submissions === 1 ? '' : 's'} on{' '}
                {formatCount(r.items_with_answers)} item{r.items_with_answers === 1 ? '' : 's'}
                {r.adaptive && `; ${formatCount(r.settled_items)} settled early`}.
              </p>
              <button type="button" class="button" disabled={busy} onClick={() => void refresh()}>
                {busy ? 'Refreshing…' : 'Refresh now'}
              </button>
            </div>
            {error && <ErrorBox error={error} />}
            {r.submissions === 0 ? (
              <p>No answers yet. The charts appear with the first submissions.</p>
            ) : (
              <>
                <div class="charts">
                  <AgreementCard report={r} tableId="questions-table" />
                  <ConfidenceCard projectId={project.id} report={r} generation={generation} />
                  <ExpertCharts report={r} />
                </div>
                <QuestionsTable report={r} id="questions-table" />
                {r.experts.length > 0 && <ExpertsTable report={r} />}
              </>
            )}
          </>
        )}
      </Loaded>
    </div>
  );
}
