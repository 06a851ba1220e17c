// The operator's experts with their qualifications: grant or change one (domain, level,
// reviewer) and revoke one, which ends the expert's leases that rested on it.
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import type { Qualification, User } from '../../api/types';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { type FormErrors, formErrors, NO_ERRORS } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { LEVEL_NAMES } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { ErrorBox, Loaded } from '../../ui/Status';

interface Expert extends User {
  qualifications: Qualification[];
}
interface Domain {
  name: string;
  title: string;
}

async function load(signal: AbortSignal) {
  const [experts, domains] = await Promise.all([
    api.get<{ experts: Expert[] }>('/api/v1/experts', signal),
    api.get<{ domains: Domain[] }>('/api/v1/domains', signal),
  ]);
  return { experts: experts.experts, domains: domains.domains };
}

export function Experts() {
  const [data, reload] = useResource(load, []);
  const [error, setError] = useState<Error | null>(null);

  async function revoke(expert: Expert, domain: string) {
    setError(null);
    try {
      await api.delete(`/api/v1/experts/${encodeURIComponent(expert.id)}/qualifications/${encodeURIComponent(domain)}`);
      reload();
    } catch (err) {
      setError(err as Error);
    }
  }

  return (
    <section class="page">
      <h1>Experts</h1>
      {error && <ErrorBox error={error} />}
      <Loaded resource={data} onRetry={reload}>
        {({ experts, domains }) => (
          <ul class="expert-list">
            {experts.map((x) => (
              <li key={x.id} class="card">
                <div class="card-head">
                  <h2>{x.name}</h2>
                  <span class="muted">
                    {x.email}
                    {x.disabled ? ' · deactivated' : ''}
                  </span>
                </div>
                {x.qualifications.length === 0 ? (
                  <p class="muted">No qualification yet.</p>
                ) : (
                  <ul class="quals" aria-label={`Qualifications of ${x.name}`}>
                    {x.qualifications.map((q) => (
                      <li key={q.domain}>
                        <span>
                          <strong>{q.domain}</strong>, level {q.level} ({LEVEL_NAMES[q.level] ?? '?'})
                          {q.reviewer ? ', reviewer' : ''}
                        </span>
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel="Revoke now"
                          accessibleName={`Revoke ${q.domain} from ${x.name}`}
                          onConfirm={() => void revoke(x, q.domain)}
                        />
                      </li>
                    ))}
                  </ul>
                )}
                <GrantForm expert={x} domains={domains} onGranted={reload} />
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
}

function GrantForm({ expert, domains, onGranted }: { expert: Expert; domains: Domain[]; onGranted: () => void }) {
  const [domain, setDomain] = useState(domains[0]?.name ?? '');
  const [level, setLevel] = useState(3);
  const [reviewer, setReviewer] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const id = `grant-${expert.id}`;

  async function submit(e: Event) {
    e.preventDefault();
    setErrors(NO_ERRORS);
    try {
      await api.put(`/api/v1/experts/${encodeURIComponent(expert.id)}/qualifications/${encodeURIComponent(domain)}`, {
        level,
        reviewer,
        reason,
      });
      onGranted();
    } catch (err) {
      setErrors(formErrors(err));
    }
  }

  return (
    <form class="grant-form" onSubmit={submit} noValidate aria-label={`Grant a qualification to ${expert.name}`}>
      <Field id={`${id}-domain`} label="Domain" error={errors.fields.domain}>
        <select id={`${id}-domain`} value={domain} onChange={(e) => setDomain(e.currentTarget.value)}>
          {domains.map((d) => (
            <option key={d.name} value={d.name}>
              {d.title}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-level`} label="Level" error={errors.fields.level}>
        <select id={`${id}-level`} value={String(level)} onChange={(e) => setLevel(Number(e.currentTarget.value))}>
          {[1, 2, 3, 4, 5].map((l) => (
            <option key={l} value={String(l)}>
              {l}: {LEVEL_NAMES[l]}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-reason`} label="Reason" error={errors.fields.reason}>
        <input
          id={`${id}-reason`}
          type="text"
          value={reason}
          maxLength={1000}
          placeholder="e.g. interviewed; thesis on quantum field theory"
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </Field>
      <label class="checkbox">
        <input type="checkbox" checked={reviewer} onChange={(e) => setReviewer(e.currentTarget.checked)} /> Reviewer
      </label>
      <button type="submit" class="button" aria-label={`Grant to ${expert.name}`}>
        Grant
      </button>
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
    </form>
  );
}
