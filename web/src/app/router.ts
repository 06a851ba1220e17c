// Client-side routing over the History API. Routes are patterns of literal segments and
// `:name` parameters; the current location is a signal, so screens re-render when it changes.
// The server answers every path without a file extension with the app (src/webapp), so a
// reload or a shared link lands on the same screen.
import { signal } from '@preact/signals';

export type Params = Record<string, string>;

/** The parameters of `path` under `pattern`, or null when it does not match. */
export function matchPath(pattern: string, path: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(g);
      } catch {
        return null;
      }
      params[w.slice(1)] = value;
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** The path for `pattern` with `params` filled in (each one URI-encoded). */
export function pathFor(pattern: string, params: Params = {}): string {
  return pattern.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`pathFor: no value for :${name} in ${pattern}`);
    return encodeURIComponent(v);
  });
}

/** A same-origin path to return to after signing in; anything else becomes "/". */
export function safeReturnPath(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  return raw;
}

export const location = signal<{ path: string; search: string }>({
  path: typeof window === 'undefined' ? '/' : window.location.pathname,
  search: typeof window === 'undefined' ? '' : window.location.search,
});

/** Goes to `to` (a path of this app). `replace`: instead of adding a history entry;
 * `keepScroll`: a change of the same screen's query (its filters), which stays where it is. */
export function navigate(to: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (url.origin !== window.location.origin) throw new Error(`navigate: ${to} leaves the app`);
  if (options.replace) window.history.replaceState(null, '', url.pathname + url.search);
  else window.history.pushState(null, '', url.pathname + url.search);
  location.value = { path: url.pathname, search: url.search };
  if (!options.keepScroll) window.scrollTo(0, 0);
}

/** Follows browser back/forward and same-origin link clicks (without a reload). */
export function startRouter(): void {
  window.addEventListener('popstate', () => {
    location.value = { path: window.location.pathname, search: window.location.search };
  });
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download') || a.dataset.external !== undefined) return;
    const href = a.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('//')) return;
    e.preventDefault();
    navigate(href);
  });
}
