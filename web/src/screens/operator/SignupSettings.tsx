// Who may sign up as an expert: nobody (the operator creates accounts), holders of an
// invitation, or anyone; and the invitations sent and not yet used.
import { useState } from 'preact/hooks';

import { expertsApi, type SignupMode } from '../../api/experts';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';

const MODES: { value: SignupMode; label: string }[] = [
  { value: 'closed', label: 'Closed: operators create expert accounts' },
  { value: 'invitation', label: 'By invitation' },
  { value: 'open', label: 'Open to anyone' },
];

export function SignupSettings() {
  const [mode, reloadMode] = useResource((signal) => expertsApi.signupSettings(signal), []);
  return (
    <section class="page narrow-page">
      <h1>Expert sign-up</h1>
      <div class="stack">
        <Loaded resource={mode} onRetry={reloadMode}>
          {({ mode: m }) => <ModeForm current={m} />}
        </Loaded>
        <Invitations />
      </div>
    </section>
  );
}

function ModeForm({ current }: { current: SignupMode }) {
  const [mode, setMode] = useState<SignupMode>(current);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [note, setNote] = useState('');

  async function submit(e: Event) {
    e.preventDefault();
    setErrors(NO_ERRORS);
    setNote('');
    try {
      const r = await expertsApi.setSignupMode(mode);
      setMode(r.mode);
      setNote(`Sign-up is now ${MODES.find((x) => x.value === r.mode)?.label.toLowerCase() ?? r.mode}.`);
    } catch (err) {
      setErrors(formErrors(err));
    }
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="mode-title">
      <h2 id="mode-title">Who may sign up</h2>
      <fieldset class="plain">
        <legend class="sr-only">Sign-up mode</legend>
        {MODES.map((m) => (
          <label key={m.value} class="checkbox">
            <input type="radio" name="signup-mode" value={m.value} checked={mode === m.value} onChange={() => setMode(m.value)} /> {m.label}
          </label>
        ))}
      </fieldset>
      {(errors.fields.mode || errors.form) && (
        <p class="field-error" role="alert">
          {errors.fields.mode ?? errors.form}
        </p>
      )}
      <div class="form-actions row">
        <button type="submit" class="button primary">
          Save
        </button>
        <span class="form-note" role="status">
          {note}
        </span>
      </div>
    </form>
  );
}

function Invitations() {
  const [list, reload] = useResource((signal) => expertsApi.invitations(signal), []);
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [error, setError] = useState<Error | null>(null);
  const [note, setNote] = useState('');

  async function invite(e: Event) {
    e.preventDefault();
    setErrors(NO_ERRORS);
    setNote('');
    try {
      const r = await expertsApi.invite(email.trim());
      setEmail('');
      setNote(`An invitation went to ${r.invitation.email}.`);
      reload();
    } catch (err) {
      setErrors(formErrors(err));
    }
  }
  async function withdraw(id: string) {
    setError(null);
    try {
      await expertsApi.withdrawInvitation(id);
      reload();
    } catch (err) {
      setError(err as Error);
    }
  }

  return (
    <section class="card" aria-labelledby="inv-title">
      <h2 id="inv-title">Invitations</h2>
      <form class="grant-form" onSubmit={invite} noValidate aria-label="Invite an expert">
        <Field id="inv-email" label="E-mail" error={errors.fields.email ?? errors.form ?? undefined} hint="The invitation and its secret go by e-mail; it can be used once, for 14 days.">
          <input id="inv-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="button primary">
          Invite
        </button>
      </form>
      <p class="form-note" role="status">
        {note}
      </p>
      {error && <ErrorBox error={error} />}
      <Loaded resource={list} onRetry={reload}>
        {(invitations) =>
          invitations.length === 0 ? (
            <p class="muted">No invitation is waiting to be used.</p>
          ) : (
            <ul class="quals" aria-label="Invitations not yet used">
              {invitations.map((i) => (
                <li key={i.id}>
                  <span>
                    {i.email} <span class="muted">· {i.state === 'pending' ? `until ${formatTime(i.expires_at)}` : 'expired'}</span>
                  </span>
                  <ConfirmButton label="Withdraw" confirmLabel="Withdraw now" accessibleName={`Withdraw the invitation of ${i.email}`} onConfirm={() => void withdraw(i.id)} />
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
