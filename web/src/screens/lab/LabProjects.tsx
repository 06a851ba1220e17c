// The lab's projects with how far each is: done, in progress, remaining, the recent pace and
// when it will be done. The list carries each project's progress; from a server that sends
// none, each project's counts are read one by one instead.
import { labApi, type LabProject } from '../../api/lab';
import { type ProgressView, formatEta, formatThroughput, progressOf } from '../../lab/progress';
import { formatCount, percent } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';
import { ProgressBar } from './ProgressBar';
import { TableHead } from './TableHead';
import './lab.css';

async function load(signal: AbortSignal): Promise<LabProject[]> {
  const { projects } = await labApi.projects(signal);
  if (projects.every((p) => p.progress)) return projects;
  return Promise.all(projects.map((p) => (p.progress ? p : labApi.project(p.id, signal))));
}

function DoneCell({ view }: { view: ProgressView | null }) {
  if (!view) return <span class="muted">—</span>;
  return (
    <span class="done-cell">
      <ProgressBar view={view} />
      <span>
        {formatCount(view.complete)} of {formatCount(view.items)} ({percent(view.complete, view.items)})
      </span>
    </span>
  );
}

export function LabProjects() {
  const [projects, reload] = useResource(load, []);
  return (
    <section class="page">
      <div class="page-head">
        <h1>Projects</h1>
        <a class="button primary" href="/lab/projects/new">
          New project
        </a>
      </div>
      <Loaded resource={projects} onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <p>Your lab has no projects yet. Start one from a preset with “New project”.</p>
          ) : (
            <TableRegion label="Projects">
              <TableHead columns={['Project', 'Status', 'Done', '#In progress', '#Remaining', 'Throughput', 'Estimated completion']} />
              <tbody>
                {list.map((p) => {
                  const v = progressOf(p);
                  return (
                    <tr key={p.id}>
                      <th scope="row">
                        <a href={`/lab/projects/${encodeURIComponent(p.id)}`}>{p.name}</a>
                        <span class="row-note">
                          {p.domain ?? 'any expert'} · {p.preset || 'custom'}
                        </span>
                      </th>
                      <td>
                        <span class={`status-pill ${p.status}`}>{p.status}</span>
                      </td>
                      <td>
                        <DoneCell view={v} />
                      </td>
                      <td class="num">{v?.inProgress == null ? '—' : formatCount(v.inProgress)}</td>
                      <td class="num">{v ? formatCount(v.remaining) : '—'}</td>
                      <td>{v?.asOf ? formatThroughput(v.throughputPerHour) : '—'}</td>
                      <td>{v ? formatEta(v) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </TableRegion>
          )
        }
      </Loaded>
    </section>
  );
}
