// The lab's projects. (The list carries no counts: counting a large project's items is a
// scan, so progress is read per project.)
import { api } from '../../api/client';
import type { Project } from '../../api/types';
import { formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

export function LabProjects() {
  const [projects, reload] = useResource(
    (signal) => api.get<{ projects: Project[] }>('/api/v1/projects', signal),
    [],
  );
  return (
    <section class="page">
      <h1>Projects</h1>
      <Loaded resource={projects} onRetry={reload}>
        {({ projects: list }) =>
          list.length === 0 ? (
            <p>Your lab has no projects yet.</p>
          ) : (
            <TableRegion label="Projects">
                <thead>
                  <tr>
                    <th scope="col">Project</th>
                    <th scope="col">Status</th>
                    <th scope="col">Domain</th>
                    <th scope="col">Type</th>
                    <th scope="col" class="num">Answers per item</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">{p.name}</th>
                      <td>
                        <span class={`status-pill ${p.status}`}>{p.status}</span>
                      </td>
                      <td>{p.domain ?? 'any'}</td>
                      <td>{p.preset ?? 'custom'}</td>
                      <td class="num">{p.redundancy}</td>
                      <td>{formatTime(p.updated_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </TableRegion>
          )
        }
      </Loaded>
    </section>
  );
}
