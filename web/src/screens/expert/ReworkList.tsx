// Answers a reviewer sent back: the comment and the time left to revise each.
import { reviewApi } from '../../api/review';
import { formatTime } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

export function ReworkList() {
  const [rework, reload] = useResource((signal) => reviewApi.rework(signal), []);
  return (
    <Loaded resource={rework} onRetry={reload}>
      {(list) =>
        list.length === 0 ? null : (
          <section aria-labelledby="rework-title" class="stack">
            <h2 id="rework-title">To revise ({list.length})</h2>
            <ul class="project-cards">
              {list.map((r) => (
                <li key={r.submission_id} class="card result result-wait">
                  <div class="card-head">
                    <h3>{r.project.name}</h3>
                    <span class="muted">revise by {formatTime(r.due_at)}</span>
                  </div>
                  <blockquote class="review-comment" aria-label="Reviewer’s comment">
                    <Markdown source={r.comment} />
                  </blockquote>
                  <a class="button primary" href={`/work/rework/${encodeURIComponent(r.submission_id)}`}>
                    Revise<span class="sr-only"> your answer on {r.project.name}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )
      }
    </Loaded>
  );
}
