// How far a project is: the bar, the numbers behind it, the recent pace and when it will be
// done at that pace.
import type { LabProject } from '../../api/lab';
import { formatEta, formatThroughput, progressOf } from '../../lab/progress';
import { formatCount, formatTime, percent } from '../../ui/format';
import { ProgressBar } from './ProgressBar';

function Stat({ label, value, note }: { label: string; value: string; note?: string | undefined }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {value}
        {note && <small>{note}</small>}
      </dd>
    </div>
  );
}

export function ProgressCard({ project }: { project: LabProject }) {
  const v = progressOf(project);
  return (
    <section class="card wide" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress</h2>
      {!v ? (
        <p class="muted">The server sent no progress for this project.</p>
      ) : (
        <>
          <ProgressBar view={v} large />
          <ul class="progress-legend">
            <li>
              <span class="swatch done" aria-hidden="true" />
              done {formatCount(v.complete)} ({percent(v.complete, v.items)})
            </li>
            {v.inProgress !== null && (
              <li>
                <span class="swatch leased" aria-hidden="true" />
                in progress {formatCount(v.inProgress)}
              </li>
            )}
            <li>
              <span class="swatch" aria-hidden="true" />
              remaining {formatCount(v.remaining)}
            </li>
          </ul>
          <dl class="stats">
            <Stat label="Items" value={formatCount(v.items)} note={project.counts ? `and ${formatCount(project.counts.gold_items)} gold` : undefined} />
            <Stat label="Done" value={formatCount(v.complete)} note={`${project.redundancy} answer${project.redundancy === 1 ? '' : 's'} per item`} />
            <Stat label="Judgments" value={v.submissions === null ? '—' : formatCount(v.submissions)} note={v.asOf ? 'gold left out' : undefined} />
            {v.remainingJudgments !== null && <Stat label="Still needed" value={formatCount(v.remainingJudgments)} note="judgments, at most" />}
            {v.submissionsLastHour !== null && (
              <Stat label="Last hour" value={formatCount(v.submissionsLastHour)} note={v.submissionsLastDay === null ? undefined : `${formatCount(v.submissionsLastDay)} in the last day`} />
            )}
            <Stat label="Throughput" value={v.asOf ? formatThroughput(v.throughputPerHour) : '—'} note={v.asOf ? 'over the last day' : undefined} />
            <Stat label="Estimated completion" value={formatEta(v)} note={v.estimatedCompletion ? formatTime(v.estimatedCompletion) : undefined} />
          </dl>
          {v.asOf && <p class="muted">As of {formatTime(v.asOf)}.</p>}
        </>
      )}
    </section>
  );
}
