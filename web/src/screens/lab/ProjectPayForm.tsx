// What a project pays and charges: the band's hourly rate and the project's own (only higher),
// a fixed price per accepted task instead of time, and the budget. Only the lab's owner edits.
import { useState } from 'preact/hooks';

import { payApi, type ProjectPay } from '../../api/pay';
import { formFromProjectPay, projectPayPatch, type ProjectPayForm as Form } from '../../pay/forms';
import { formatBasisPoints, formatMoney, formatRate } from '../../pay/money';
import { formErrors } from '../../ui/errors';
import { Field } from '../../ui/Field';

export function ProjectPayForm({ projectId, pay, canEdit, onSaved }: { projectId: string; pay: ProjectPay; canEdit: boolean; onSaved: (p: ProjectPay) => void }) {
  const [form, setForm] = useState<Form>(() => formFromProjectPay(pay));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof Form, value: string) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };

  async function submit(e: Event) {
    e.preventDefault();
    setFormError(null);
    const r = projectPayPatch(form, pay);
    if ('errors' in r) {
      setErrors(r.errors);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const p = await payApi.putProjectPay(projectId, r.patch);
      setForm(formFromProjectPay(p));
      setSaved(true);
      onSaved(p);
    } catch (x) {
      const fe = formErrors(x);
      setErrors(fe.fields);
      setFormError(fe.form);
    } finally {
      setBusy(false);
    }
  }

  const c = pay.currency;
  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="pay-title">
      <h2 id="pay-title">Rate and price</h2>
      <dl class="facts full-row">
        <dt>Band rate</dt>
        <dd>{pay.band_hourly_minor === null ? 'no band for this domain and level' : formatRate(pay.band_hourly_minor, c)}</dd>
        <dt>Experts are paid</dt>
        <dd>{formatRate(pay.hourly_minor, c)}</dd>
        <dt>Markup</dt>
        <dd>{formatBasisPoints(pay.markup_bp)} on the experts’ pay</dd>
        <dt>Expected price a task</dt>
        <dd>{formatMoney(pay.expected_task_minor, c)}</dd>
      </dl>
      <Field id="pay-hourly" label={`Project rate (${c} an hour)`} error={errors.hourly_minor} hint="Empty: the band’s rate. Only higher than the band.">
        <input id="pay-hourly" inputMode="decimal" disabled={!canEdit} value={form.hourly} onInput={(e) => set('hourly', e.currentTarget.value)} />
      </Field>
      <Field id="pay-fixed" label={`Fixed price per accepted task (${c})`} error={errors.fixed_price_minor} hint="Empty: priced by the experts’ time plus markup.">
        <input id="pay-fixed" inputMode="decimal" disabled={!canEdit} value={form.fixed_price} onInput={(e) => set('fixed_price', e.currentTarget.value)} />
      </Field>
      <Field id="pay-budget" label={`Budget (${c})`} error={errors.budget_minor} hint="Empty: no budget. Work stops being handed out before it is exceeded.">
        <input id="pay-budget" inputMode="decimal" disabled={!canEdit} value={form.budget} onInput={(e) => set('budget', e.currentTarget.value)} />
      </Field>
      {formError && (
        <p class="field-error" role="alert">
          {formError}
        </p>
      )}
      {canEdit ? (
        <div class="form-actions save-row">
          <button type="submit" class="button primary" disabled={busy}>
            Save rate and budget
          </button>
          {saved && (
            <span class="ok" role="status">
              Saved.
            </span>
          )}
        </div>
      ) : (
        <p class="muted full-row">The lab’s owner sets the rate, the price and the budget.</p>
      )}
    </form>
  );
}
