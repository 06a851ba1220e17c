// The expert's active time per day and project, as the server credited it; a finished task's
// time can be disputed with the time the expert says they worked.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';

import { payApi, type TimesheetEntry } from '../../api/pay';
import { disputeBody } from '../../pay/forms';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { formatDate, formatDuration } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

const STATE_TEXT: Record<string, string> = {
  active: 'in progress',
  submitted: 'submitted',
  skipped: 'skipped',
  expired: 'expired',
  revoked: 'ended early',
};

export function Timesheet({ from, to, onDisputed }: { from: string; to: string; onDisputed: () => void }) {
  const [sheet, reload] = useResource((signal) => payApi.timesheet(from, to, signal), [from, to]);
  const [disputing, setDisputing] = useState<string | null>(null);
  return (
    <section aria-labelledby="timesheet-title" class="stack">
      <h2 id="timesheet-title">Timesheet</h2>
      <p class="muted">Active time counts while the task’s tab is visible and you worked in the last two minutes, once across tabs and devices.</p>
      <Loaded resource={sheet} onRetry={reload}>
        {({ days: list, total_seconds: total }) =>
          list.length === 0 ? (
            <p>No time counted in this period.</p>
          ) : (
            <>
              <p>
                In all: <strong>{formatDuration(total)}</strong>
              </p>
              <TableRegion label="Time by day and task">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Project</th>
                    <th scope="col">Task</th>
                    <th scope="col">Active</th>
                    <th scope="col">Task state</th>
                    <th scope="col">
                      <span class="sr-only">Dispute</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.flatMap((d) =>
                    d.projects.map((p) => (
                      <Fragment key={`${d.day}-${p.project.id}`}>
                        <tr class="group-row">
                          <th scope="row">{formatDate(`${d.day}T12:00:00Z`)}</th>
                          <td>{p.project.name}</td>
                          <td class="muted">{p.entries.length === 1 ? '1 task' : `${p.entries.length} tasks`}</td>
                          <td>{formatDuration(p.seconds)}</td>
                          <td />
                          <td />
                        </tr>
                        {p.entries.map((e, i) => (
                          <EntryRow
                            key={`${d.day}-${e.assignment_id}`}
                            entry={e}
                            n={i + 1}
                            label={`Task ${i + 1} on ${p.project.name}, ${d.day}`}
                            open={disputing === `${d.day}-${e.assignment_id}`}
                            onOpen={() => setDisputing(`${d.day}-${e.assignment_id}`)}
                            onClose={() => setDisputing(null)}
                            onDisputed={() => {
                              setDisputing(null);
                              reload();
                              onDisputed();
                            }}
                          />
                        ))}
                      </Fragment>
                    )),
                  )}
                </tbody>
              </TableRegion>
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function EntryRow({
  entry,
  n,
  label,
  open,
  onOpen,
  onClose,
  onDisputed,
}: {
  entry: TimesheetEntry;
  n: number;
  label: string;
  open: boolean;
  onOpen: () => void;
  onClose: () => void;
  onDisputed: () => void;
}) {
  return (
    <>
        <tr>
          <td />
          <td />
          <td>Task {n}</td>
          <td>{formatDuration(entry.seconds)}</td>
          <td>
            {STATE_TEXT[entry.state] ?? entry.state}
            {entry.dispute_status && (
            <>
              {' '}
              <span class={`status-pill dispute-${entry.dispute_status}`}>dispute {entry.dispute_status}</span>
            </>
          )}
          </td>
          <td>
            {!open && entry.state !== 'active' && entry.dispute_status !== 'open' && (
              <button type="button" class="button small" aria-label={`Dispute the time of ${label}`} onClick={onOpen}>
                Dispute
              </button>
            )}
          </td>
        </tr>
        {open && (
          <tr>
            <td colSpan={6}>
              <DisputeForm entry={entry} label={label} onDone={onDisputed} onCancel={onClose} />
            </td>
          </tr>
        )}
    </>
  );
}

function DisputeForm({ entry, label, onDone, onCancel }: { entry: TimesheetEntry; label: string; onDone: () => void; onCancel: () => void }) {
  const [minutes, setMinutes] = useState('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const id = `dispute-${entry.assignment_id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = disputeBody({ minutes, comment }, entry.seconds);
    if ('errors' in body) {
      setErrors({ fields: body.errors, form: null });
      return;
    }
    setBusy(true);
    try {
      await payApi.dispute(entry.assignment_id, body.seconds, body.comment);
      onDone();
    } catch (err) {
      setErrors(formErrors(err));
      setBusy(false);
    }
  };
  return (
    <form class="grant-form" aria-label={`Dispute the time of ${label}`} noValidate onSubmit={submit}>
      <p class="muted">Counted: {formatDuration(entry.seconds)}. Say how long you worked and what the count missed; the operator decides.</p>
      <Field id={`${id}-minutes`} label="Minutes you worked" error={errors.fields.seconds} hint="45, or 1:30 for an hour and a half">
        <input id={`${id}-minutes`} inputMode="decimal" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
      </Field>
      <Field id={`${id}-comment`} label="What the count missed" error={errors.fields.comment}>
        <textarea id={`${id}-comment`} rows={2} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </Field>
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          Send the dispute
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
    </form>
  );
}
