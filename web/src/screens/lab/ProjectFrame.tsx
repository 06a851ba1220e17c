// A project's page: its name, status and the actions on it, and tabs for its overview, quality,
// items, requirements, workforce, review and pay; the tab's screen gets the project and a way
// to read it again.
import type { ComponentChildren } from 'preact';

import { labApi, type LabProject } from '../../api/lab';
import { location } from '../../app/router';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { StatusActions } from './StatusActions';
import './lab.css';

const TABS = [
  { suffix: '', label: 'Overview' },
  { suffix: '/quality', label: 'Quality' },
  { suffix: '/items', label: 'Items' },
  { suffix: '/requirements', label: 'Requirements' },
  { suffix: '/workforce', label: 'Workforce' },
  { suffix: '/review', label: 'Review' },
  { suffix: '/pay', label: 'Pay' },
];

export function projectHref(id: string, suffix = ''): string {
  return `/lab/projects/${encodeURIComponent(id)}${suffix}`;
}

export function ProjectFrame({
  id,
  children,
}: {
  id: string;
  children: (project: LabProject, reload: () => void) => ComponentChildren;
}) {
  const [project, reload] = useResource((signal) => labApi.project(id, signal), [id]);
  const path = location.value.path;
  return (
    <section class="page">
      <p class="crumbs">
        <a href="/lab/projects">Projects</a>
      </p>
      <Loaded resource={project} onRetry={reload}>
        {(p) => (
          <>
            <div class="page-head">
              <div class="title-line">
                <h1>{p.name}</h1>
                <span class={`status-pill ${p.status}`}>{p.status}</span>
              </div>
              <StatusActions project={p} onChanged={reload} />
            </div>
            <nav class="tabs" aria-label="Project">
              <ul>
                {TABS.map((t) => {
                  const href = projectHref(p.id, t.suffix);
                  return (
                    <li key={t.label}>
                      <a href={href} aria-current={path === href || (t.suffix !== '' && path.startsWith(`${href}/`)) ? 'page' : undefined}>
                        {t.label}
                      </a>
                    </li>
                  );
                })}
              </ul>
            </nav>
            {children(p, reload)}
          </>
        )}
      </Loaded>
    </section>
  );
}
