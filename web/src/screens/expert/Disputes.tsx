// The expert's time disputes and how the operator resolved them.
import { payApi } from '../../api/pay';
import { formatDuration, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

export function Disputes({ generation }: { generation: number }) {
  const [disputes, reload] = useResource((signal) => payApi.myDisputes(signal), [generation]);
  return (
    <section aria-labelledby="disputes-title" class="stack">
      <h2 id="disputes-title">Your disputes</h2>
      <Loaded resource={disputes} onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <p>You have not disputed any time.</p>
          ) : (
            <TableRegion label="Disputes raised">
              <thead>
                <tr>
                  <th scope="col">Raised</th>
                  <th scope="col">Project</th>
                  <th scope="col">Counted</th>
                  <th scope="col">Claimed</th>
                  <th scope="col">Your comment</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {list.map((d) => (
                  <tr key={d.id}>
                    <td>{formatTime(d.created_at)}</td>
                    <td>{d.project.name}</td>
                    <td>{formatDuration(d.credited_seconds)}</td>
                    <td>{formatDuration(d.claimed_seconds)}</td>
                    <td class="wrap">{d.comment}</td>
                    <td>
                      <span class={`status-pill dispute-${d.status}`}>{d.status}</span>
                      {d.status === 'accepted' && d.allowed_seconds !== null && <p class="muted">{formatDuration(d.allowed_seconds)} allowed</p>}
                      {d.resolution && <p class="muted">{d.resolution}</p>}
                    </td>
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
