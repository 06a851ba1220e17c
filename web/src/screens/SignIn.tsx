// Sign-in: e-mail and password, answered by the server's cookie session. The app (App.tsx)
// moves on once the session says who is signed in.
import { useState } from 'preact/hooks';

import { ApiError } from '../api/client';
import { expertsApi } from '../api/experts';
import { sessions } from '../app/session';
import { useResource } from '../ui/resource';

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // Signed in, the app leaves this page for the one the sign-in started from.
      await sessions.signIn(email.trim(), password);
    } catch (err) {
      setError(signInMessage(err));
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <form class="card sign-in-card" onSubmit={submit} noValidate>
        <h1>Sign in to Fachwerk</h1>
        <label for="email">E-mail</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button primary" disabled={busy || !email || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <SignUpLink />
      </form>
    </main>
  );
}

/** The way to sign up, when the instance lets experts sign up themselves. */
function SignUpLink() {
  const [mode] = useResource((signal) => expertsApi.signupMode(signal), []);
  if (mode.state !== 'ready' || mode.data.mode === 'closed') return null;
  return (
    <p class="muted">
      New expert? <a href="/sign-up">Sign up</a>
    </p>
  );
}

export function signInMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'The e-mail or password is wrong.';
    if (err.status === 429) return 'Too many attempts. Wait a minute and try again.';
    if (err.isNetwork) return err.message;
    return err.message;
  }
  return 'Signing in failed. Try again.';
}
