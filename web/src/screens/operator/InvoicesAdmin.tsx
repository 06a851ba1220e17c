// Invoices for the operator: issue a lab's invoice for a period (every charge of the period not
// invoiced before, in lines per project), and every invoice issued.
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import { payApi } from '../../api/pay';
import type { Lab } from '../../api/types';
import { InvoiceList } from '../../pay/InvoiceList';
import { periodErrors, previousMonth } from '../../pay/period';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

export function InvoicesAdmin() {
  const [labs, reload] = useResource((signal) => api.get<{ labs: Lab[] }>('/api/v1/labs', signal), []);
  const [issued, setIssued] = useState(0);
  return (
    <div class="stack">
      <Loaded resource={labs} onRetry={reload}>
        {({ labs: list }) => <IssueForm labs={list} onIssued={() => setIssued((n) => n + 1)} />}
      </Loaded>
      <InvoiceList hrefBase="/admin/pay/invoices" showLab generation={issued} />
    </div>
  );
}

function IssueForm({ labs, onIssued }: { labs: Lab[]; onIssued: () => void }) {
  const initial = previousMonth(new Date());
  const [org, setOrg] = useState(labs[0]?.id ?? '');
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    const problems = periodErrors(from, to);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await payApi.issueInvoice(org, from, to);
      onIssued();
    } catch (x) {
      const fe = formErrors(x);
      setErrors(fe.fields);
      setFormError(fe.form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form-grid" aria-labelledby="invoice-new-title" noValidate onSubmit={submit}>
      <h2 id="invoice-new-title">Issue an invoice</h2>
      <Field id="invoice-lab" label="Lab" error={errors.org_id}>
        <select id="invoice-lab" value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
          {labs.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="invoice-from" label="From" error={errors.from}>
        <input id="invoice-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
      </Field>
      <Field id="invoice-to" label="To (included)" error={errors.to}>
        <input id="invoice-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </Field>
      {formError && (
        <p class="field-error" role="alert">
          {formError}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy || org === ''}>
          Issue the invoice
        </button>
      </div>
    </form>
  );
}
