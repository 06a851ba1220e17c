// The workbench for one project: the task on screen, the next one leased behind it, and what
// to say when there is none.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { api } from '../../api/client';
import type { LockedProject, WorkProject } from '../../api/types';
import { termsApi } from '../../api/terms';
import { TaskQueue } from '../../work/queue';
import { needsTerms } from '../../work/unlock';
import { useKeepLeases } from '../../work/use-keep-leases';
import { workApi } from '../../work/work-api';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loading } from '../../ui/Status';
import { TaskScreen } from './TaskScreen';
import { TermsGate } from './TermsGate';

export function Workbench({ projectId }: { projectId: string }) {
  const work = useMemo(() => workApi(), []);
  const queue = useMemo(() => new TaskQueue(work, projectId), [work, projectId]);
  const [failure, setFailure] = useState<Error | null>(null);
  const [project] = useResource(async (signal) => {
    const r = await api.get<{ projects: WorkProject[]; locked?: LockedProject[] }>('/api/v1/work/projects', signal);
    const open = r.projects.find((p) => p.id === projectId);
    const locked = r.locked?.find((p) => p.id === projectId);
    return {
      name: open?.name ?? locked?.name ?? null,
      termsVersion: open?.terms_version ?? null,
      termsUnmet: locked?.unmet.some((u) => u.reason === 'terms_not_accepted') ?? false,
    };
  }, [projectId]);
  // Terms come first: before the first task, and again when a new version appears (the
  // project is then locked on them, and the work loop answers 403 terms_not_accepted).
  const [terms, setTerms] = useState<'unknown' | 'needed' | 'ok'>('unknown');
  useEffect(() => {
    if (project.state === 'loading') return;
    const p = project.state === 'ready' ? project.data : null;
    if (p?.termsUnmet) {
      setTerms('needed');
      return;
    }
    if (!p?.termsVersion) {
      setTerms('ok');
      return;
    }
    const version = p.termsVersion;
    termsApi.get(projectId).then(
      (t) => setTerms(t.accepted_at && t.version === version ? 'ok' : 'needed'),
      () => setTerms('ok'),
    );
  }, [project.state, projectId]);
  const started = useRef(false);
  useEffect(() => {
    if (terms !== 'ok' || started.current) return;
    started.current = true;
    queue.start().catch((e: Error) => (needsTerms(e) ? setTerms('needed') : setFailure(e)));
  }, [queue, terms]);
  useKeepLeases(work, queue);

  const name = (project.state === 'ready' && project.data.name) || 'Project';
  const current = queue.current.value;
  const advance = () => queue.advance().catch((e: Error) => (needsTerms(e) ? setTerms('needed') : setFailure(e)));
  let body;
  if (terms === 'needed') {
    body = (
      <TermsGate
        projectId={projectId}
        projectName={name}
        onAccepted={() => {
          setFailure(null);
          setTerms('ok');
          // Started before (the terms changed meanwhile): on to the next task; else the
          // effect above starts the queue.
          if (started.current) advance();
        }}
      />
    );
  } else if (failure) {
    body = (
      <ErrorBox
        error={failure}
        onRetry={() => {
          setFailure(null);
          advance();
        }}
      />
    );
  } else if (current) {
    body = <TaskScreen key={current.id} assignment={current} work={work} projectName={name} onDone={advance} />;
  } else if (queue.empty.value) {
    body = (
      <div class="card empty-queue">
        <h2>Nothing to do here right now</h2>
        <p>{queue.empty.value.message}</p>
        <p>
          <a href="/work">Back to your projects</a> · <a href="/work/history">Your past answers</a>
        </p>
      </div>
    );
  } else {
    body = <Loading label="Fetching your task…" />;
  }
  return (
    <section class="page workbench" aria-label={`Workbench: ${name}`}>
      {body}
    </section>
  );
}
