// The expert's answers and where each stands: waiting for automatic acceptance, in review,
// sent back, accepted or rejected, with the reviewer's comment; answers to revise come first.
import { useState } from 'preact/hooks';

import { reviewApi, type AnswerStatus, type MyAnswer } from '../../api/review';
import { STATUS_FILTERS, STATUS_LABEL, statusDetail } from '../../review/answer-status';
import { formatTime } from '../../ui/format';
import { Markdown } from '../../ui/Markdown';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';
import { ReworkList } from './ReworkList';

function AnswerRow({ a }: { a: MyAnswer }) {
  return (
    <tr>
      <td>
        <span class={`status-pill answer-${a.status}`}>{STATUS_LABEL[a.status] ?? a.status}</span>
        {a.round > 1 && <span class="muted"> round {a.round}</span>}
      </td>
      <td class="wrap">
        <p>{statusDetail(a)}</p>
        {a.comment && (
          <blockquote class="review-comment" aria-label="Reviewer’s comment">
            <Markdown source={a.comment} />
          </blockquote>
        )}
        {a.status === 'rework' && <a href={`/work/rework/${encodeURIComponent(a.submission_id)}`}>Revise this answer</a>}
      </td>
      <td>{a.project.name}</td>
      <td>{formatTime(a.submitted_at)}</td>
    </tr>
  );
}

export function MyAnswers() {
  const [status, setStatus] = useState<AnswerStatus | ''>('');
  const [more, setMore] = useState<MyAnswer[]>([]);
  const [before, setBefore] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const [first, reload] = useResource(async (signal) => {
    setMore([]);
    const page = await reviewApi.myAnswers(status, null, signal);
    setBefore(page.next_before);
    return page;
  }, [status]);
  const loadMore = async () => {
    if (!before) return;
    try {
      const page = await reviewApi.myAnswers(status, before);
      setMore([...more, ...page.answers]);
      setBefore(page.next_before);
    } catch (e) {
      setMoreError(e as Error);
    }
  };
  return (
    <section class="page">
      <div class="page-head">
        <h1>Your answers</h1>
        <a href="/work/earnings">Earnings and time</a>
      </div>
      <ReworkList />
      <h2>Review of your answers</h2>
      <div class="field narrow">
        <label for="answers-status">Show</label>
        <select id="answers-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as AnswerStatus | '')}>
          {STATUS_FILTERS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <Loaded resource={first} onRetry={reload}>
        {(page) => {
          const all = [...page.answers, ...more];
          if (all.length === 0) return <p>No answers here yet.</p>;
          return (
            <>
              <TableRegion label="Your answers">
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">What happens</th>
                    <th scope="col">Project</th>
                    <th scope="col">Submitted</th>
                  </tr>
                </thead>
                <tbody>
                  {all.map((a) => (
                    <AnswerRow key={a.submission_id} a={a} />
                  ))}
                </tbody>
              </TableRegion>
              {moreError && <ErrorBox error={moreError} onRetry={() => void loadMore()} />}
              {before && (
                <button type="button" class="button" onClick={() => void loadMore()}>
                  Show older
                </button>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
