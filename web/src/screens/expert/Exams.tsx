// The exams an expert can take: one per domain and level, each with where the expert stands
// (never taken, running, awaiting grading, passed, or in the cool-down until a retake time).
import { useState } from 'preact/hooks';

import { type Exam, examsApi } from '../../api/exams';
import { expertsApi } from '../../api/experts';
import { navigate } from '../../app/router';
import { mineLine, startLabel } from '../../exams/attempt';
import { domainTitle } from '../../experts/domains';
import { formatSpan } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';

async function load(signal: AbortSignal) {
  const [exams, domains] = await Promise.all([examsApi.list(signal), expertsApi.domains(signal)]);
  return { exams, domains: domains.domains };
}

export function Exams() {
  const [data, reload] = useResource(load, []);
  return (
    <section class="page narrow-page">
      <h1>Qualification exams</h1>
      <p class="muted">Passing an exam qualifies you in its domain at its level, which opens the projects that ask for it.</p>
      <Loaded resource={data} onRetry={reload}>
        {({ exams, domains }) =>
          exams.length === 0 ? (
            <p>No exam is open right now.</p>
          ) : (
            <ul class="expert-list" aria-label="Exams">
              {exams.map((e) => (
                <ExamCard key={e.id} exam={e} domain={domainTitle(domains, e.domain)} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function ExamCard({ exam: e, domain }: { exam: Exam; domain: string }) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const label = startLabel(e.mine);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      const a = await examsApi.start(e.id);
      navigate(`/work/exams/attempts/${encodeURIComponent(a.id)}`);
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  }

  const headingId = `exam-${e.id}`;
  return (
    <li class="card" aria-labelledby={headingId}>
      <div class="card-head">
        <h2 id={headingId}>{e.title}</h2>
        <span class="badge">
          {domain}, level {e.level} ({e.level_name})
        </span>
      </div>
      {e.description && <Markdown source={e.description} />}
      <ul class="facts-inline">
        <li>{e.draw_count} questions</li>
        <li>{formatSpan(e.time_limit_seconds)} to answer</li>
        <li>pass mark {e.pass_mark} of 100</li>
        {e.cooldown_seconds > 0 && <li>retake after {formatSpan(e.cooldown_seconds)}</li>}
      </ul>
      <p class={`mine mine-${e.mine?.status ?? 'available'}`}>{mineLine(e.mine)}</p>
      <div class="form-actions">
        {label && (
          <button type="button" class="button primary" disabled={busy} onClick={() => void start()}>
            {label}
            <span class="sr-only">: {e.title}</span>
          </button>
        )}
        {e.mine?.attempt_id && e.mine.status !== 'in_progress' && (
          <a href={`/work/exams/attempts/${encodeURIComponent(e.mine.attempt_id)}`}>
            Your last attempt<span class="sr-only"> at {e.title}</span>
          </a>
        )}
      </div>
      {error && <ErrorBox error={error} />}
    </li>
  );
}
