// One item as the lab sees it: the task exactly as experts saw it, its gold answer if it has
// one, and every answer it got, by the experts' pseudonyms, each read back in words.
import { labApi, type Item, type ItemSubmission, type LabProject } from '../../api/lab';
import { AnswerView } from '../../task/AnswerView';
import { TaskView } from '../../task/TaskView';
import { formatDuration, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { projectHref } from './ProjectFrame';

function Submission({ s, project }: { s: ItemSubmission; project: LabProject }) {
  return (
    <li class="card submission">
      <div class="card-head">
        <h3>
          Expert <code>{s.expert}</code>
        </h3>
        <span class="muted">{formatTime(s.submitted_at)}</span>
      </div>
      <p class="muted">
        Active {formatDuration(s.active_seconds)} · template version {s.template_version}
        {s.template_version !== project.template_version && ' (an older one: questions may differ)'}
        {s.is_gold && ' · a gold item: this answer checked the expert'}
      </p>
      <AnswerView questions={project.template.questions} answer={s.answer} />
    </li>
  );
}

export function ItemDetail({ project, itemId }: { project: LabProject; itemId: string }) {
  const [loaded, reload] = useResource(
    async (signal): Promise<[Item, ItemSubmission[]]> =>
      Promise.all([labApi.item(project.id, itemId, signal), labApi.itemSubmissions(project.id, itemId, signal).then((r) => r.submissions)]),
    [project.id, itemId],
  );
  return (
    <Loaded resource={loaded} onRetry={reload}>
      {([item, submissions]) => (
        <div class="stack item-detail">
          <p>
            <a href={projectHref(project.id, '/items')}>All items</a>
          </p>
          <section class="card" aria-labelledby="item-title">
            <h2 id="item-title">
              Item <code>{item.external_id ?? item.id}</code>
            </h2>
            <p class="muted">
              Priority {item.priority} · {item.submitted} answer{item.submitted === 1 ? '' : 's'}
              {item.taken > item.submitted && `, ${item.taken - item.submitted} being worked on`}
            </p>
            <TaskView template={project.template} data={item.data} />
          </section>
          {item.gold && (
            <section class="card" aria-labelledby="gold-title">
              <h2 id="gold-title">Gold answer</h2>
              <AnswerView questions={project.template.questions} answer={item.gold} />
            </section>
          )}
          <section aria-labelledby="answers-title">
            <h2 id="answers-title">Answers</h2>
            {submissions.length === 0 ? (
              <p>No expert has answered this item yet.</p>
            ) : (
              <ul class="project-cards">
                {submissions.map((s) => (
                  <Submission key={s.submission_id} s={s} project={project} />
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </Loaded>
  );
}
