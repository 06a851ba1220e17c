// The app: who is signed in decides between the sign-in page and the shell with the screen the
// path names. It alone moves between the two (to /sign-in?next=… and back).
import { useEffect } from 'preact/hooks';

import { SignIn } from '../screens/SignIn';
import { SignUp } from '../screens/expert/SignUp';
import { NotFound } from '../screens/NotFound';
import { Shell } from '../ui/Shell';
import { Loading } from '../ui/Status';
import { resolve } from './routes';
import { location, navigate, safeReturnPath } from './router';
import { homeFor, session, sessions } from './session';

export function App() {
  const state = session.value;
  const path = location.value.path;

  useEffect(() => {
    if (state.kind === 'signed-out' && path !== '/sign-in' && path !== '/sign-up') {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.value.search)}`;
      navigate(`/sign-in${next}`, { replace: true });
    } else if (state.kind === 'signed-in' && (path === '/' || path === '/sign-in' || path === '/sign-up')) {
      // Back where the sign-in started, or the role's start page.
      const next = new URLSearchParams(location.value.search).get('next');
      navigate(next ? safeReturnPath(next) : homeFor(state.me.role), { replace: true });
    }
  }, [state, path]);

  const match = state.kind === 'signed-in' ? resolve(path, state.me.role) : null;
  useEffect(() => {
    document.title = match ? `${match.route.title} · Fachwerk` : 'Fachwerk';
  }, [match?.route.title]);

  switch (state.kind) {
    case 'loading':
      return <Loading />;
    case 'unreachable':
      return (
        <main id="main" class="page">
          <h1>Fachwerk cannot be reached</h1>
          <p>{state.message}</p>
          <button type="button" class="button" onClick={() => void sessions.load()}>
            Try again
          </button>
        </main>
      );
    case 'signed-out':
      return path === '/sign-up' ? <SignUp /> : <SignIn />;
    case 'signed-in':
      return (
        <Shell me={state.me} onSignOut={() => void sessions.signOut()}>
          {match ? match.route.view({ me: state.me, params: match.params }) : <NotFound role={state.me.role} />}
        </Shell>
      );
  }
}
