// Experts' time disputes: the time counted, the time they claim and why; the operator accepts
// (allowing the claim or less, the difference paid through the ledger) or rejects with a comment.
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
          <option value="accepted">Accepted</option>
          <option value="rejected">Rejected</option>
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
  const [minutes, setMinutes] = useState(String(Math.round(d.claimed_seconds / 60)));
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = d.expert?.name ?? 'An expert';
  const id = `dispute-${d.id}`;
  const resolve = async (decision: 'accept' | 'reject') => {
    const seconds = decision === 'accept' ? parseMinutes(minutes) : null;
    if (decision === 'accept' && (seconds === null || seconds <= d.credited_seconds || seconds > d.claimed_seconds)) {
      setErrors({ seconds: `Allow more than the ${formatDuration(d.credited_seconds)} counted and at most the ${formatDuration(d.claimed_seconds)} claimed.` });
      return;
    }
    if (decision === 'reject' && comment.trim() === '') {
      setErrors({ comment: 'Say why the claim is rejected.' });
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
          {who} on {d.project.name}
          {d.org ? ` (${d.org.name})` : ''}
        </h3>
        <span class={`status-pill dispute-${d.status}`}>{d.status}</span>
      </div>
      <p class="muted">
        Raised {formatTime(d.created_at)}: {formatDuration(d.credited_seconds)} counted, {formatDuration(d.claimed_seconds)} claimed.
      </p>
      <blockquote class="review-comment">{d.comment}</blockquote>
      {d.status === 'open' ? (
        <form class="grant-form" aria-label={`Resolve the dispute of ${who}`} noValidate onSubmit={(e) => e.preventDefault()}>
          <Field id={`${id}-minutes`} label="Minutes to allow in all if accepted" error={errors.seconds}>
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
        d.resolved_at && (
          <p>
            {d.status === 'accepted' ? 'Accepted' : 'Rejected'} {formatTime(d.resolved_at)}
            {d.status === 'accepted' && d.allowed_seconds !== null ? `, ${formatDuration(d.allowed_seconds)} allowed` : ''}
            {d.resolution ? `: ${d.resolution}` : ''}
          </p>
        )
      )}
    </li>
  );
}
