// Every problem the server found with the new project, each a link to the control at fault
// (or the nearest one there is), so none is missed in a long form.
import { useEffect, useRef } from 'preact/hooks';

import { describePath, nearestControl } from '../../lab/error-paths';
import type { NewProjectStore } from '../../lab/new-project.store';

function focusControl(path: string) {
  const id = nearestControl(path, (x) => document.getElementById(x) !== null);
  const el = id ? document.getElementById(id) : null;
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
}

export function ErrorSummary({ store }: { store: NewProjectStore }) {
  const { fields, form } = store.errors.value;
  const entries = Object.entries(fields);
  const box = useRef<HTMLDivElement>(null);
  const shown = entries.length > 0 || form !== null;
  // After each refusal, not when an edit clears some of the errors.
  useEffect(() => {
    if (shown) box.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store.attempts.value]);
  if (!shown) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={box} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">The project was not created</h2>
      {form && <p>{form}</p>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([path, message]) => (
            <li key={path}>
              <a
                href={`#${path}`}
                onClick={(e) => {
                  e.preventDefault();
                  focusControl(path);
                }}
              >
                {describePath(path, store.template.value)}
              </a>
              : {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
