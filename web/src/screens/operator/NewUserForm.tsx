// The operator's form for a new account of any role; owners and members need a lab.
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import type { Lab, Role, User } from '../../api/types';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';

const ROLES: { value: Role; label: string }[] = [
  { value: 'expert', label: 'Expert' },
  { value: 'owner', label: 'Lab owner' },
  { value: 'member', label: 'Lab member' },
  { value: 'operator', label: 'Operator' },
];

export function NewUserForm({ labs, onCreated }: { labs: Lab[]; onCreated: (u: User) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('expert');
  const [labId, setLabId] = useState(labs[0]?.id ?? '');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const needsLab = role === 'owner' || role === 'member';

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const body: Record<string, string> = { name, email, password, role };
      if (needsLab) body.lab_id = labId;
      const user = await api.post<User>('/api/v1/users', body);
      setName('');
      setEmail('');
      setPassword('');
      onCreated(user);
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="new-user-title">
      <h2 id="new-user-title">New user</h2>
      <Field id="nu-name" label="Name" error={errors.fields.name}>
        <input id="nu-name" value={name} required onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id="nu-email" label="E-mail" error={errors.fields.email}>
        <input id="nu-email" type="email" value={email} required onInput={(e) => setEmail(e.currentTarget.value)} />
      </Field>
      <Field id="nu-password" label="Password" error={errors.fields.password} hint="At least 10 characters; the user can change it.">
        <input
          id="nu-password"
          type="password"
          autoComplete="new-password"
          value={password}
          required
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </Field>
      <Field id="nu-role" label="Role" error={errors.fields.role}>
        <select id="nu-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </Field>
      {needsLab && (
        <Field id="nu-lab" label="Lab" error={errors.fields.lab_id}>
          <select id="nu-lab" value={labId} onChange={(e) => setLabId(e.currentTarget.value)}>
            {labs.map((lab) => (
              <option key={lab.id} value={lab.id}>
                {lab.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
