// Screens that load when first opened: the lab and operator consoles are their own chunks, so
// an expert's first load carries only the workbench. A view's module is fetched once; until it
// is in, the screen shows the loading state, and if it cannot be fetched (the server has a newer
// version of the app) the screen says so and offers a reload.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import { ErrorBox, Loading } from '../ui/Status';
import type { ViewProps } from './route-def';

type Views = Record<string, (props: ViewProps) => JSX.Element>;

/** `view(name)` is the route view `name` of the module `load` fetches. */
export function lazyViews<M extends Views>(load: () => Promise<M>): (name: keyof M) => (props: ViewProps) => JSX.Element {
  let views: M | null = null;
  let pending: Promise<M> | null = null;
  const fetchViews = () =>
    (pending ??= load().then(
      (m) => (views = m),
      (e: unknown) => {
        pending = null;
        throw e;
      },
    ));

  function Lazy({ name, props }: { name: keyof M; props: ViewProps }) {
    const [, setLoaded] = useState(false);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (!views) fetchViews().then(() => setLoaded(true), () => setFailed(true));
    }, []);
    if (views) return views[name]!(props);
    if (failed) {
      return (
        <ErrorBox
          error={new Error('This part of the app could not be loaded; the server may have a newer version. Reload the page.')}
          onRetry={() => window.location.reload()}
        />
      );
    }
    return <Loading />;
  }
  return (name) => (props) => <Lazy name={name} props={props} />;
}
