// The operator's users, every role: create one, deactivate (ends their sessions, tokens and
// leases at once) or reactivate.
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import type { Lab, Me, User } from '../../api/types';
import { formatDate } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { TableRegion } from '../../ui/TableRegion';
import { NewUserForm } from './NewUserForm';

interface Data {
  users: User[];
  labs: Lab[];
}

async function load(signal: AbortSignal): Promise<Data> {
  const [users, labs] = await Promise.all([
    api.get<{ users: User[] }>('/api/v1/users', signal),
    api.get<{ labs: Lab[] }>('/api/v1/labs', signal),
  ]);
  return { users: users.users, labs: labs.labs };
}

export function Users({ me }: { me: Me }) {
  const [data, reload] = useResource(load, []);
  const [actionError, setActionError] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function setActive(user: User, active: boolean) {
    setActionError(null);
    try {
      await api.post(`/api/v1/users/${encodeURIComponent(user.id)}/${active ? 'reactivate' : 'deactivate'}`);
      setNotice(`${user.name} is ${active ? 'active again' : 'deactivated'}.`);
      reload();
    } catch (err) {
      setActionError(err as Error);
    }
  }

  return (
    <section class="page">
      <h1>Users</h1>
      <p class="sr-only" role="status" aria-live="polite">
        {notice}
      </p>
      {actionError && <ErrorBox error={actionError} />}
      <Loaded resource={data} onRetry={reload}>
        {({ users, labs }) => {
          const labName = new Map(labs.map((l) => [l.id, l.name]));
          return (
            <div class="stack">
              <NewUserForm
                labs={labs}
                onCreated={(u) => {
                  setNotice(`Created ${u.name}.`);
                  reload();
                }}
              />
              <TableRegion label="Users">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">E-mail</th>
                    <th scope="col">Role</th>
                    <th scope="col">Lab</th>
                    <th scope="col">State</th>
                    <th scope="col">Created</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {users.map((u) => (
                    <tr key={u.id}>
                      <th scope="row">{u.name}</th>
                      <td>{u.email}</td>
                      <td>{u.role}</td>
                      <td>{u.lab_id ? (labName.get(u.lab_id) ?? u.lab_id) : ''}</td>
                      <td>{u.disabled ? 'deactivated' : 'active'}</td>
                      <td>{formatDate(u.created_at)}</td>
                      <td>
                        {u.id !== me.id &&
                          (u.disabled ? (
                            <button
                              type="button"
                              class="button small"
                              aria-label={`Reactivate ${u.name}`}
                              onClick={() => void setActive(u, true)}
                            >
                              Reactivate
                            </button>
                          ) : (
                            <ConfirmButton
                              label="Deactivate"
                              confirmLabel="Deactivate now"
                              accessibleName={`Deactivate ${u.name}`}
                              onConfirm={() => void setActive(u, false)}
                            />
                          ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </TableRegion>
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}
