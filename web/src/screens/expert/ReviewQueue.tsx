// The reviewer's queue: answers they claimed before (resumed after a reload), the projects
// with answers waiting for a reviewer of their qualification, and one answer at a time.
import { useEffect, useState } from 'preact/hooks';

import { reviewApi, type ReviewProject, type ReviewTask } from '../../api/review';
import { formatCount, LEVEL_NAMES } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded, Loading } from '../../ui/Status';
import { ReviewTaskScreen } from './ReviewTaskScreen';

type View =
  | { kind: 'resuming' }
  | { kind: 'start' }
  | { kind: 'loading' }
  | { kind: 'task'; task: ReviewTask; projectId: string | null }
  | { kind: 'empty'; projectId: string | null }
  | { kind: 'error'; error: Error; projectId: string | null };

export function ReviewQueue() {
  const [view, setView] = useState<View>({ kind: 'resuming' });

  useEffect(() => {
    reviewApi.claims().then(
      (claims) => setView(claims[0] ? { kind: 'task', task: claims[0], projectId: null } : { kind: 'start' }),
      (error: Error) => setView({ kind: 'error', error, projectId: null }),
    );
  }, []);

  const next = async (projectId: string | null) => {
    setView({ kind: 'loading' });
    try {
      const claims = await reviewApi.claims();
      const resumed = claims.find((c) => projectId === null || c.project.id === projectId);
      const task = resumed ?? (await reviewApi.next(projectId ?? undefined));
      setView(task ? { kind: 'task', task, projectId } : { kind: 'empty', projectId });
    } catch (error) {
      setView({ kind: 'error', error: error as Error, projectId });
    }
  };

  switch (view.kind) {
    case 'resuming':
    case 'loading':
      return <Loading />;
    case 'task':
      return (
        <section class="page workbench" aria-label={`Review: ${view.task.project.name}`}>
          <ReviewTaskScreen
            key={view.task.id}
            task={view.task}
            onNext={() => void next(view.projectId)}
            onRelease={() => {
              reviewApi.release(view.task.id).then(
                () => setView({ kind: 'start' }),
                (error: Error) => setView({ kind: 'error', error, projectId: view.projectId }),
              );
            }}
          />
        </section>
      );
    case 'empty':
      return (
        <section class="page empty-queue">
          <h1>Nothing to review</h1>
          <p>No answer is waiting for a reviewer {view.projectId ? 'on this project' : 'on your projects'} right now.</p>
          <button type="button" class="button" onClick={() => setView({ kind: 'start' })}>
            Back to the projects
          </button>
        </section>
      );
    case 'error':
      return (
        <section class="page">
          <h1>Review</h1>
          <ErrorBox error={view.error} onRetry={() => void next(view.projectId)} />
        </section>
      );
    case 'start':
      return <ReviewProjects onStart={(id) => void next(id)} />;
  }
}

function ReviewProjects({ onStart }: { onStart: (projectId: string | null) => void }) {
  const [projects, reload] = useResource((signal) => reviewApi.projects(signal), []);
  return (
    <section class="page">
      <div class="page-head">
        <h1>Review</h1>
        <button type="button" class="button primary" onClick={() => onStart(null)}>
          Review the next answer
        </button>
      </div>
      <p class="muted">Answers from projects in your domains at your level or below, never your own. Press ? on an answer for the shortcuts.</p>
      <Loaded resource={projects} onRetry={reload}>
        {(list: ReviewProject[]) =>
          list.length === 0 ? (
            <p>No project needs a reviewer with your qualifications.</p>
          ) : (
            <ul class="project-cards">
              {list.map((p) => (
                <li key={p.id} class="card">
                  <div class="card-head">
                    <h2>{p.name}</h2>
                    <span class="badge">{formatCount(p.waiting)} waiting</span>
                  </div>
                  <p class="muted">{p.domain ? `${p.domain}, level ${p.min_level} (${LEVEL_NAMES[p.min_level] ?? ''}) or above` : 'Generalist work'}</p>
                  <button type="button" class="button" disabled={p.waiting === 0} onClick={() => onStart(p.id)}>
                    Review<span class="sr-only"> {p.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
