// Experts' time disputes: the time they claim and why; the operator accepts (with the seconds
// to credit, paid through the ledger as an adjustment) or rejects, with a comment to the expert.
import { useState } from 'preact/hooks';

import { payApi, type Dispute } from '../../api/pay';
import { parseMinutes } from '../../pay/forms';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatDuration, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

export function DisputesAdmin() {
  const [status, setStatus] = useState('open');
  const [disputes, reload] = useResource((signal) => payApi.disputes(status, signal), [status]);
  return (
    <section class="stack" aria-labelledby="disputes-admin-title">
      <h2 id="disputes-admin-title">Time disputes</h2>
      <div class="field narrow">
        <label for="disputes-status">Show</label>
        <select id="disputes-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="open">Open</option>
          <option value="">All</option>
        </select>
      </div>
      <Loaded resource={disputes} onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <p>No {status === 'open' ? 'open ' : ''}dispute.</p>
          ) : (
            <ul class="expert-list" aria-label="Disputes">
              {list.map((d) => (
                <DisputeCard key={d.id} dispute={d} onResolved={reload} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function DisputeCard({ dispute: d, onResolved }: { dispute: Dispute; onResolved: () => void }) {
  const [minutes, setMinutes] = useState(String(Math.round(d.seconds / 60)));
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = d.expert?.name ?? 'An expert';
  const id = `dispute-${d.id}`;
  const resolve = async (decision: 'accept' | 'reject') => {
    const seconds = decision === 'accept' ? parseMinutes(minutes) : null;
    if (decision === 'accept' && (seconds === null || seconds <= 0)) {
      setErrors({ seconds: 'Enter the minutes to credit, like 45 or 1:30.' });
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      await payApi.resolveDispute(d.id, decision, seconds, comment.trim());
      onResolved();
    } catch (x) {
      const fe = formErrors(x);
      setErrors(fe.fields);
      setFormError(fe.form);
      setBusy(false);
    }
  };
  return (
    <li class="card" aria-labelledby={`${id}-title`}>
      <div class="card-head">
        <h3 id={`${id}-title`}>
          {who}
          {d.project ? ` on ${d.project.name}` : ''}
        </h3>
        <span class={`status-pill dispute-${d.status}`}>{d.status}</span>
      </div>
      <p class="muted">
        Raised {formatTime(d.created_at)}; claims {formatDuration(d.seconds)}.
      </p>
      <blockquote class="review-comment">{d.comment}</blockquote>
      {d.status === 'open' ? (
        <form class="grant-form" aria-label={`Resolve the dispute of ${who}`} noValidate onSubmit={(e) => e.preventDefault()}>
          <Field id={`${id}-minutes`} label="Minutes to credit if accepted" error={errors.seconds}>
            <input id={`${id}-minutes`} inputMode="decimal" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
          </Field>
          <Field id={`${id}-comment`} label="Comment for the expert" error={errors.comment}>
            <textarea id={`${id}-comment`} rows={2} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          </Field>
          <div class="actions">
            <button type="button" class="button primary" disabled={busy} onClick={() => void resolve('accept')}>
              Accept
            </button>
            <button type="button" class="button" disabled={busy} onClick={() => void resolve('reject')}>
              Reject
            </button>
          </div>
          {formError && (
            <p class="field-error" role="alert">
              {formError}
            </p>
          )}
        </form>
      ) : (
        d.resolution && (
          <p>
            {d.resolution.decision === 'accept' ? 'Accepted' : 'Rejected'} {formatTime(d.resolution.resolved_at)}
            {d.resolution.seconds ? `, ${formatDuration(d.resolution.seconds)} credited` : ''}
            {d.resolution.comment ? `: ${d.resolution.comment}` : ''}
          </p>
        )
      )}
    </li>
  );
}
