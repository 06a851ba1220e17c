// The organisations an expert works or worked for (employers and clients). A lab may name
// competitors; an expert with a current affiliation to one does not see that lab's project.
import type { AffiliationKind } from '../../api/experts';
import { type AffiliationRow, listError, rowError } from '../../experts/profile-form';
import { Field } from '../../ui/Field';

export function AffiliationsEditor({
  rows,
  errors,
  onChange,
}: {
  rows: AffiliationRow[];
  errors: Record<string, string>;
  onChange: (rows: AffiliationRow[]) => void;
}) {
  const update = (i: number, patch: Partial<AffiliationRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const rest = listError(errors, 'affiliations', ['organisation', 'kind', 'since', 'until']);
  return (
    <fieldset class="card plain-card" aria-describedby="pf-aff-help">
      <legend>Affiliations</legend>
      <p class="muted" id="pf-aff-help">
        Employers and clients, past and present. Projects of a lab that names one of your current ones as a competitor are
        not offered to you.
      </p>
      {rows.length === 0 && <p class="muted">No affiliation declared.</p>}
      <ul class="row-list">
        {rows.map((r, i) => {
          const name = r.organisation.trim() || `affiliation ${i + 1}`;
          return (
            <li key={i} class="row-edit">
              <Field id={`pf-org-${i}`} label={`Organisation ${i + 1}`} error={rowError(errors, 'affiliations', i, 'organisation')}>
                <input id={`pf-org-${i}`} value={r.organisation} maxLength={200} onInput={(e) => update(i, { organisation: e.currentTarget.value })} />
              </Field>
              <Field id={`pf-kind-${i}`} label="Kind" error={rowError(errors, 'affiliations', i, 'kind')}>
                <select id={`pf-kind-${i}`} value={r.kind} onChange={(e) => update(i, { kind: e.currentTarget.value as AffiliationKind })}>
                  <option value="employer">Employer</option>
                  <option value="client">Client</option>
                </select>
              </Field>
              <Field id={`pf-since-${i}`} label="Since" error={rowError(errors, 'affiliations', i, 'since')}>
                <input id={`pf-since-${i}`} type="date" value={r.since} onInput={(e) => update(i, { since: e.currentTarget.value })} />
              </Field>
              <Field id={`pf-until-${i}`} label="Until (empty: ongoing)" error={rowError(errors, 'affiliations', i, 'until')}>
                <input id={`pf-until-${i}`} type="date" value={r.until} onInput={(e) => update(i, { until: e.currentTarget.value })} />
              </Field>
              <button type="button" class="button small" aria-label={`Remove ${name}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
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
      <button type="button" class="button" onClick={() => onChange([...rows, { organisation: '', kind: 'employer', since: '', until: '' }])}>
        Add an affiliation
      </button>
    </fieldset>
  );
}
