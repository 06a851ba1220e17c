// The workbench for one project: the task on screen, the next one leased behind it, and what
// to say when there is none.
import { useEffect, useMemo, useState } from 'preact/hooks';

import { api } from '../../api/client';
import type { WorkProject } from '../../api/types';
import { TaskQueue } from '../../work/queue';
import { useKeepLeases } from '../../work/use-keep-leases';
import { workApi } from '../../work/work-api';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loading } from '../../ui/Status';
import { TaskScreen } from './TaskScreen';

export function Workbench({ projectId }: { projectId: string }) {
  const work = useMemo(() => workApi(), []);
  const queue = useMemo(() => new TaskQueue(work, projectId), [work, projectId]);
  const [failure, setFailure] = useState<Error | null>(null);
  const [project] = useResource(
    async (signal) =>
      (await api.get<{ projects: WorkProject[] }>('/api/v1/work/projects', signal)).projects.find((p) => p.id === projectId) ?? null,
    [projectId],
  );
  useEffect(() => {
    queue.start().catch((e: Error) => setFailure(e));
  }, [queue]);
  useKeepLeases(work, queue);

  const name = project.state === 'ready' && project.data ? project.data.name : 'Project';
  const current = queue.current.value;
  const advance = () => queue.advance().catch((e: Error) => setFailure(e));
  let body;
  if (failure) {
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
