// Experts paused on a project by their standing (gold accuracy or skill below the project's
// threshold), newest first, and reinstating one with a reason that is recorded.
import { useState } from 'preact/hooks';

import { type OperatorStanding, standingsApi } from '../../api/standings';
import { percentOrDash, skillText } from '../../lab/workforce';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatCount, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

export function Standings() {
  const [data, reload] = useResource((signal) => standingsApi.all(true, signal), []);
  const [note, setNote] = useState('');
  return (
    <section class="page narrow-page">
      <h1>Paused experts</h1>
      <p class="form-note" role="status">
        {note}
      </p>
      <Loaded resource={data} onRetry={reload}>
        {(standings) =>
          standings.length === 0 ? (
            <p>No expert is paused.</p>
          ) : (
            <ul class="expert-list" aria-label="Paused experts">
              {standings.map((s) => (
                <PausedCard
                  key={`${s.expert.id}-${s.project_id}`}
                  standing={s}
                  onReinstated={() => {
                    setNote(`${s.expert.name} is reinstated on ${s.project_name}.`);
                    reload();
                  }}
                />
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function PausedCard({ standing: s, onReinstated }: { standing: OperatorStanding; onReinstated: () => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const id = `rs-${s.expert.id}-${s.project_id}`;

  async function submit(e: Event) {
    e.preventDefault();
    if (reason.trim() === '') {
      setErrors({ fields: { reason: 'Give a reason: it is recorded with the reinstatement.' }, form: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await standingsApi.reinstate(s.expert.id, s.project_id, reason);
      onReinstated();
    } catch (err) {
      setErrors(formErrors(err));
      setBusy(false);
    }
  }

  return (
    <li class="card" aria-labelledby={`${id}-title`}>
      <div class="card-head">
        <h2 id={`${id}-title`}>
          {s.expert.name} on {s.project_name}
        </h2>
        <span class="muted">{s.org.name}</span>
      </div>
      <p class="muted">
        {s.expert.email} · {formatCount(s.judgments)} answers · gold {percentOrDash(s.gold_accuracy)} · skill {skillText(s.skill)}
      </p>
      <p class="notice">
        {s.reason} (since {formatTime(s.changed_at)})
      </p>
      <form class="grant-form reinstate-form" onSubmit={submit} noValidate aria-label={`Reinstate ${s.expert.name} on ${s.project_name}`}>
        <Field id={`${id}-reason`} label="Reason for reinstating" error={errors.fields.reason}>
          <input id={`${id}-reason`} value={reason} maxLength={2000} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="button primary" disabled={busy}>
          Reinstate<span class="sr-only"> {s.expert.name}</span>
        </button>
        {errors.form && (
          <p class="field-error" role="alert">
            {errors.form}
          </p>
        )}
      </form>
    </li>
  );
}
