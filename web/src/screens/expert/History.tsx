// The expert's finished work, newest first: what they answered (or why they skipped), on which
// item, when, and with how much active time.
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import type { WorkProject } from '../../api/types';
import { AnswerView } from '../../task/AnswerView';
import { TaskView } from '../../task/TaskView';
import { formatDuration, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import type { Assignment, AssignmentList } from '../../work/types';

const STATES = [
  { value: 'submitted', label: 'Submitted' },
  { value: 'skipped', label: 'Skipped' },
  { value: 'expired', label: 'Expired' },
  { value: 'revoked', label: 'Ended early' },
] as const;

type State = (typeof STATES)[number]['value'];

function Entry({ a, projectName }: { a: Assignment; projectName: string }) {
  return (
    <li class="card history-entry">
      <div class="card-head">
        <h2>{projectName}</h2>
        <span class="muted">{a.finished_at ? formatTime(a.finished_at) : ''}</span>
      </div>
      <p class="muted">Active time {formatDuration(a.active_seconds)}</p>
      {a.state === 'submitted' && a.answer && <AnswerView questions={a.template.questions} answer={a.answer} />}
      {a.state === 'skipped' && <p>Skipped: {a.skip_reason || 'no reason given'}</p>}
      <details>
        <summary>The task</summary>
        <TaskView template={a.template} data={a.item.data} />
      </details>
    </li>
  );
}

export function History() {
  const [state, setState] = useState<State>('submitted');
  const [pages, setPages] = useState<Assignment[][]>([]);
  const [before, setBefore] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const [first, reload] = useResource(async (signal) => {
    setPages([]);
    const page = await api.get<AssignmentList>(`/api/v1/assignments?state=${state}&limit=20`, signal);
    setBefore(page.next_before ?? null);
    return page;
  }, [state]);
  const [projects] = useResource((signal) => api.get<{ projects: WorkProject[] }>('/api/v1/work/projects', signal), []);
  const names = new Map(projects.state === 'ready' ? projects.data.projects.map((p) => [p.id, p.name]) : []);
  const loadMore = async () => {
    if (!before) return;
    try {
      const page = await api.get<AssignmentList>(`/api/v1/assignments?state=${state}&limit=20&before=${encodeURIComponent(before)}`);
      setPages([...pages, page.assignments]);
      setBefore(page.next_before ?? null);
    } catch (e) {
      setMoreError(e as Error);
    }
  };
  return (
    <section class="page">
      <h1>Your past work</h1>
      <div class="field narrow">
        <label for="history-state">Show</label>
        <select id="history-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value as State)}>
          {STATES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <Loaded resource={first} onRetry={reload}>
        {(page) => {
          const all = [page.assignments, ...pages].flat();
          if (all.length === 0) return <p>Nothing here yet.</p>;
          return (
            <>
              <ul class="project-cards">
                {all.map((a) => (
                  <Entry key={a.id} a={a} projectName={names.get(a.project_id) ?? 'A project no longer open to you'} />
                ))}
              </ul>
              {moreError && <ErrorBox error={moreError} onRetry={() => void loadMore()} />}
              {before && (
                <button type="button" class="button" onClick={() => void loadMore()}>
                  Show older
                </button>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
