// The operator's users, every role.
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

export function Users() {
  const [users, reload] = useResource((signal) => api.get<{ users: User[] }>('/api/v1/users', signal), []);
  return (
    <section class="page">
      <h1>Users</h1>
      <Loaded resource={users} onRetry={reload}>
        {({ users: list }) => (
          <TableRegion label="Users">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.map((u) => (
                  <tr key={u.id}>
                    <th scope="row">{u.name}</th>
                    <td>{u.email}</td>
                    <td>{u.role}</td>
                    <td>{u.disabled ? 'deactivated' : 'active'}</td>
                    <td>{formatTime(u.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </TableRegion>
        )}
      </Loaded>
    </section>
  );
}
