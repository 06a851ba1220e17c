// The domains an expert declares, each with a level: a claim the operator and exams check.
import type { Domains } from '../../api/experts';
import { domainOptions } from '../../experts/domains';
import { listError, rowError } from '../../experts/profile-form';
import { Field } from '../../ui/Field';

type Row = { domain: string; level: number };

export function DeclaredDomainsEditor({
  rows,
  domains,
  errors,
  onChange,
}: {
  rows: Row[];
  domains: Domains;
  errors: Record<string, string>;
  onChange: (rows: Row[]) => void;
}) {
  const options = domainOptions(domains.domains);
  const unused = options.find((o) => !rows.some((r) => r.domain === o.value));
  const update = (i: number, patch: Partial<Row>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const rest = listError(errors, 'domains', ['domain', 'level']);
  return (
    <fieldset class="card plain-card" aria-describedby="pf-domains-help">
      <legend>Domains you know</legend>
      <p class="muted" id="pf-domains-help">
        What you declare here is a claim; qualifications come from exams and verified credentials.
      </p>
      {rows.length === 0 && <p class="muted">No domain declared yet.</p>}
      <ul class="row-list">
        {rows.map((r, i) => {
          const title = options.find((o) => o.value === r.domain)?.label ?? r.domain;
          return (
            <li key={i} class="row-edit">
              <Field id={`pf-dom-${i}`} label={`Domain ${i + 1}`} error={rowError(errors, 'domains', i, 'domain')}>
                <select id={`pf-dom-${i}`} value={r.domain} onChange={(e) => update(i, { domain: e.currentTarget.value })}>
                  {options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`pf-lvl-${i}`} label={`Level in ${title}`} error={rowError(errors, 'domains', i, 'level')}>
                <select id={`pf-lvl-${i}`} value={String(r.level)} onChange={(e) => update(i, { level: Number(e.currentTarget.value) })}>
                  {domains.levels.map((l) => (
                    <option key={l.level} value={String(l.level)}>
                      {l.level}: {l.name}
                    </option>
                  ))}
                </select>
              </Field>
              <button type="button" class="button small" aria-label={`Remove ${title}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      {rest && (
        <p class="field-error" role="alert">
          {rest}
        </p>
      )}
      <button
        type="button"
        class="button"
        disabled={!unused}
        onClick={() => unused && onChange([...rows, { domain: unused.value, level: 3 }])}
      >
        Add a domain
      </button>
    </fieldset>
  );
}
