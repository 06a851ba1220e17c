// The operator's labs.
import { api } from '../../api/client';
import type { Lab } from '../../api/types';
import { formatDate } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

export function Labs() {
  const [labs, reload] = useResource((signal) => api.get<{ labs: Lab[] }>('/api/v1/labs', signal), []);
  return (
    <section class="page">
      <h1>Labs</h1>
      <Loaded resource={labs} onRetry={reload}>
        {({ labs: list }) => (
          <TableRegion label="Labs">
              <thead>
                <tr>
                  <th scope="col">Lab</th>
                  <th scope="col">Slug</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.map((lab) => (
                  <tr key={lab.id}>
                    <th scope="row">{lab.name}</th>
                    <td>
                      <code>{lab.slug}</code>
                    </td>
                    <td>{formatDate(lab.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </TableRegion>
        )}
      </Loaded>
    </section>
  );
}
