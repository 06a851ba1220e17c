// Signing up as an expert, in the mode the operator chose: open to anyone, or with an
// invitation (its secret arrives in the invitation link, ?invitation=fwx_…). A new account is
// signed in at once.
import { useState } from 'preact/hooks';

import { ApiError } from '../../api/client';
import { expertsApi, type SignupMode } from '../../api/experts';
import { location } from '../../app/router';
import { sessions } from '../../app/session';
import { signUpMessage } from '../../experts/signup';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

export function SignUp() {
  const [mode, reload] = useResource((signal) => expertsApi.signupMode(signal), []);
  const invitation = new URLSearchParams(location.value.search).get('invitation') ?? '';
  return (
    <main id="main" class="sign-in">
      <div class="card sign-in-card">
        <h1>Sign up as an expert</h1>
        <Loaded resource={mode} onRetry={reload}>
          {({ mode: m }) => <SignUpForm mode={m} invitation={invitation} />}
        </Loaded>
        <p class="muted">
          Have an account? <a href="/sign-in">Sign in</a>
        </p>
      </div>
    </main>
  );
}

function SignUpForm({ mode, invitation: fromLink }: { mode: SignupMode; invitation: string }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [invitation, setInvitation] = useState(fromLink);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  if (mode === 'closed' && !fromLink) {
    return <p>Sign-up is closed on this instance. The operator creates expert accounts.</p>;
  }
  const needsInvitation = mode === 'invitation' || mode === 'closed';

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const body: { name: string; password: string; email?: string; invitation?: string } = { name: name.trim(), password };
      if (email.trim()) body.email = email.trim();
      if (invitation.trim()) body.invitation = invitation.trim();
      await expertsApi.signup(body);
      // Signed in by the answer's cookie: the app moves on to the expert's start page.
      await sessions.load();
    } catch (err) {
      // Refusals a person can act on are said in words, beside the field they name.
      const fe = formErrors(err);
      const special = signUpMessage(err);
      if (special) {
        const field = err instanceof ApiError ? err.details[0]?.field : undefined;
        if (field) fe.fields[field] = special;
        else fe.form = special;
      }
      setErrors(fe);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate class="stack-tight">
      <p class="muted">
        {needsInvitation ? 'Sign-up needs an invitation from the operator.' : 'Anyone may sign up. An operator checks your credentials before you are qualified.'}
      </p>
      {(needsInvitation || fromLink) && (
        <Field id="su-invitation" label="Invitation" error={errors.fields.invitation} hint="The code from your invitation e-mail (fwx_…).">
          <input id="su-invitation" value={invitation} autoComplete="off" required onInput={(e) => setInvitation(e.currentTarget.value)} />
        </Field>
      )}
      <Field id="su-name" label="Name" error={errors.fields.name}>
        <input id="su-name" value={name} autoComplete="name" required onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field
        id="su-email"
        label="E-mail"
        error={errors.fields.email}
        hint={invitation ? 'May be left empty: the invited address is used.' : undefined}
      >
        <input id="su-email" type="email" value={email} autoComplete="email" required={!invitation} onInput={(e) => setEmail(e.currentTarget.value)} />
      </Field>
      <Field id="su-password" label="Password" error={errors.fields.password} hint="At least 10 characters.">
        <input id="su-password" type="password" value={password} autoComplete="new-password" required onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <button type="submit" class="button primary" disabled={busy}>
        {busy ? 'Signing up…' : 'Sign up'}
      </button>
    </form>
  );
}
