// The lab's people: its members, and for owners the pending invitations — invite someone by
// e-mail (the invitation's secret goes to that address only) or withdraw an invitation.
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import type { Me, Timestamp, User } from '../../api/types';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatDate } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

interface Invitation {
  id: string;
  email: string;
  role: 'owner' | 'member';
  created_at: Timestamp;
  expires_at: Timestamp;
}

async function load(signal: AbortSignal) {
  const [members, invitations] = await Promise.all([
    api.get<{ members: User[] }>('/api/v1/lab/members', signal),
    api.get<{ invitations: Invitation[] }>('/api/v1/lab/invitations', signal),
  ]);
  return { members: members.members, invitations: invitations.invitations };
}

export function Members({ me }: { me: Me }) {
  const [data, reload] = useResource(load, []);
  const [error, setError] = useState<Error | null>(null);
  const owner = me.role === 'owner';

  async function withdraw(inv: Invitation) {
    setError(null);
    try {
      await api.delete(`/api/v1/lab/invitations/${encodeURIComponent(inv.id)}`);
      reload();
    } catch (err) {
      setError(err as Error);
    }
  }

  return (
    <section class="page">
      <h1>Members of {me.lab?.name ?? 'your lab'}</h1>
      {error && <ErrorBox error={error} />}
      <Loaded resource={data} onRetry={reload}>
        {({ members, invitations }) => (
          <div class="stack">
            <TableRegion label="Members">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Member since</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">{m.name}</th>
                    <td>{m.email}</td>
                    <td>{m.role}</td>
                    <td>{formatDate(m.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </TableRegion>
            {owner && <InviteForm onInvited={reload} />}
            <h2>Pending invitations</h2>
            {invitations.length === 0 ? (
              <p class="muted">No invitation is pending.</p>
            ) : (
              <TableRegion label="Pending invitations">
                <thead>
                  <tr>
                    <th scope="col">E-mail</th>
                    <th scope="col">Role</th>
                    <th scope="col">Valid until</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.map((inv) => (
                    <tr key={inv.id}>
                      <th scope="row">{inv.email}</th>
                      <td>{inv.role}</td>
                      <td>{formatDate(inv.expires_at)}</td>
                      <td>
                        {owner && (
                          <ConfirmButton
                            label="Withdraw"
                            confirmLabel="Withdraw now"
                            accessibleName={`Withdraw the invitation of ${inv.email}`}
                            onConfirm={() => void withdraw(inv)}
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </TableRegion>
            )}
          </div>
        )}
      </Loaded>
    </section>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'owner'>('member');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    setSent(null);
    try {
      await api.post('/api/v1/lab/members', { email, role });
      setSent(`An invitation is on its way to ${email}.`);
      setEmail('');
      onInvited();
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <Field id="inv-email" label="E-mail" error={errors.fields.email}>
        <input id="inv-email" type="email" value={email} required onInput={(e) => setEmail(e.currentTarget.value)} />
      </Field>
      <Field id="inv-role" label="Role" error={errors.fields.role}>
        <select id="inv-role" value={role} onChange={(e) => setRole(e.currentTarget.value as 'member' | 'owner')}>
          <option value="member">Member</option>
          <option value="owner">Owner</option>
        </select>
      </Field>
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <p class="form-note" role="status" aria-live="polite">
        {sent}
      </p>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Sending…' : 'Send invitation'}
        </button>
      </div>
    </form>
  );
}
