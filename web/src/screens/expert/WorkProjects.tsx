// The expert's start page: the projects open to them, each with its guidelines and how much
// work is waiting.
import { api } from '../../api/client';
import { payApi } from '../../api/pay';
import type { LockedProject, Me, WorkProject } from '../../api/types';
import { rateBook, rateText, type RateBook } from '../../pay/rates';
import { formatCount, LEVEL_NAMES } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { LockedProjects } from './LockedProjects';
import { StandingList } from './StandingList';

export function WorkProjects({ me }: { me: Me }) {
  const [projects, reload] = useResource(
    (signal) => api.get<{ projects: WorkProject[]; locked?: LockedProject[] }>('/api/v1/work/projects', signal),
    [],
  );
  // A rate that cannot be read is left out; the projects still show.
  const [rates] = useResource(async (signal) => rateBook(await payApi.rates(signal).catch(() => [])), []);
  const book: RateBook = rates.state === 'ready' ? rates.data : new Map();
  return (
    <section class="page">
      <div class="page-head">
        <h1>Projects open to you</h1>
        <a href="/work/history">Your past work</a>
      </div>
      <Loaded resource={projects} onRetry={reload}>
        {({ projects: list, locked }) => (
          <>
            {list.length === 0 ? (
              <NoProjects me={me} anyLocked={(locked ?? []).length > 0} />
            ) : (
            <ul class="project-cards">
              {list.map((p) => (
                <li key={p.id} class="card">
                  <div class="card-head">
                    <h2>{p.name}</h2>
                    <span class="badge">{formatCount(p.open_items)} open</span>
                  </div>
                  <p class="muted">
                    {p.domain ? `${p.domain}, level ${p.min_level} or above` : 'Open to every expert'}
                  </p>
                  {rateText(book, p.id) && <p class="rate">{rateText(book, p.id)}</p>}
                  {p.terms_version ? <p class="muted">Terms apply (version {p.terms_version}): you accept them before the first task.</p> : null}
                  <p>
                    <a class="button primary" href={`/work/${encodeURIComponent(p.id)}`}>
                      Start working<span class="sr-only"> on {p.name}</span>
                    </a>
                  </p>
                  {p.guidelines ? (
                    <details>
                      <summary>Guidelines</summary>
                      <Markdown source={p.guidelines} />
                    </details>
                  ) : (
                    <p class="muted">This project has no guidelines.</p>
                  )}
                </li>
              ))}
            </ul>
            )}
            <LockedProjects projects={locked ?? []} rates={book} />
          </>
        )}
      </Loaded>
      <StandingList />
    </section>
  );
}

function NoProjects({ me, anyLocked }: { me: Me; anyLocked: boolean }) {
  if (me.qualifications.length === 0) {
    return (
      <p>
        No project is open to you yet: your account has no qualification. Pass one of the{' '}
        <a href="/work/exams">exams</a>, or add a <a href="/work/credentials">credential</a> for the operator to verify.
      </p>
    );
  }
  if (anyLocked) {
    return <p>No project is open to you right now. Below: the projects you could unlock, and what each one needs.</p>;
  }
  return (
    <div>
      <p>No project is open to you right now. You are qualified in:</p>
      <ul>
        {me.qualifications.map((q) => (
          <li key={q.domain}>
            {q.domain}, level {q.level} ({LEVEL_NAMES[q.level] ?? 'unknown level'})
          </li>
        ))}
      </ul>
      <p>Projects in these domains appear here when a lab opens them.</p>
    </div>
  );
}
